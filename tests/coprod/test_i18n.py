"""Translation machinery: strings are marked, makemessages extracts them, LocaleMiddleware is on."""

import shutil

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import trans_real

from coprod.i18n import drop_empty_fallbacks, prune


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_makemessages_extracts_portal_form_and_email_strings(settings, tmp_path, monkeypatch):
    # makemessages writes next to the sources it reads: give it a scratch tree of symlinks, so
    # the project's own locale/ is left alone.
    for source in ("coprod", "templates", "partnerships", "recruitment", "funding"):
        (tmp_path / source).symlink_to(django_settings.BASE_DIR / source)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=["xx"], symlinks=True, verbosity=0)

    po = (tmp_path / "locale" / "xx" / "LC_MESSAGES" / "django.po").read_text()
    for text in (
        "Exit this page",  # base template
        "Take a break (pause)",  # portal page
        "Enter a display name",  # form validation message
        "Your account link",  # email subject
        "Being contacted",  # enum label
        "Only the researcher role can be taken by signing up.",  # service error
    ):
        assert f'msgid "{text}"' in po, text


def test_locale_middleware_is_on_and_language_is_english():
    assert "django.middleware.locale.LocaleMiddleware" in django_settings.MIDDLEWARE
    assert django_settings.LANGUAGE_CODE == "en-gb"
    assert django_settings.USE_I18N is True


@pytest.mark.django_db
def test_language_switcher_hidden_while_there_is_one_language(client):
    page = client.get("/accounts/login/").content.decode()

    assert 'name="language"' not in page


@pytest.mark.django_db
def test_language_switcher_shown_and_works_once_there_is_a_second_language(client, settings):
    settings.LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]

    page = client.get("/accounts/login/").content.decode()
    response = client.post("/language/", {"language": "cy", "next": "/accounts/login/"})

    assert '<option value="cy" lang="cy">Cymraeg</option>' in page
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"


class Catalogue:
    def __init__(self, messages, fallback=None):
        self._catalog = messages
        self._fallback = fallback


def test_empty_catalogues_are_dropped_from_the_fallback_chain_and_the_others_kept():
    kept = Catalogue({"": "header", "Yes": "Oui"}, Catalogue({"": "header"}))
    head = Catalogue({"": "header"}, Catalogue({}, kept))

    assert prune(head) == 2
    assert head._fallback is kept
    assert kept._fallback is None


def test_british_english_translates_without_walking_empty_catalogues():
    """Run at start-up (CoprodConfig.ready); again here, as other tests reset the translations."""
    translation.activate("en-gb")
    before = [translation.gettext(m) for m in ("Your messages", "This field is required.")]
    drop_empty_fallbacks()
    active = trans_real._active.value

    depth, catalogue = 0, active._fallback
    while catalogue is not None:
        depth, catalogue = depth + 1, catalogue._fallback

    assert depth == 0
    assert [translation.gettext(m) for m in ("Your messages", "This field is required.")] == before
