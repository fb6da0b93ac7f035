"""The admin for the shared core: restricted fields by group, audited views, writes through
services."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages.storage import default_storage
from django.test import RequestFactory

from coprod.admin import RestrictedLookupsMixin
from coprod.enums import ErasureStatus, PersonStatus, Role, RoleGrantSource, StaffGroup
from coprod.models import (
    ConsentText,
    ErasureRequest,
    Invitation,
    Person,
    RoleGrant,
    SafeContactPreferences,
)
from coprod.services.invitations import find_usable_invitation
from tests.factories.core import (
    NotificationFactory,
    UserFactory,
    make_person,
    make_staff,
    make_superuser,
    make_user,
)

pytestmark = pytest.mark.django_db

LEGAL_NAME = "Legal Name Zeta"
ENGAGEMENT_VALUES = {
    "access_needs": "Needs a quiet room Zeta",
    "contact_email": "zeta.contact@example.org",
    "phone": "07700 900123",
    "postal_address": "1 Zeta Street",
}
SAFETY_NOTE = "Safety note Zeta"
ENGAGEMENT_FIELDS = ["access_needs", "contact_email", "phone", "postal_address", "safe_contact"]


class _FormData(HTMLParser):
    """What a browser would post for the form with id `form_id` (admin change forms)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.select, self.textarea = form_id, False, None, None
        self.data: dict[str, list[str]] = {}

    def add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.add(name, attrs.get("value") or "on")
            elif kind not in ("submit", "button", "file"):
                self.add(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.add(name, "")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self.textarea:
            self.data[self.textarea][-1] += data


def form_data(response, form_id: str) -> dict[str, list[str]]:
    parser = _FormData(form_id)
    parser.feed(response.content.decode())
    return parser.data


def person_with_restricted_data() -> Person:
    person = make_person(roles=[Role.PWLE], legal_name=LEGAL_NAME, **ENGAGEMENT_VALUES)
    SafeContactPreferences.objects.filter(person=person).update(safety_notes=SAFETY_NOTE)
    return person


def access_entries(person: Person):
    return LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(Person),
        object_pk=str(person.pk),
    )


def change_url(person: Person) -> str:
    return f"/admin/coprod/person/{person.pk}/change/"


@pytest.mark.parametrize(
    ("group", "sees_legal_name", "sees_contact"),
    [
        (StaffGroup.FINANCE, True, False),
        (StaffGroup.ENGAGEMENT, False, True),
        (StaffGroup.FUNDING, False, False),
        (StaffGroup.PARTNERSHIPS, False, False),
    ],
)
def test_person_change_page_shows_restricted_fields_only_to_their_group(
    client, group, sees_legal_name, sees_contact
):
    person = person_with_restricted_data()
    client.force_login(make_staff(group))

    response = client.get(change_url(person))

    html = response.content.decode()
    assert response.status_code == 200
    assert person.display_name in html
    assert (LEGAL_NAME in html) == sees_legal_name
    assert {field: value in html for field, value in ENGAGEMENT_VALUES.items()} == dict.fromkeys(
        ENGAGEMENT_VALUES, sees_contact
    )
    assert (SAFETY_NOTE in html) == sees_contact


@pytest.mark.parametrize("group", list(StaffGroup))
def test_people_list_never_shows_restricted_values(client, group):
    person = person_with_restricted_data()
    client.force_login(make_staff(group))

    response = client.get("/admin/coprod/person/")

    html = response.content.decode()
    assert response.status_code == 200
    assert person.display_name in html
    assert [
        value for value in [LEGAL_NAME, SAFETY_NOTE, *ENGAGEMENT_VALUES.values()] if value in html
    ] == []


def test_people_list_cannot_be_searched_by_restricted_fields(client):
    person = person_with_restricted_data()
    Person.objects.filter(pk=person.pk).update(chosen_name="Robin Searchable")
    UserFactory(person=person, email="zeta.login@example.org")
    client.force_login(make_staff(StaffGroup.FINANCE, StaffGroup.ENGAGEMENT))

    by_name = client.get("/admin/coprod/person/", {"q": "Robin Searchable"})
    # Every Fernet token starts with "gAAAAA": this finds everyone with any encrypted field set,
    # if one were searchable.
    by_ciphertext = client.get("/admin/coprod/person/", {"q": "gAAAAA"})
    by_login = client.get("/admin/coprod/person/", {"q": "zeta.login"})
    by_safe_channel = client.get("/admin/coprod/person/", {"q": "email"})

    assert list(by_name.context["cl"].result_list) == [person]
    assert by_ciphertext.context["cl"].result_count == 0
    assert by_login.context["cl"].result_count == 0
    assert by_safe_channel.context["cl"].result_count == 0


