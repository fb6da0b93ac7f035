"""Form drafts: what someone typed survives a timeout, secrets are never kept, all encrypted."""

import pytest
from django.db import connection
from django.http import QueryDict

from coprod.models import FormDraft
from coprod.services.drafts import delete_stale_drafts, save_draft, take_draft
from tests.factories import make_user

PATH = "/portal/profile/"


def form_data(**fields):
    data = QueryDict(mutable=True)
    for key, values in fields.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    return data


@pytest.mark.django_db
def test_save_draft_keeps_input_but_not_secrets():
    user = make_user()
    data = form_data(
        csrfmiddlewaretoken="csrf-secret",
        password1="hunter2hunter2",
        invitation_token="tok-secret",
        otp_code="123456",
        chosen_name="Sam",
        access_needs="Step-free access",
        safe_times=["morning", "evening"],
    )

    draft = save_draft(user, path=PATH, data=data)

    assert FormDraft.objects.get(pk=draft.pk).data == {
        "chosen_name": ["Sam"],
        "access_needs": ["Step-free access"],
        "safe_times": ["morning", "evening"],
    }


@pytest.mark.django_db
def test_save_draft_with_only_secrets_saves_nothing():
    user = make_user()

    draft = save_draft(user, path=PATH, data={"csrfmiddlewaretoken": ["x"], "password": ["y"]})

    assert draft is None
    assert not FormDraft.objects.exists()


@pytest.mark.django_db
def test_save_draft_again_replaces_the_earlier_draft():
    user = make_user()
    save_draft(user, path=PATH, data=form_data(chosen_name="Sam"))

    save_draft(user, path=PATH, data=form_data(chosen_name="Samira"))

    assert [draft.data for draft in FormDraft.objects.filter(user=user)] == [
        {"chosen_name": ["Samira"]}
    ]


@pytest.mark.django_db
def test_take_draft_returns_form_data_and_deletes_it():
    user = make_user()
    save_draft(
        user, path=PATH, data=form_data(chosen_name="Sam", safe_times=["morning", "evening"])
    )

    data = take_draft(user, path=PATH)

    assert (data["chosen_name"], data.getlist("safe_times")) == ("Sam", ["morning", "evening"])
    assert not FormDraft.objects.exists()
    assert take_draft(user, path=PATH) is None


@pytest.mark.django_db
def test_take_draft_never_returns_another_users_draft():
    owner, other = make_user(), make_user()
    save_draft(owner, path=PATH, data=form_data(access_needs="Needs a BSL interpreter"))

    data = take_draft(other, path=PATH)

    assert data is None
    assert FormDraft.objects.get(user=owner).data == {"access_needs": ["Needs a BSL interpreter"]}


@pytest.mark.django_db
def test_draft_data_is_encrypted_at_rest():
    user = make_user()
    draft = save_draft(user, path=PATH, data=form_data(access_needs="Needs a BSL interpreter"))

    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM coprod_formdraft WHERE id = %s", [draft.pk])
        (raw,) = cursor.fetchone()

    assert "BSL" not in raw
    assert "access_needs" not in raw


@pytest.mark.django_db
def test_save_draft_keeps_fields_whose_names_only_contain_a_secret_word():
    user = make_user()

    draft = save_draft(
        user, path=PATH, data=form_data(postcode="AB1 2CD", password2="x", api_token="y")
    )

    assert FormDraft.objects.get(pk=draft.pk).data == {"postcode": ["AB1 2CD"]}


@pytest.mark.django_db
def test_delete_stale_drafts_removes_only_drafts_older_than_30_days(time_machine):
    user = make_user()
    time_machine.move_to("2026-01-01 12:00 +00:00")
    save_draft(user, path="/portal/old/", data=form_data(chosen_name="Old"))
    time_machine.move_to("2026-01-25 12:00 +00:00")
    save_draft(user, path="/portal/recent/", data=form_data(chosen_name="Recent"))
    time_machine.move_to("2026-02-05 12:00 +00:00")

    deleted = delete_stale_drafts()

    assert deleted == 1
    assert list(FormDraft.objects.values_list("path", flat=True)) == ["/portal/recent/"]
