"""Referrals by practitioners: someone they support, or someone new with a display name only and
no login, reached only through the practitioner; always with the person's agreement; sent or
kept as a draft. A practitioner sees their own referrals only."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coprod.enums import ContactChannel, PersonStatus, Role, StaffGroup
from coprod.models import FormDraft, Person, User
from coprod.services.contact import update_safe_contact
from coprod.services.people import set_involvement_status
from recruitment.enums import ApplicationRoute, ApplicationStatus, OpportunityStatus
from recruitment.models import Application, Onboarding
from recruitment.services.applications import (
    accept_offer,
    move_application,
    refer_person,
    save_application,
    submit_application,
    withdraw_application,
)
from tests.factories.core import TEST_ACTOR, make_person, make_staff, make_user
from tests.factories.recruitment import OpportunityFactory, application_in
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

ANSWERS = {
    "why_interested": "She wants to help others.",
    "what_they_bring": "Knows the asylum system well.",
    "support_needs": "Needs an Albanian interpreter.",
    "safe_contact": "Only through me, weekdays.",
}
LIST = reverse("opportunities:referrals")


@pytest.fixture
def practitioner(client):
    user = make_user(roles=[Role.PRACTITIONER])
    client.force_login(user)
    return user


def supported_by(practitioner: User, **fields: object) -> Person:
    person = make_person(roles=[Role.PWLE], **fields)
    update_safe_contact(
        person,
        by=make_staff(StaffGroup.ENGAGEMENT),
        confirm=True,
        channels=[ContactChannel.SUPPORT_WORKER],
        support_worker=practitioner.person,
    )
    return person


def refer_url(opportunity) -> str:
    return reverse("opportunities:refer", kwargs={"opportunity_id": opportunity.pk})


def referral_of(practitioner: User, status=ApplicationStatus.SUBMITTED, **fields) -> Application:
    fields.setdefault("person", make_person())
    return application_in(
        status,
        route=ApplicationRoute.REFERRAL,
        referred_by=practitioner.person,
        consent_confirmed_at=timezone.now(),
        **fields,
    )


# The service ------------------------------------------------------------------------------------


def test_refer_a_new_person_makes_them_with_a_display_name_and_contact_through_me(practitioner):
    opportunity = OpportunityFactory()

    application = refer_person(
        opportunity,
        by=practitioner,
        display_name=" Mira ",
        consent_confirmed=True,
        send=True,
        **ANSWERS,
    )

    person = application.person
    assert (person.chosen_name, person.login, person.legal_name) == ("Mira", None, "")
    assert person.safe_contact.support_worker == practitioner.person
    assert person.safe_contact.channels == [ContactChannel.SUPPORT_WORKER]
    assert person.safe_contact.confirmed_at is None  # they have not confirmed it themself
    saved = Application.objects.get(pk=application.pk)
    assert (saved.route, saved.referred_by, saved.status) == (
        ApplicationRoute.REFERRAL,
        practitioner.person,
        ApplicationStatus.SUBMITTED,
    )
    assert saved.consent_confirmed_at is not None
    assert {field: getattr(saved, field) for field in ANSWERS} == ANSWERS


def test_refer_someone_i_support(practitioner):
    supported = supported_by(practitioner)

    application = refer_person(
        OpportunityFactory(),
        by=practitioner,
        person=supported,
        consent_confirmed=True,
        send=False,
        **ANSWERS,
    )

    assert (application.person, application.status) == (supported, ApplicationStatus.DRAFT)
    assert Person.objects.count() == 3  # the practitioner, the supported person, the staff member


def test_refer_someone_i_do_not_support_is_refused(practitioner):
    other_worker = make_user(roles=[Role.PRACTITIONER])
    theirs = supported_by(other_worker)

    with pytest.raises(ValidationError) as refused:
        refer_person(
            OpportunityFactory(),
            by=practitioner,
            person=theirs,
            consent_confirmed=True,
            send=True,
            **ANSWERS,
        )

    assert refused.value.messages == ["You can refer only people you support, or someone new."]
    assert not Application.objects.exists()


def test_refer_without_the_persons_agreement_is_refused(practitioner):
    people = Person.objects.count()

    with pytest.raises(ValidationError) as refused:
        refer_person(
            OpportunityFactory(),
            by=practitioner,
            display_name="Mira",
            consent_confirmed=False,
            send=True,
            **ANSWERS,
        )

    assert refused.value.message_dict == {
        "consent": ["Confirm that the person agreed to be referred"]
    }
    assert (Application.objects.count(), Person.objects.count()) == (0, people)


def test_refer_by_someone_who_is_not_a_practitioner_is_refused():
    pwle = make_user(roles=[Role.PWLE])

    with pytest.raises(ValidationError):
        refer_person(
            OpportunityFactory(),
            by=pwle,
            display_name="Mira",
            consent_confirmed=True,
            send=True,
            **ANSWERS,
        )

    assert not Application.objects.exists()


def test_refer_to_a_closed_opportunity_is_refused_and_makes_nobody(practitioner):
    people = Person.objects.count()

    with pytest.raises(ValidationError):
        refer_person(
            OpportunityFactory(status=OpportunityStatus.CLOSED),
            by=practitioner,
            display_name="Mira",
            consent_confirmed=True,
            send=False,
            **ANSWERS,
        )

    assert (Application.objects.count(), Person.objects.count()) == (0, people)


def test_referring_the_same_person_twice_is_refused(practitioner):
    supported = supported_by(practitioner)
    opportunity = OpportunityFactory()
    refer_person(
        opportunity,
        by=practitioner,
        person=supported,
        consent_confirmed=True,
        send=True,
        **ANSWERS,
    )

    with pytest.raises(ValidationError):
        refer_person(
            opportunity,
            by=practitioner,
            person=supported,
            consent_confirmed=True,
            send=True,
            **ANSWERS,
        )

    assert Application.objects.count() == 1


def test_a_sent_referral_needs_the_required_answers(practitioner):
    with pytest.raises(ValidationError) as refused:
        refer_person(
            OpportunityFactory(),
            by=practitioner,
            display_name="Mira",
            consent_confirmed=True,
            send=True,
            safe_contact="Through me",
        )

    assert sorted(refused.value.message_dict) == ["what_they_bring", "why_interested"]
    assert not Application.objects.exists()


def test_another_practitioner_cannot_change_send_or_withdraw_a_referral(practitioner):
    draft = referral_of(practitioner, ApplicationStatus.DRAFT, why_interested="Their words")
    other = make_user(roles=[Role.PRACTITIONER])

    for act in (
        lambda: save_application(draft, by=other, why_interested="Changed"),
        lambda: submit_application(draft, by=other),
        lambda: withdraw_application(draft, by=other),
    ):
        with pytest.raises(ValidationError) as refused:
            act()
        assert refused.value.messages == ["This is not your application."]

    saved = Application.objects.get(pk=draft.pk)
    assert (saved.status, saved.why_interested) == (ApplicationStatus.DRAFT, "Their words")


def test_the_practitioner_answers_the_offer_of_someone_without_a_login(practitioner):
    referral = referral_of(
        practitioner, ApplicationStatus.OFFERED, person=supported_by(practitioner)
    )

    accept_offer(referral, by=practitioner)

    assert Application.objects.get(pk=referral.pk).status == ApplicationStatus.ACCEPTED
    assert Onboarding.objects.filter(person=referral.person).exists()


def test_a_practitioner_who_no_longer_supports_the_person_cannot_answer_for_them(
    client, practitioner
):
    person = supported_by(practitioner)
    referral = referral_of(practitioner, ApplicationStatus.OFFERED, person=person)
    update_safe_contact(
        person,
        by=make_staff(StaffGroup.ENGAGEMENT),
        confirm=True,
        support_worker=make_user(roles=[Role.PRACTITIONER]).person,
    )
    offer = reverse("opportunities:offer", kwargs={"application_id": referral.pk})

    with pytest.raises(ValidationError):
        accept_offer(referral, by=practitioner)
    response = client.post(offer, {"answer": "decline"})

    assert response.status_code == 404
    assert Application.objects.get(pk=referral.pk).status == ApplicationStatus.OFFERED
    assert not Onboarding.objects.exists()


def test_the_practitioner_cannot_answer_for_someone_who_can_sign_in(practitioner):
    referred = make_user(roles=[Role.PWLE])
    referral = referral_of(practitioner, ApplicationStatus.OFFERED, person=referred.person)

    with pytest.raises(ValidationError):
        accept_offer(referral, by=practitioner)

    assert Application.objects.get(pk=referral.pk).status == ApplicationStatus.OFFERED


# The pages ------------------------------------------------------------------------------------


def test_refer_page_offers_the_people_i_support_and_someone_new(client, practitioner):
    supported_by(practitioner, chosen_name="Amira")
    supported_by(make_user(roles=[Role.PRACTITIONER]), chosen_name="Not mine")

    page = client.get(refer_url(OpportunityFactory())).content.decode()

    assert "Amira" in page
    assert "Not mine" not in page
    assert "Someone new (they do not have an account)" in page


def test_refer_page_leaves_out_someone_who_paused(client, practitioner):
    paused = supported_by(practitioner, chosen_name="Taking a break")
    set_involvement_status(paused, PersonStatus.PAUSED, by=TEST_ACTOR)

    page = client.get(refer_url(OpportunityFactory())).content.decode()

    assert "Taking a break" not in page


def test_refer_page_sends_a_referral_for_someone_new(client, practitioner):
    opportunity = OpportunityFactory()

    response = client.post(
        refer_url(opportunity),
        {**ANSWERS, "person": "new", "display_name": "Mira", "consent": "on", "send": ""},
    )

    assert response.url == LIST
    referral = Application.objects.get()
    assert (referral.person.chosen_name, referral.status, referral.referred_by) == (
        "Mira",
        ApplicationStatus.SUBMITTED,
        practitioner.person,
    )


def test_refer_page_without_agreement_or_name_says_what_is_missing(client, practitioner):
    people = Person.objects.count()

    page = client.post(
        refer_url(OpportunityFactory()), {**ANSWERS, "person": "new", "send": ""}
    ).content.decode()

    assert "Confirm that the person agreed to be referred" in page
    assert "Enter a name for the person" in page
    assert (Application.objects.count(), Person.objects.count()) == (0, people)


def test_refer_page_without_a_safe_way_to_reach_them_is_refused_even_as_a_draft(
    client, practitioner
):
    data = {**ANSWERS, "safe_contact": "", "person": "new", "display_name": "Mira"}

    page = client.post(refer_url(OpportunityFactory()), {**data, "consent": "on", "save": ""})

    assert "Say how and when it is safe to reach them" in page.content.decode()
    assert not Application.objects.exists()


def test_refer_page_cannot_choose_someone_i_do_not_support(client, practitioner):
    theirs = supported_by(make_user(roles=[Role.PRACTITIONER]))

    page = client.post(
        refer_url(OpportunityFactory()),
        {**ANSWERS, "person": str(theirs.pk), "consent": "on", "send": ""},
    ).content.decode()

    assert "Select a valid choice" in page
    assert not Application.objects.exists()


def test_a_draft_referral_is_finished_and_sent_later(client, practitioner):
    draft = refer_person(
        OpportunityFactory(),
        by=practitioner,
        display_name="Mira",
        consent_confirmed=True,
        send=False,
        safe_contact="Through me",
    )
    url = reverse("opportunities:referral", kwargs={"application_id": draft.pk})

    response = client.post(url, {**ANSWERS, "send": ""})

    assert response.url == LIST
    sent = Application.objects.get(pk=draft.pk)
    assert (sent.status, sent.why_interested) == (
        ApplicationStatus.SUBMITTED,
        ANSWERS["why_interested"],
    )


def test_a_timed_out_referral_comes_back_after_signing_in(client, practitioner):
    opportunity = OpportunityFactory(closes_at=timezone.now() + timedelta(days=2))
    typed = {**ANSWERS, "person": "new", "display_name": "Mira", "consent": "on"}
    start = time.time()
    with time_machine.travel(start, tick=False):
        client.get(refer_url(opportunity))
    with time_machine.travel(start + 3 * 60 * 60, tick=False):
        client.post(refer_url(opportunity), typed)
        client.force_login(practitioner)

        page = client.get(refer_url(opportunity)).content.decode()

    assert (ANSWERS["why_interested"] in page, 'value="Mira"' in page) == (True, True)
    assert not FormDraft.objects.exists()
    assert not Application.objects.exists()


def test_a_timed_out_draft_referral_comes_back_after_signing_in(client, practitioner):
    draft = referral_of(practitioner, ApplicationStatus.DRAFT, why_interested="Saved before")
    url = reverse("opportunities:referral", kwargs={"application_id": draft.pk})
    start = time.time()
    with time_machine.travel(start, tick=False):
        client.get(url)
    with time_machine.travel(start + 3 * 60 * 60, tick=False):
        client.post(url, {**ANSWERS, "why_interested": "Typed before the timeout"})
        client.force_login(practitioner)

        page = client.get(url).content.decode()

    assert ("Typed before the timeout" in page, "Saved before" in page) == (True, False)
    assert not FormDraft.objects.exists()
    assert Application.objects.get(pk=draft.pk).why_interested == "Saved before"


def test_your_referrals_lists_only_mine(client, practitioner):
    referral_of(practitioner, person=make_person(chosen_name="Mira"))
    referral_of(make_user(roles=[Role.PRACTITIONER]), person=make_person(chosen_name="Theirs"))

    page = client.get(LIST).content.decode()

    assert "Mira" in page
    assert "Theirs" not in page


def test_another_practitioners_referral_is_not_found(client, practitioner):
    theirs = referral_of(make_user(roles=[Role.PRACTITIONER]))

    response = client.get(reverse("opportunities:referral", kwargs={"application_id": theirs.pk}))

    assert response.status_code == 404


def test_my_referral_page_shows_the_answers_and_audits_the_view(client, practitioner):
    referral = referral_of(practitioner, why_interested="Wants change")

    page = client.get(
        reverse("opportunities:referral", kwargs={"application_id": referral.pk})
    ).content.decode()

    assert "Wants change" in page
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.actor, entry.object_pk, entry.additional_data["context"]) == (
        practitioner,
        str(referral.pk),
        "portal referral",
    )


def test_my_referral_page_leaves_the_feedback_to_a_person_who_can_sign_in(client, practitioner):
    referred = make_user(roles=[Role.PWLE])
    referral = referral_of(practitioner, person=referred.person, why_interested="Wants change")
    move_application(
        referral,
        ApplicationStatus.UNSUCCESSFUL,
        by=make_staff(StaffGroup.ENGAGEMENT),
        feedback="Feedback for them alone",
    )

    page = client.get(
        reverse("opportunities:referral", kwargs={"application_id": referral.pk})
    ).content.decode()

    assert ("Wants change" in page, "Feedback for them alone" in page) == (True, False)


def test_your_referrals_queries_do_not_grow_with_referrals(client, practitioner):
    assert_queries_do_not_grow(client, LIST, lambda: referral_of(practitioner))


def test_the_referred_person_with_a_login_sees_the_referral_among_their_applications(client):
    practitioner = make_user(roles=[Role.PRACTITIONER])
    referred = make_user(roles=[Role.PWLE])
    referral_of(practitioner, person=referred.person)
    client.force_login(referred)

    page = client.get(reverse("opportunities:applications")).content.decode()

    assert "Your support worker, with your agreement" in page


def test_staff_refer_nobody(client):
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    response = client.get(refer_url(OpportunityFactory()))

    assert response.status_code == 403
    assert not Application.objects.exists()


def test_the_practitioners_download_lists_referrals_made_without_the_persons_answers(
    client, practitioner
):
    referral_of(
        practitioner,
        person=make_person(chosen_name="Mira"),
        opportunity=OpportunityFactory(title="Advisory panel"),
        why_interested="Her own words",
    )

    download = client.get("/portal/my-information/download/").content.decode()

    data = json.loads(download)["recruitment"]
    assert [referral["opportunity"] for referral in data["referrals_made"]] == ["Advisory panel"]
    assert data["applications"] == []
    assert ("Mira" in download, "Her own words" in download) == (False, False)
