"""The portal's opportunity pages: the list (what each offers, the visitor's own status), an
opportunity's page, applying (drafts kept across devices and timeouts), "Your applications",
withdrawing, answering an offer after the note about payment; "Things to do", the navigation
link, and a person's applications in their download and erasure."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coprod.enums import Role, StaffGroup
from coprod.models import FormDraft
from coprod.selectors import things_to_do_for_person
from coprod.services.rights import erase_person, request_erasure
from recruitment.enums import ApplicationStatus, OpportunityStatus, PayBasis, RoleSought, WorkMode
from recruitment.models import Application, ApplicationEvent, Onboarding
from recruitment.services.applications import save_application, start_application
from tests.factories.core import make_staff, make_user
from tests.factories.recruitment import ApplicationFactory, OpportunityFactory, application_in
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

LIST = reverse("opportunities:list")
APPLICATIONS = reverse("opportunities:applications")
ANSWERS = {
    "why_interested": "I want services to listen.",
    "what_they_bring": "I know what it is like to ask for help.",
    "support_needs": "Step-free access.",
    "safe_contact": "Text only, weekday mornings.",
}


@pytest.fixture
def pwle(client):
    user = make_user(roles=[Role.PWLE])
    client.force_login(user)
    return user


def detail_url(opportunity) -> str:
    return reverse("opportunities:detail", kwargs={"opportunity_id": opportunity.pk})


def apply_url(opportunity) -> str:
    return reverse("opportunities:apply", kwargs={"opportunity_id": opportunity.pk})


def offer_url(application) -> str:
    return reverse("opportunities:offer", kwargs={"application_id": application.pk})


def withdraw_url(application) -> str:
    return reverse("opportunities:withdraw", kwargs={"application_id": application.pk})


# The list -------------------------------------------------------------------------------------


def test_list_shows_what_each_opportunity_offers(client, pwle):
    OpportunityFactory(
        title="Survivor advisory panel",
        summary="Tell us what good support looks like.",
        pay_rate="30.00",
        pay_basis=PayBasis.SESSION,
        time_commitment="2 meetings of 3 hours",
        mode=WorkMode.IN_PERSON,
        location="Leeds",
        closes_at=datetime(2099, 3, 5, 17, 0, tzinfo=UTC),
    )

    page = client.get(LIST).content.decode()

    assert "Survivor advisory panel" in page
    assert "Tell us what good support looks like." in page
    assert "£30.00 per session" in page
    assert "2 meetings of 3 hours" in page
    assert "In person (Leeds)" in page
    assert "5 March 2099, 17:00" in page


def test_list_shows_only_open_opportunities_for_people_with_lived_experience(client, pwle):
    OpportunityFactory(title="Open for PWLE")
    OpportunityFactory(title="Open for LEE", role_sought=RoleSought.LEE)
    OpportunityFactory(title="Still a draft", status=OpportunityStatus.DRAFT)
    OpportunityFactory(title="Closed early", status=OpportunityStatus.CLOSED)
    OpportunityFactory(title="Past its closing", closes_at=timezone.now() - timedelta(hours=1))

    page = client.get(LIST).content.decode()

    shown = [
        title
        for title in (
            "Open for PWLE",
            "Open for LEE",
            "Still a draft",
            "Closed early",
            "Past its closing",
        )
        if title in page
    ]
    assert shown == ["Open for PWLE", "Open for LEE"]


def test_list_shows_nothing_to_a_researcher(client):
    client.force_login(make_user(roles=[Role.RESEARCHER]))
    OpportunityFactory(title="Open for PWLE")
    OpportunityFactory(title="Open for LEE", role_sought=RoleSought.LEE)

    page = client.get(LIST).content.decode()

    assert ("Open for PWLE" in page, "Open for LEE" in page) == (False, False)


def test_list_for_staff_shows_open_ones_only_not_drafts(client):
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))
    OpportunityFactory(title="Open for LEE", role_sought=RoleSought.LEE)
    OpportunityFactory(title="Still a draft", status=OpportunityStatus.DRAFT)

    page = client.get(LIST).content.decode()

    assert ("Open for LEE" in page, "Still a draft" in page) == (True, False)


def test_list_shows_the_visitors_own_application_status_not_others(client, pwle):
    mine = OpportunityFactory(title="Mine")
    theirs = OpportunityFactory(title="Theirs")
    application_in(ApplicationStatus.SUBMITTED, person=pwle.person, opportunity=mine)
    application_in(ApplicationStatus.SHORTLISTED, opportunity=theirs)

    page = client.get(LIST).content.decode()

    assert page.count("Your application: ") == 1
    assert "Your application: Sent" in page


def test_list_for_a_researcher_is_empty(client):
    client.force_login(make_user(roles=[Role.RESEARCHER]))
    OpportunityFactory(title="Open for PWLE")

    page = client.get(LIST).content.decode()

    assert "Open for PWLE" not in page
    assert "There are no opportunities for you right now." in page


def test_list_queries_do_not_grow_with_opportunities(client, pwle):
    def add_row():
        application_in(ApplicationStatus.SUBMITTED, person=pwle.person)

    assert assert_queries_do_not_grow(client, LIST, add_row) == 2


# An opportunity's page ---------------------------------------------------------------------------


def test_opportunity_page_says_everything_and_that_nobody_has_to_disclose(client, pwle):
    opportunity = OpportunityFactory(
        involves="Reading 5 short proposals.",
        access_support="Interpreters and childcare paid.",
        lived_experience_sought="People who have worked in farms, nail bars or homes.",
    )

    page = client.get(detail_url(opportunity)).content.decode()

    assert "Reading 5 short proposals." in page
    assert "Interpreters and childcare paid." in page
    assert "People who have worked in farms, nail bars or homes." in page
    assert "Nobody has to tell us what happened to them." in page
    assert f'href="{apply_url(opportunity)}"' in page


def test_opportunity_page_for_a_practitioner_offers_a_referral_not_applying(client):
    client.force_login(make_user(roles=[Role.PRACTITIONER]))
    opportunity = OpportunityFactory()

    page = client.get(detail_url(opportunity)).content.decode()

    refer = reverse("opportunities:refer", kwargs={"opportunity_id": opportunity.pk})
    assert f'href="{refer}"' in page
    assert f'href="{apply_url(opportunity)}"' not in page


def test_opportunity_page_closed_shows_no_apply_button_to_an_applicant(client, pwle):
    opportunity = OpportunityFactory(closes_at=timezone.now() - timedelta(days=1))
    application_in(ApplicationStatus.SUBMITTED, person=pwle.person, opportunity=opportunity)

    page = client.get(detail_url(opportunity)).content.decode()

    assert "Your application: Sent" in page
    assert f'href="{apply_url(opportunity)}"' not in page


def test_opportunity_page_is_not_found_when_only_someone_else_applied_to_it(client, pwle):
    closed = OpportunityFactory(closes_at=timezone.now() - timedelta(days=1))
    closed_early = OpportunityFactory(status=OpportunityStatus.CLOSED)
    for opportunity in (closed, closed_early):
        application_in(ApplicationStatus.SUBMITTED, opportunity=opportunity)

    statuses = [
        client.get(detail_url(opportunity)).status_code for opportunity in (closed, closed_early)
    ]

    assert statuses == [404, 404]


# Applying --------------------------------------------------------------------------------------


def test_save_and_finish_later_keeps_a_draft(client, pwle):
    opportunity = OpportunityFactory()

    response = client.post(apply_url(opportunity), {"why_interested": "Half written", "save": ""})

    assert response.url == APPLICATIONS
    draft = Application.objects.get()
    assert (draft.person, draft.status, draft.why_interested) == (
        pwle.person,
        ApplicationStatus.DRAFT,
        "Half written",
    )


def test_a_draft_is_finished_on_another_device(client, pwle):
    opportunity = OpportunityFactory()
    client.post(apply_url(opportunity), {"why_interested": "Typed on the phone", "save": ""})
    laptop = Client()
    laptop.force_login(pwle)

    page = laptop.get(apply_url(opportunity)).content.decode()
    response = laptop.post(apply_url(opportunity), {**ANSWERS, "send": ""})

    assert "Typed on the phone" in page
    assert response.url == APPLICATIONS
    sent = Application.objects.get()
    assert (sent.status, sent.why_interested) == (
        ApplicationStatus.SUBMITTED,
        ANSWERS["why_interested"],
    )


def test_a_timed_out_application_comes_back_after_signing_in(client, pwle):
    opportunity = OpportunityFactory(closes_at=timezone.now() + timedelta(days=2))
    start = time.time()
    with time_machine.travel(start, tick=False):
        client.get(apply_url(opportunity))
    with time_machine.travel(start + 3 * 60 * 60, tick=False):
        client.post(apply_url(opportunity), {"why_interested": "Typed before the timeout"})
        client.force_login(pwle)

        page = client.get(apply_url(opportunity)).content.decode()

    assert "Typed before the timeout" in page
    assert not FormDraft.objects.exists()
    assert not Application.objects.exists()


def test_sending_without_the_required_answers_names_each_and_saves_nothing(client, pwle):
    opportunity = OpportunityFactory()

    page = client.post(
        apply_url(opportunity), {"support_needs": "Breaks", "send": ""}
    ).content.decode()

    assert "Say why you are interested" in page
    assert "Say what you would bring" in page
    assert "Say how and when it is safe to contact you" in page
    assert not Application.objects.exists()


def test_sending_after_the_closing_time_is_refused_and_the_draft_is_unchanged(client, pwle):
    opportunity = OpportunityFactory(closes_at=timezone.now() + timedelta(seconds=30))
    draft = start_application(opportunity, by=pwle)
    save_application(draft, by=pwle, why_interested="Saved earlier")

    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        page = client.post(apply_url(opportunity), {**ANSWERS, "send": ""}).content.decode()

    assert "This opportunity has closed, so applications cannot be sent" in page
    kept = Application.objects.get()
    assert (kept.status, kept.why_interested) == (ApplicationStatus.DRAFT, "Saved earlier")
    assert ApplicationEvent.objects.filter(application=kept).count() == 1


def test_apply_page_says_who_sees_the_answers_and_what_happens_next(client, pwle):
    page = client.get(apply_url(OpportunityFactory())).content.decode()

    assert "Only our engagement team sees your answers." in page
    assert "We tell everyone what we decided, with feedback." in page


def test_apply_page_for_a_sent_application_sends_back_to_your_applications(client, pwle):
    application = application_in(ApplicationStatus.SUBMITTED, person=pwle.person)

    response = client.post(apply_url(application.opportunity), {**ANSWERS, "send": ""})

    assert response.url == APPLICATIONS
    assert Application.objects.get().why_interested == "I want things to change."


# Your applications -------------------------------------------------------------------------------


def test_your_applications_show_status_feedback_and_a_link_to_finish_a_draft(client, pwle):
    draft = ApplicationFactory(person=pwle.person)
    application_in(
        ApplicationStatus.UNSUCCESSFUL,
        person=pwle.person,
        feedback="Strong answers; apply again in spring.",
    )
    application_in(ApplicationStatus.UNSUCCESSFUL, feedback="Someone else's feedback")

    page = client.get(APPLICATIONS).content.decode()

    assert "Not selected this time" in page
    assert "Strong answers; apply again in spring." in page
    assert "Someone else" not in page
    assert f'href="{apply_url(draft.opportunity)}"' in page


def test_your_applications_do_not_show_feedback_before_the_end(client, pwle):
    application_in(ApplicationStatus.SHORTLISTED, person=pwle.person, feedback="Draft feedback")

    page = client.get(APPLICATIONS).content.decode()

    assert "Draft feedback" not in page


def test_your_applications_queries_do_not_grow(client, pwle):
    def add_row():
        application_in(ApplicationStatus.OFFERED, person=pwle.person)

    assert assert_queries_do_not_grow(client, APPLICATIONS, add_row) == 2


def test_withdraw_asks_first_then_withdraws(client, pwle):
    application = application_in(ApplicationStatus.SUBMITTED, person=pwle.person)

    page = client.get(withdraw_url(application)).content.decode()
    still = Application.objects.get().status
    response = client.post(withdraw_url(application))

    assert "Withdraw my application" in page
    assert still == ApplicationStatus.SUBMITTED
    assert response.url == APPLICATIONS
    assert Application.objects.get().status == ApplicationStatus.WITHDRAWN


# Answering an offer -----------------------------------------------------------------------------


def test_offer_page_first_explains_what_payment_may_affect_and_where_to_get_advice(client, pwle):
    application = application_in(ApplicationStatus.OFFERED, person=pwle.person)

    page = client.get(offer_url(application)).content.decode()

    for words in (
        "benefits",
        "asylum support",
        "immigration status",
        "You can also say no to payment and still take part.",
        "Citizens Advice",
        "Turn2us",
        "your support worker",
        "We only record what payment you can receive from the advice you have had.",
    ):
        assert words in page, words
    assert page.index("Before you answer: being paid") < page.index("Yes, I accept")


def test_accepting_on_the_offer_page(client, pwle):
    application = application_in(ApplicationStatus.OFFERED, person=pwle.person)

    response = client.post(offer_url(application), {"answer": "accept"})

    assert response.url == APPLICATIONS
    assert Application.objects.get().status == ApplicationStatus.ACCEPTED
    assert Onboarding.objects.filter(person=pwle.person).exists()


def test_saying_no_on_the_offer_page(client, pwle):
    application = application_in(ApplicationStatus.OFFERED, person=pwle.person)

    client.post(offer_url(application), {"answer": "decline"})

    assert Application.objects.get().status == ApplicationStatus.DECLINED
    assert not Onboarding.objects.exists()


def test_offer_page_without_an_answer_says_so(client, pwle):
    application = application_in(ApplicationStatus.OFFERED, person=pwle.person)

    page = client.post(offer_url(application), {}).content.decode()

    assert "Select yes or no" in page
    assert Application.objects.get().status == ApplicationStatus.OFFERED


# Things to do and the navigation ---------------------------------------------------------------


def test_things_to_do_say_there_is_an_offer_and_a_draft_to_send(pwle):
    application_in(ApplicationStatus.OFFERED, person=pwle.person)
    ApplicationFactory(person=pwle.person)
    application_in(ApplicationStatus.OFFERED)  # someone else's

    items = [item.text for item in things_to_do_for_person(pwle.person)]

    assert "You have an offer to answer" in items
    assert "You have an application you have not sent yet" in items


def test_things_to_do_leave_out_a_draft_for_a_closed_opportunity(pwle):
    ApplicationFactory(
        person=pwle.person,
        opportunity=OpportunityFactory(closes_at=timezone.now() - timedelta(minutes=1)),
    )
    ApplicationFactory(
        person=pwle.person, opportunity=OpportunityFactory(status=OpportunityStatus.CLOSED)
    )

    items = [item.text for item in things_to_do_for_person(pwle.person)]

    assert "You have an application you have not sent yet" not in items


@pytest.mark.parametrize(
    ("roles", "shown"),
    [
        ([Role.PWLE], True),
        ([Role.PWLE, Role.LEE], True),
        ([Role.PRACTITIONER], True),
        ([Role.RESEARCHER], False),
        ([Role.POLICYMAKER], False),
    ],
    ids=["pwle", "lee", "practitioner", "researcher", "policymaker"],
)
def test_opportunities_link_in_navigation(client, roles, shown):
    client.force_login(make_user(roles=roles))

    page = client.get(reverse("portal:home")).content.decode()

    assert (f'class="coprod-header__link" href="{LIST}"' in page) == shown


# Data rights -----------------------------------------------------------------------------------


def test_the_download_has_the_persons_applications_with_their_history(client, pwle):
    application = application_in(
        ApplicationStatus.UNSUCCESSFUL,
        person=pwle.person,
        opportunity=OpportunityFactory(title="Advisory panel"),
        feedback="Apply again",
        why_interested="Mine to see",
        support_needs="Step-free access",
        safe_contact="Text only",
    )
    application_in(ApplicationStatus.SUBMITTED, why_interested="Someone else's")

    data = json.loads(client.get("/portal/my-information/download/").content)["recruitment"]

    (exported,) = data["applications"]
    assert (exported["opportunity"], exported["why_interested"], exported["feedback"]) == (
        "Advisory panel",
        "Mine to see",
        "Apply again",
    )
    assert (exported["support_and_access_needs"], exported["safe_contact"]) == (
        "Step-free access",
        "Text only",
    )
    assert [step["to"] for step in exported["history"]] == ["Sent", "Not selected this time"]
    assert str(application.pk) not in [str(value) for value in exported.values()]


def test_erasure_deletes_the_persons_applications_only(pwle):
    application_in(ApplicationStatus.SUBMITTED, person=pwle.person)
    ApplicationFactory(person=pwle.person)
    other = application_in(ApplicationStatus.SUBMITTED)

    erase_person(
        request_erasure(pwle.person, by=pwle),
        by=make_staff(StaffGroup.ENGAGEMENT),
        reason="Asked.",
    )

    assert list(Application.objects.values_list("pk", flat=True)) == [other.pk]
    assert set(ApplicationEvent.objects.values_list("application", flat=True)) == {other.pk}


def test_an_lee_opportunity_says_taking_a_place_makes_you_an_lee(client, pwle):
    for_lee = OpportunityFactory(role_sought=RoleSought.LEE)
    for_pwle = OpportunityFactory()

    pages = [client.get(detail_url(o)).content.decode() for o in (for_lee, for_pwle)]

    step = "This is a role for a lived experience expert."
    assert (step in pages[0], step in pages[1]) == (True, False)
