"""The participant portal: a person's own profile, contact preferences, consent, involvement and
messages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from coprod.enums import (
    ConsentPurpose,
    ContactChannel,
    MessageDetail,
    NotificationCategory,
    NotificationStatus,
    PersonStatus,
    Role,
)
from coprod.models import Person, SafeContactPreferences, london_today
from coprod.selectors import has_consent
from coprod.services.consent import publish_consent_text
from tests.factories.core import NotificationFactory, make_person, make_staff, make_user

pytestmark = pytest.mark.django_db

PROFILE = {"chosen_name": "Robin Two", "pronouns": "they/them", "preferred_language": "Tigrinya"}
CONTACT = {
    "channels": [ContactChannel.EMAIL],
    "safe_times": ["morning"],
    "voicemail_ok": "no",
    "message_detail": MessageDetail.NEUTRAL,
    "person_initiates_only": "no",
    "safety_notes": "",
}


@pytest.fixture
def member(client):
    user = make_user(roles=[Role.PWLE])
    client.force_login(user)
    return user


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def contact_snapshot(person):
    return SafeContactPreferences.objects.filter(person=person).values().get()


def test_profile_saved_changes_the_name_shown_on_home(client, member):
    response = client.post("/portal/profile/", PROFILE, follow=True)

    person = Person.objects.get(pk=member.person_id)
    assert response.redirect_chain == [("/portal/", 302)]
    assert (person.chosen_name, person.pronouns, person.preferred_language) == (
        "Robin Two",
        "they/them",
        "Tigrinya",
    )
    assert "Hello, Robin Two" in response.content.decode()
    assert page_messages(response) == ["Your profile is saved."]


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "Enter a display name"),
        ("   ", "Enter a display name"),
        (
            "Member 1234",
            "Choose a name that does not start with “Member”, so it is not mixed up with the "
            "names we make up",
        ),
        (
            "member of staff",
            "Choose a name that does not start with “Member”, so it is not mixed up with the "
            "names we make up",
        ),
    ],
    ids=["empty", "blank", "generated-style", "lowercase"],
)
def test_profile_with_bad_name_shows_why_and_changes_nothing(client, member, name, error):
    before = member.person.chosen_name

    response = client.post("/portal/profile/", {**PROFILE, "chosen_name": name})

    assert response.status_code == 200
    assert response.context["form"].errors == {"chosen_name": [error]}
    assert error in response.content.decode()
    assert Person.objects.get(pk=member.person_id).chosen_name == before
    assert Person.objects.get(pk=member.person_id).pronouns == ""


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {"channels": []},
            "Choose at least one safe way to contact you, or tell us to wait for you",
        ),
        (
            {"channels": [ContactChannel.SUPPORT_WORKER]},
            "We do not have a support worker for you yet. Choose another way, or ask us to add "
            "your support worker",
        ),
    ],
    ids=["no-channel", "no-support-worker"],
)
def test_contact_form_refuses_unusable_choices_and_changes_nothing(client, member, data, error):
    before = contact_snapshot(member.person)

    response = client.post("/portal/contact/", {**CONTACT, **data})

    assert response.status_code == 200
    assert response.context["form"].errors == {"channels": [error]}
    assert error in response.content.decode()
    assert contact_snapshot(member.person) == before


def test_contact_form_with_no_channel_but_wait_for_me_is_accepted(client, member):
    response = client.post(
        "/portal/contact/", {**CONTACT, "channels": [], "person_initiates_only": "yes"}
    )

    prefs = SafeContactPreferences.objects.get(person=member.person)
    assert response["Location"] == "/portal/"
    assert (prefs.channels, prefs.person_initiates_only) == ([], True)


def test_contact_form_saved_confirms_the_preferences(client, member):
    response = client.post(
        "/portal/contact/",
        {**CONTACT, "channels": [ContactChannel.EMAIL, ContactChannel.SMS]},
        follow=True,
    )

    prefs = SafeContactPreferences.objects.get(person=member.person)
    assert response.redirect_chain == [("/portal/", 302)]
    assert (prefs.channels, prefs.safe_times) == (
        [ContactChannel.EMAIL, ContactChannel.SMS],
        ["morning"],
    )
    assert prefs.reconfirm_by == london_today() + timedelta(days=182)
    assert page_messages(response) == [
        "Thank you. Your contact preferences are saved and confirmed."
    ]
    assert "Check how we can contact you safely" not in response.content.decode()


def test_consent_answered_yes_then_no(client, member):
    yes = client.post("/portal/consents/taking_part/", {"answer": "yes"}, follow=True)
    given = has_consent(member.person, ConsentPurpose.TAKING_PART)
    no = client.post("/portal/consents/taking_part/", {"answer": "no"}, follow=True)

    assert given is True
    assert has_consent(member.person, ConsentPurpose.TAKING_PART) is False
    assert yes.redirect_chain == [("/portal/consents/", 302)]
    assert page_messages(yes) == ["Thank you. We have saved that you agree."]
    assert page_messages(no) == ["We have saved that you do not agree. This applies now."]


def test_consent_without_an_answer_shows_why_and_records_nothing(client, member):
    response = client.post("/portal/consents/taking_part/", {})

    assert response.context["form"].errors == {
        "answer": ["Select yes if you agree, or no if you do not"]
    }
    assert has_consent(member.person, ConsentPurpose.TAKING_PART) is False


def test_consent_for_an_unknown_purpose_is_not_found(client, member):
    response = client.get("/portal/consents/selling_data/")

    assert response.status_code == 404


def test_outdated_consent_is_shown_on_home_as_needing_an_answer(client):
    user = make_user(roles=[Role.PWLE], consents=[ConsentPurpose.CONTACT])
    client.force_login(user)
    publish_consent_text(
        ConsentPurpose.CONTACT, title="Being contacted", body="New words.", by=make_staff()
    )

    home = client.get("/portal/")
    consent_page = client.get("/portal/consents/contact/")

    assert "Read the new version of “Being contacted”" in home.content.decode()
    assert 'href="/portal/consents/contact/"' in home.content.decode()
    assert consent_page.context["state"].outdated is True
    assert "New words." in consent_page.content.decode()
    assert has_consent(user.person, ConsentPurpose.CONTACT) is False


def test_pause_and_resume_change_status_and_home_says_so(client, member):
    paused = client.post("/portal/involvement/", {"confirm": "yes"}, follow=True)
    status_paused = Person.objects.get(pk=member.person_id).status
    resumed = client.post("/portal/involvement/", {"confirm": "yes"}, follow=True)

    assert status_paused == PersonStatus.PAUSED
    assert Person.objects.get(pk=member.person_id).status == PersonStatus.ACTIVE
    assert "Your involvement is paused. We will not contact you." in paused.content.decode()
    assert page_messages(paused) == [
        "Your involvement is paused. We will not contact you until you come back."
    ]
    assert "Your involvement is paused. We will not contact you." not in resumed.content.decode()
    assert page_messages(resumed) == ["Welcome back. You are taking part again."]


def test_answering_no_to_pause_changes_nothing(client, member):
    response = client.post("/portal/involvement/", {"confirm": "no"})

    assert response["Location"] == "/portal/"
    assert Person.objects.get(pk=member.person_id).status == PersonStatus.ACTIVE


def test_messages_page_shows_own_messages_only_and_no_account_emails(client, member):
    other = make_person(roles=[Role.PWLE])
    NotificationFactory(
        person=member.person,
        status=NotificationStatus.HELD,
        content={"full": {"subject": "Panel on Tuesday", "body": "Room 4, 10am."}, "neutral": {}},
    )
    NotificationFactory(
        person=member.person,
        category=NotificationCategory.ACCOUNT,
        status=NotificationStatus.SENT,
        content={
            "full": {"subject": "Reset your password", "body": "/accounts/password/reset/key/1-x/"},
            "neutral": {},
        },
    )
    NotificationFactory(
        person=other,
        content={"full": {"subject": "Someone else's payment", "body": "Paid £40."}, "neutral": {}},
    )

    response = client.get("/portal/messages/")

    html = response.content.decode()
    assert response.status_code == 200
    assert ("Panel on Tuesday" in html, "Room 4, 10am." in html) == (True, True)
    assert ("Reset your password" in html, "/accounts/password/reset/key/" in html) == (
        False,
        False,
    )
    assert ("Someone else" in html, "Paid £40." in html) == (False, False)


def test_support_page_shows_the_helpline(client, member, settings):
    response = client.get("/portal/support/")

    assert response.status_code == 200
    assert settings.COPROD_SUPPORT_PHONE in response.content.decode()
    assert settings.COPROD_SUPPORT_EMAIL in response.content.decode()


def test_exit_signs_out_and_leaves_for_the_neutral_site(client, member, settings):
    response = client.get("/exit/")

    assert (response.status_code, response["Location"]) == (302, settings.COPROD_EXIT_URL)
    assert client.get("/portal/")["Location"] == "/accounts/login/?next=/portal/"


def test_portal_pages_carry_exit_this_page(client, member):
    response = client.get("/portal/")

    assert 'href="/exit/"' in response.content.decode()


def page_links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'href="\?page=(\d+)" rel="(prev|next)"', html)


def test_messages_come_twenty_to_a_page_newest_first_with_links_between_pages(client, member):
    for number in range(45):
        NotificationFactory(
            person=member.person,
            content={"full": {"subject": f"Message {number:02}", "body": "."}, "neutral": {}},
        )

    pages = [client.get(f"/portal/messages/?page={n}") for n in (1, 2, 3)]
    html = [page.content.decode() for page in pages]

    shown = [[f"Message {n:02}" in text for n in range(45)].count(True) for text in html]
    assert shown == [20, 20, 5]
    assert "Message 44" in html[0]
    assert "Message 00" in html[2]
    assert [page_links(text) for text in html] == [
        [("2", "next")],
        [("1", "prev"), ("3", "next")],
        [("2", "prev")],
    ]
    assert client.get("/portal/messages/?page=4").status_code == 404
    assert client.get("/portal/messages/?page=x").status_code == 200


def test_a_full_page_of_messages_does_not_link_to_an_empty_one(client, member):
    for _ in range(20):
        NotificationFactory(person=member.person)

    html = client.get("/portal/messages/").content.decode()

    assert page_links(html) == []


def test_my_information_page_shows_ten_of_a_long_list_and_the_file_has_all(client, member):
    for number in range(15):
        NotificationFactory(
            person=member.person,
            content={"full": {"subject": f"Message {number:02}", "body": "."}, "neutral": {}},
        )

    page = client.get("/portal/my-information/").content.decode()
    download = client.get("/portal/my-information/download/").json()

    assert [f"Message {n:02}" in page for n in range(15)].count(True) == 10
    assert "And 5 more, not shown here." in page
    assert len(download["coprod"]["messages"]) == 15


def test_a_messages_page_number_past_any_history_is_not_found(client, member):
    NotificationFactory(person=member.person)

    past = client.get("/portal/messages/?page=99999999999999999999")
    first = client.get("/portal/messages/?page=1")

    assert (past.status_code, first.status_code) == (404, 200)
