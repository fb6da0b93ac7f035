"""The admin for the shared core: restricted fields by group, audited views, writes through
services."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from coprod.enums import PersonStatus, Role, RoleGrantSource, StaffGroup
from coprod.models import ConsentText, Invitation, Person, RoleGrant, SafeContactPreferences
from coprod.services.invitations import find_usable_invitation
from tests.factories.core import make_person, make_staff, make_user

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


def test_people_list_cannot_be_searched_by_legal_name(client):
    person_with_restricted_data()
    client.force_login(make_staff(StaffGroup.FINANCE))

    response = client.get("/admin/coprod/person/", {"q": "Zeta"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


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
            follow=True,
        )
    again = client.get("/admin/coprod/invitation/")

    invitation = Invitation.objects.get()
    token = re.search(r"/invitations/([\w-]+)/", response.content.decode())[1]
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
        ({"email": "taken@example.org"}, "Someone already has an account with this email address."),
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