SAFE_CONTACT_FIELDS = [
    "channels",
    "safe_times",
    "voicemail_ok",
    "message_detail",
    "person_initiates_only",
    "support_worker",
    "safety_notes",
    "confirmed_at",
    "reconfirm_by",
]


@pytest.fixture
def offer_filters(monkeypatch):
    """The people list offers filters on every restricted path, as a later change might: Django
    refuses a lookup across a relation unless it is offered. Offered or not, staff who may not see
    a field cannot filter on it."""
    person_admin = admin.site._registry[Person]
    offered = [
        "user__email",
        "supported_people__person",
        "invitations__email",
        "notifications__content",
        *(f"safe_contact__{field}" for field in SAFE_CONTACT_FIELDS),
    ]
    monkeypatch.setattr(person_admin, "list_filter", [*person_admin.list_filter, *offered])


@pytest.mark.parametrize(
    ("group", "query"),
    [
        (StaffGroup.FUNDING, "legal_name__startswith=gAAAAA"),
        (StaffGroup.ENGAGEMENT, "legal_name__regex=^.{200}"),
        (StaffGroup.FINANCE, "access_needs__isnull=False"),
        (StaffGroup.FUNDING, "contact_email__startswith=gAAAAA"),
        (StaffGroup.PARTNERSHIPS, "phone__startswith=gAAAAA"),
        (StaffGroup.FINANCE, "postal_address__regex=^.{120}"),
        (StaffGroup.FUNDING, "user__email__startswith=z"),
        (StaffGroup.FUNDING, "safe_contact__channels__icontains=sms"),
        (StaffGroup.FUNDING, "safe_contact__safe_times__icontains=evening"),
        (StaffGroup.FUNDING, "safe_contact__voicemail_ok__exact=1"),
        (StaffGroup.FUNDING, "safe_contact__message_detail__exact=full"),
        (StaffGroup.FUNDING, "safe_contact__person_initiates_only__exact=1"),
        (StaffGroup.FUNDING, "safe_contact__support_worker__isnull=False"),
        (StaffGroup.FINANCE, "safe_contact__safety_notes__isnull=False"),
        (StaffGroup.FUNDING, "safe_contact__confirmed_at__isnull=True"),
        (StaffGroup.FUNDING, "safe_contact__reconfirm_by__lt=2000-01-01"),
        (StaffGroup.FUNDING, "supported_people__isnull=False"),
        (StaffGroup.FUNDING, "supported_people__person__isnull=False"),
    ],
)
def test_people_list_refuses_filters_on_fields_the_staff_member_may_not_see(
    client, offer_filters, group, query
):
    person = person_with_restricted_data()
    UserFactory(person=person, email="zeta.login@example.org")
    client.force_login(make_staff(group))

    response = client.get(f"/admin/coprod/person/?{query}")

    assert response.status_code == 400
    assert person.display_name not in response.content.decode()


@pytest.mark.parametrize(
    ("group", "url", "query"),
    [
        (StaffGroup.FINANCE, "/admin/coprod/person/", "legal_name__startswith=gAAAAA"),
        (StaffGroup.ENGAGEMENT, "/admin/coprod/person/", "access_needs__isnull=False"),
        (StaffGroup.ENGAGEMENT, "/admin/coprod/person/", "contact_email__startswith=gAAAAA"),
        (StaffGroup.ENGAGEMENT, "/admin/coprod/person/", "phone__regex=^.{120}"),
        (StaffGroup.ENGAGEMENT, "/admin/coprod/person/", "postal_address__startswith=gAAAAA"),
        (StaffGroup.ENGAGEMENT, "/admin/coprod/person/", "safe_contact__safety_notes__gt=g"),
        (StaffGroup.ENGAGEMENT, "/admin/coprod/person/", "invitations__email__startswith=g"),
        (StaffGroup.ENGAGEMENT, "/admin/coprod/person/", "notifications__content__gt=g"),
        (StaffGroup.ENGAGEMENT, "/admin/coprod/invitation/", "email__startswith=gAAAAA"),
        (StaffGroup.ENGAGEMENT, "/admin/coprod/notification/", "content__startswith=gAAAAA"),
        (StaffGroup.ENGAGEMENT, "/admin/coprod/notification/", "sent_to__isnull=False"),
        (StaffGroup.ENGAGEMENT, "/admin/coprod/notification/", "handled_note__regex=^.{120}"),
    ],
)
def test_admin_lists_refuse_filters_on_encrypted_fields_even_to_staff_who_may_see_them(
    client, offer_filters, group, url, query
):
    person = person_with_restricted_data()
    NotificationFactory(person=person, handled_note="Rang her Zeta")
    client.force_login(make_staff(group))

    response = client.get(f"{url}?{query}")

    assert response.status_code == 400
    assert person.display_name not in response.content.decode()


def test_people_list_ordinary_filters_still_work(client):
    paused_pwle = make_person(roles=[Role.PWLE], status=PersonStatus.PAUSED)
    make_person(roles=[Role.PWLE])
    make_person(roles=[Role.RESEARCHER], status=PersonStatus.PAUSED)
    client.force_login(make_staff(StaffGroup.FUNDING))

    response = client.get("/admin/coprod/person/", {"status__exact": "paused", "role": "pwle"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [paused_pwle]


def test_people_list_offers_a_restricted_filter_to_staff_who_may_see_it(client, offer_filters):
    full = make_person()
    SafeContactPreferences.objects.filter(person=full).update(message_detail="full")
    make_person()
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    response = client.get("/admin/coprod/person/", {"safe_contact__message_detail__exact": "full"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [full]


def test_people_list_does_not_show_filters_on_fields_the_staff_member_may_not_see(
    client, offer_filters
):
    client.force_login(make_staff(StaffGroup.FUNDING))

    response = client.get("/admin/coprod/person/")

    shown = {
        spec.field_path
        for spec in response.context["cl"].filter_specs
        if hasattr(spec, "field_path")
    }
    assert shown & {"user__email", "safe_contact__message_detail", "invitations__email"} == set()
    assert "status" in shown


@pytest.mark.parametrize(("superuser", "status"), [(False, 400), (True, 200)])
def test_user_list_filters_on_sign_in_email_only_for_staff_who_may_see_it(
    client, superuser, status
):
    make_user(email="zeta.login@example.org")
    staff = make_superuser() if superuser else make_staff(StaffGroup.FUNDING)
    staff.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(staff)

    response = client.get("/admin/coprod/user/", {"email__startswith": "zeta"})

    assert response.status_code == status
    assert ("zeta.login@example.org" in response.content.decode()) == superuser


def test_every_core_model_admin_refuses_hidden_lookups():
    core_admins = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "coprod"
    ]

    assert len(core_admins) == 5
    assert [
        type(a).__name__ for a in core_admins if not isinstance(a, RestrictedLookupsMixin)
    ] == []


@pytest.mark.parametrize(
    ("group", "fields"),
    [(StaffGroup.FINANCE, ["legal_name"]), (StaffGroup.ENGAGEMENT, ENGAGEMENT_FIELDS)],
)
def test_viewing_restricted_fields_writes_one_access_entry_without_values(client, group, fields):
    person = person_with_restricted_data()
    staff = make_staff(group)
    client.force_login(staff)

    client.get(change_url(person))

    (entry,) = access_entries(person)
    assert entry.actor == staff
    assert entry.additional_data == {"fields": fields, "context": "admin"}
    assert "Zeta" not in str(entry.changes) + str(entry.additional_data)


def test_person_form_shown_again_with_errors_writes_one_access_entry(client):
    person = person_with_restricted_data()
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)
    data = form_data(client.get(change_url(person)), "person_form")
    shown_before = set(access_entries(person).values_list("pk", flat=True))

    response = client.post(change_url(person), {**data, "chosen_name": "x" * 81})

    (entry,) = access_entries(person).exclude(pk__in=shown_before)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.keys() == {"chosen_name"}
    assert ENGAGEMENT_VALUES["phone"] in response.content.decode()
    assert (entry.actor, entry.additional_data) == (
        staff,
        {"fields": ENGAGEMENT_FIELDS, "context": "admin"},
    )


@pytest.mark.parametrize("group", [StaffGroup.FUNDING, StaffGroup.PARTNERSHIPS])
def test_viewing_no_restricted_fields_writes_no_access_entry(client, group):
    person = person_with_restricted_data()
    client.force_login(make_staff(group))

    response = client.get(change_url(person))

    assert response.status_code == 200
    assert access_entries(person).count() == 0


def test_saving_the_person_page_writes_no_access_entry(client):
    person = make_person(roles=[Role.PWLE])
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))
    data = form_data(client.get(change_url(person)), "person_form")
    LogEntry.objects.filter(action=LogEntry.Action.ACCESS).delete()

    response = client.post(change_url(person), {**data, "chosen_name": "Renamed"})

    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).chosen_name == "Renamed"
    assert access_entries(person).count() == 0


def test_role_grant_added_in_the_admin_names_who_granted_it(client):
    person = make_person()
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)
    data = form_data(client.get(change_url(person)), "person_form")

    response = client.post(
        change_url(person),
        {
            **data,
            "role_grants-TOTAL_FORMS": "1",
            "role_grants-0-role": Role.PRACTITIONER,
            "role_grants-0-starts_on": "2026-01-05",
            "role_grants-0-note": "Joined the panel",
        },
    )

    grant = RoleGrant.objects.get(person=person)
    assert response.status_code == 302
    assert (grant.role, str(grant.starts_on), grant.note) == (
        Role.PRACTITIONER,
        "2026-01-05",
        "Joined the panel",
    )
    assert (grant.granted_by, grant.source) == (staff, RoleGrantSource.GRANTED)


def test_role_ended_in_the_admin_keeps_its_start(client):
    person = make_person(roles=[Role.PRACTITIONER])
    grant = RoleGrant.objects.get(person=person)
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))
    data = form_data(client.get(change_url(person)), "person_form")
    ends_on = grant.starts_on + timedelta(days=30)

    response = client.post(
        change_url(person), {**data, "role_grants-0-ends_on": ends_on.isoformat()}
    )

    grant.refresh_from_db()
    assert response.status_code == 302
    assert (grant.role, grant.ends_on) == (Role.PRACTITIONER, ends_on)


def test_overlapping_role_grant_in_the_admin_is_refused_with_a_message(client):
    person = make_person(roles=[Role.PRACTITIONER])
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))
    data = form_data(client.get(change_url(person)), "person_form")

    response = client.post(
        change_url(person),
        {
            **data,
            "role_grants-TOTAL_FORMS": "2",
            "role_grants-1-role": Role.PRACTITIONER,
            "role_grants-1-starts_on": "2026-01-05",
        },
        follow=True,
    )

    messages = [str(message) for message in response.context["messages"]]
    assert "This person already holds this role at that time." in messages
    assert RoleGrant.objects.filter(person=person).count() == 1


def run_action(client, action, *people):
    return client.post(
        "/admin/coprod/person/",
        {"action": action, "_selected_action": [person.pk for person in people]},
        follow=True,
    )


def test_make_lived_experience_expert_action_promotes_pwle_and_reports_others(client):
    pwle, researcher = make_person(roles=[Role.PWLE]), make_person(roles=[Role.RESEARCHER])
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)

    response = run_action(client, "make_lived_experience_expert", pwle, researcher)

    messages = [str(message) for message in response.context["messages"]]
    lee = RoleGrant.objects.get(person=pwle, role=Role.LEE)
    assert (lee.source, lee.granted_by) == (RoleGrantSource.PROMOTION, staff)
    assert RoleGrant.objects.filter(person=researcher, role=Role.LEE).exists() is False
    assert messages == [
        f"{researcher.display_name}: Only a person with lived experience can become a lived "
        "experience expert."
    ]


def test_pause_and_resume_actions_change_status(client):
    first, second = make_person(), make_person()
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    run_action(client, "pause", first, second)
    paused = set(
        Person.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    )
    run_action(client, "resume", second)

    assert paused == {PersonStatus.PAUSED}
    assert Person.objects.get(pk=first.pk).status == PersonStatus.PAUSED
    assert Person.objects.get(pk=second.pk).status == PersonStatus.ACTIVE


@pytest.mark.parametrize("group", [StaffGroup.FUNDING, StaffGroup.PARTNERSHIPS, StaffGroup.FINANCE])
@pytest.mark.parametrize("action", ["pause", "make_lived_experience_expert"])
def test_person_actions_refused_to_staff_who_may_only_view_people(client, group, action):
    person = make_person(roles=[Role.PWLE])
    client.force_login(make_staff(group))

    run_action(client, action, person)

    assert Person.objects.get(pk=person.pk).status == PersonStatus.ACTIVE
    assert RoleGrant.objects.filter(person=person, role=Role.LEE).exists() is False


def test_invitation_added_in_admin_goes_through_the_service_and_shows_link_once(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/coprod/invitation/add/",
            {
                "email": "New.Person@Example.org",
                "role": Role.PWLE,
                "chosen_name": "Robin",
                "send_email": "on",
            },
        )
    again = client.get("/admin/coprod/invitation/")

    invitation = Invitation.objects.get()
    html = response.content.decode()
    link = re.search(r"https?://[^\s<\"]*/invitations/[\w-]+/", html)[0]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert response.status_code == 200
    assert html.count(token) == 1
    assert (invitation.email, invitation.invited_by, invitation.person.chosen_name) == (
        "new.person@example.org",
        staff,
        "Robin",
    )
    assert find_usable_invitation(token) == invitation
    assert token not in again.content.decode()
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["new.person@example.org"], "Your account link")
    ]


def stored_between_requests(client) -> str:
    """Everything the browser and the session keep after a response: cookies, session values and
    messages waiting to be shown (cookie messages may be compressed, so they are decoded)."""
    request = RequestFactory().get("/")
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    request.session = client.session
    waiting = [str(message) for message in default_storage(request)]
    return " ".join([*request.COOKIES.values(), *map(str, request.session.values()), *waiting])


def test_invitation_link_added_in_admin_is_kept_in_no_cookie_or_session(client):
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    response = client.post(
        "/admin/coprod/invitation/add/",
        {"email": "new.person@example.org", "role": Role.PWLE, "chosen_name": "Robin"},
    )

    kept = stored_between_requests(client)
    # Shown in this response; had it gone into a message, on the page redirected to.
    shown = response if response.status_code == 200 else client.get(response["Location"])

    token = re.search(r"/invitations/([\w-]+)/", shown.content.decode())[1]
    assert find_usable_invitation(token) == Invitation.objects.get()
    assert token not in kept


def test_invitation_added_in_admin_without_email_sends_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    person = make_person(roles=[Role.PWLE])
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/coprod/invitation/add/",
            {"email": "known@example.org", "role": Role.LEE, "person": person.pk},
        )

    assert list(Invitation.objects.values_list("person", "role", "sent_by_email")) == [
        (person.pk, Role.LEE, False)
    ]
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "taken@example.org"}, "Someone already has an account with this email address"),
        ({"email": "not an email"}, "Enter a valid email address."),
    ],
    ids=["existing-account", "invalid-email"],
)
def test_invitation_add_in_admin_refuses_bad_email_and_creates_nothing(client, data, error):
    make_user(email="taken@example.org")
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))
    people = Person.objects.count()

    response = client.post("/admin/coprod/invitation/add/", {"role": Role.PWLE, **data})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"email": [error]}
    assert (Invitation.objects.count(), Person.objects.count()) == (0, people)


def test_invitation_add_in_admin_refuses_a_person_who_has_an_account(client):
    user = make_user(roles=[Role.PWLE])
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    response = client.post(
        "/admin/coprod/invitation/add/",
        {"email": "other@example.org", "role": Role.LEE, "person": user.person_id},
    )

    assert response.context["adminform"].form.errors == {
        "person": ["This person already has an account."]
    }
    assert Invitation.objects.count() == 0


def test_consent_text_added_in_admin_is_published_as_the_next_version(client):
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    response = client.post(
        "/admin/coprod/consenttext/add/",
        {"purpose": "contact", "title": "Being contacted", "body": "New wording."},
    )

    latest = ConsentText.objects.filter(purpose="contact").order_by("-version").first()
    assert response.status_code == 302
    assert (latest.version, latest.body) == (2, "New wording.")
    assert ConsentText.objects.filter(purpose="contact").count() == 2


def test_published_consent_text_cannot_be_changed_in_admin(client):
    text = ConsentText.objects.get(purpose="contact", version=1)
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    page = client.get(f"/admin/coprod/consenttext/{text.pk}/change/")
    response = client.post(
        f"/admin/coprod/consenttext/{text.pk}/change/",
        {"purpose": "contact", "title": "Changed", "body": "Changed."},
    )

    assert page.status_code == 200
    assert 'name="body"' not in page.content.decode()
    assert response.status_code == 403
    assert ConsentText.objects.get(pk=text.pk).body == text.body


def test_safe_contact_changed_in_the_admin_releases_messages_it_now_allows(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    from coprod.services.notifications import queue_notification
    from tests.factories.core import make_reachable_person

    person = make_reachable_person(email="sam@example.org", channels=["phone"])
    held = queue_notification(person, kind="test_message", key="admin-release")
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))
    data = form_data(client.get(change_url(person)), "person_form")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(person), {**data, "safe_contact-0-channels": ["phone", "email"]}
        )

    held.refresh_from_db()
    assert response.status_code == 302
    assert SafeContactPreferences.objects.get(person=person).channels == ["phone", "email"]
    assert held.status == "sent"
    assert [message.to for message in mailoutbox] == [["sam@example.org"]]


def test_changing_an_existing_role_other_than_its_end_is_refused_with_a_message(client):
    person = make_person(roles=[Role.PRACTITIONER])
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))
    data = form_data(client.get(change_url(person)), "person_form")

    response = client.post(
        change_url(person), {**data, "role_grants-0-role": Role.POLICYMAKER}, follow=True
    )

    messages = [str(message) for message in response.context["messages"]]
    assert list(RoleGrant.objects.filter(person=person).values_list("role", flat=True)) == [
        Role.PRACTITIONER
    ]
    assert messages[0].startswith("Only the end date of an existing role can change.")


def test_withdraw_action_marks_people_withdrawn(client):
    person = make_person()
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    run_action(client, "withdraw", person)

    assert Person.objects.get(pk=person.pk).status == PersonStatus.WITHDRAWN


def test_sign_in_email_cannot_be_edited_in_the_admin(client):
    user = make_user(email="kept@example.org")
    admin = make_staff(StaffGroup.ENGAGEMENT, is_superuser=True)
    client.force_login(admin)

    page = client.get(f"/admin/coprod/user/{user.pk}/change/")

    assert 'name="email"' not in page.content.decode()
    assert "kept@example.org" in page.content.decode()


def test_record_erasure_request_action_adds_requests_for_the_engagement_team(client):
    first, second = make_person(roles=[Role.PWLE]), make_person(roles=[Role.LEE])
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)

    run_action(client, "record_erasure_request", first, second)

    requests = ErasureRequest.objects.order_by("person_id")
    assert [(r.person_id, r.status, r.requested_by) for r in requests] == [
        (first.pk, ErasureStatus.PENDING, staff),
        (second.pk, ErasureStatus.PENDING, staff),
    ]
    statuses = Person.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    assert set(statuses) == {PersonStatus.WITHDRAWN}


def test_record_erasure_request_action_is_only_for_staff_who_may_erase(client):
    person = make_person(roles=[Role.PWLE])
    client.force_login(make_staff(StaffGroup.FINANCE))

    run_action(client, "record_erasure_request", person)

    assert ErasureRequest.objects.exists() is False


def test_support_worker_autocomplete_offers_only_current_active_practitioners(client):
    practitioner = make_person(roles=[Role.PRACTITIONER], chosen_name="Worker Current")
    make_person(roles=[Role.PWLE], chosen_name="Worker Survivor")
    paused = make_person(roles=[Role.PRACTITIONER], chosen_name="Worker Paused")
    Person.objects.filter(pk=paused.pk).update(status=PersonStatus.PAUSED)
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    response = client.get(
        "/admin/autocomplete/",
        {
            "term": "Worker",
            "app_label": "coprod",
            "model_name": "safecontactpreferences",
            "field_name": "support_worker",
        },
    )

    assert [item["id"] for item in response.json()["results"]] == [str(practitioner.pk)]
