"""Selection services: an opportunity's status, fixing a blind shortlist, staff decisions (through
move_application, with reasons and feedback), scoring, and turning down the rest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from coprod.enums import Role, StaffGroup
from coprod.models import Notification
from recruitment.enums import ApplicationStatus, OpportunityStatus
from recruitment.models import Application, ApplicationEvent, ApplicationScore, Opportunity
from recruitment.services import (
    close_opportunity,
    fix_shortlist,
    invite_to_conversation,
    mark_opportunity_filled,
    mark_unsuccessful,
    offer_place,
    publish_opportunity,
    score_application,
    shortlist_application,
    turn_down_remaining,
)
from recruitment.services.selection import Score
from tests.factories.core import make_staff, make_user
from tests.factories.recruitment import (
    OpportunityFactory,
    SelectionCriterionFactory,
    SentApplicationFactory,
    referral,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_staff(StaffGroup.ENGAGEMENT)


def draft(**fields):
    return OpportunityFactory(status=OpportunityStatus.DRAFT, **fields)


def shortlisted(opportunity, staff, **fields):
    application = SentApplicationFactory(opportunity=opportunity, **fields)
    return shortlist_application(application, by=staff, reason="Strong answers")


# An opportunity's status ---------------------------------------------------------------------


def test_publish_opens_a_draft_with_a_criterion_and_records_who_and_when(staff):
    opportunity = draft()
    SelectionCriterionFactory(opportunity=opportunity)

    publish_opportunity(opportunity, by=staff)

    opportunity.refresh_from_db()
    entry = LogEntry.objects.get_for_object(opportunity).get(action=LogEntry.Action.UPDATE)
    assert opportunity.status == OpportunityStatus.OPEN
    assert opportunity.published_at is not None
    assert (entry.actor, entry.changes["status"]) == (staff, ["draft", "open"])
    assert sorted(entry.changes) == ["published_at", "status"]


def test_publish_refuses_a_closing_date_in_the_past_and_changes_nothing(staff):
    opportunity = draft(closes_at=timezone.now() - timedelta(minutes=1))
    SelectionCriterionFactory(opportunity=opportunity)

    with pytest.raises(ValidationError, match="closing date in the future"):
        publish_opportunity(opportunity, by=staff)

    assert Opportunity.objects.get().status == OpportunityStatus.DRAFT


def test_publish_refuses_an_opportunity_without_criteria(staff):
    opportunity = draft()

    with pytest.raises(ValidationError, match="at least one selection criterion"):
        publish_opportunity(opportunity, by=staff)

    assert Opportunity.objects.get().status == OpportunityStatus.DRAFT


def test_publish_refused_to_staff_who_may_not_change_opportunities():
    opportunity = draft()
    SelectionCriterionFactory(opportunity=opportunity)

    with pytest.raises(ValidationError, match="Only the engagement team"):
        publish_opportunity(opportunity, by=make_staff(StaffGroup.FINANCE))

    assert Opportunity.objects.get().status == OpportunityStatus.DRAFT


def test_close_then_filled_and_no_way_back(staff):
    opportunity = OpportunityFactory()

    close_opportunity(opportunity, by=staff)
    mark_opportunity_filled(opportunity, by=staff)
    with pytest.raises(ValidationError, match="the opportunity is “Filled”"):
        close_opportunity(opportunity, by=staff)

    assert Opportunity.objects.get().status == OpportunityStatus.FILLED


# The blind shortlist -------------------------------------------------------------------------


def test_fix_shortlist_needs_one_shortlisted(staff):
    opportunity = OpportunityFactory()
    SentApplicationFactory(opportunity=opportunity)

    with pytest.raises(ValidationError, match="Shortlist at least one"):
        fix_shortlist(opportunity, by=staff)

    assert Opportunity.objects.get().names_hidden is True


def test_fix_shortlist_reveals_names_once(staff):
    opportunity = OpportunityFactory()
    shortlisted(opportunity, staff)

    fix_shortlist(opportunity, by=staff)
    with pytest.raises(ValidationError, match="already fixed"):
        fix_shortlist(opportunity, by=staff)

    assert Opportunity.objects.get().names_hidden is False


def test_fix_shortlist_refused_to_other_staff(staff):
    opportunity = OpportunityFactory()
    shortlisted(opportunity, staff)

    with pytest.raises(ValidationError, match="Only the engagement team"):
        fix_shortlist(opportunity, by=make_staff(StaffGroup.FUNDING))

    assert Opportunity.objects.get().shortlist_fixed_at is None


# Decisions -----------------------------------------------------------------------------------


def test_shortlisting_records_the_step_with_the_reason_and_who(staff):
    application = SentApplicationFactory()

    shortlist_application(application, by=staff, reason="Strong answers")

    event = ApplicationEvent.objects.get()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED
    assert application.decision_reason == "Strong answers"
    assert (event.from_status, event.to_status, event.by, event.note) == (
        "submitted",
        "shortlisted",
        staff,
        "Strong answers",
    )


def test_a_decision_needs_a_reason(staff):
    application = SentApplicationFactory()

    with pytest.raises(ValidationError, match="Give a reason"):
        shortlist_application(application, by=staff, reason="  ")

    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_not_selected_needs_feedback_and_changes_nothing_without_it(staff):
    application = SentApplicationFactory()

    with pytest.raises(ValidationError, match="Write feedback"):
        mark_unsuccessful(application, by=staff, reason="Others closer", feedback=" ")

    assert Application.objects.get().status == ApplicationStatus.SUBMITTED
    assert Notification.objects.count() == 0


def test_not_selected_sends_the_person_a_message_with_the_feedback(staff):
    application = SentApplicationFactory()

    mark_unsuccessful(
        application, by=staff, reason="Others closer", feedback="Your answers were thoughtful."
    )

    message = Notification.objects.get()
    assert message.person == application.person
    assert message.idempotency_key == f"recruitment:application-outcome:{application.pk}"
    assert "Your answers were thoughtful." in message.content["full"]["body"]
    assert Application.objects.get().feedback == "Your answers were thoughtful."


@pytest.mark.parametrize("step", [invite_to_conversation, offer_place])
def test_conversation_or_offer_refused_while_names_are_hidden(staff, step):
    application = shortlisted(OpportunityFactory(), staff)

    with pytest.raises(ValidationError, match="Fix the shortlist first"):
        step(application, by=staff, reason="Good fit")

    assert Application.objects.get().status == ApplicationStatus.SHORTLISTED


def test_conversation_then_offer_once_the_shortlist_is_fixed(staff):
    opportunity = OpportunityFactory()
    application = shortlisted(opportunity, staff)
    fix_shortlist(opportunity, by=staff)
    application = Application.objects.select_related("opportunity").get()

    invite_to_conversation(application, by=staff, reason="Good fit")
    offer_place(application, by=staff, reason="Good conversation")

    assert list(ApplicationEvent.objects.values_list("to_status", flat=True)) == [
        "shortlisted",
        "conversation",
        "offered",
    ]


def test_without_blind_shortlisting_an_offer_needs_no_fixing(staff):
    application = shortlisted(OpportunityFactory(blind_shortlisting=False), staff)

    offer_place(application, by=staff, reason="Good fit", feedback="Welcome")

    assert Application.objects.get().status == ApplicationStatus.OFFERED


def test_staff_cannot_decide_on_their_own_application(staff):
    application = SentApplicationFactory(person=staff.person)

    with pytest.raises(ValidationError, match="your own application"):
        shortlist_application(application, by=staff, reason="I am great")

    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_staff_cannot_decide_on_an_application_they_referred(staff):
    application = referral(OpportunityFactory(), staff.person)

    with pytest.raises(ValidationError, match="one you referred"):
        shortlist_application(application, by=staff, reason="Good")

    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize(
    "actor",
    [lambda: make_staff(StaffGroup.FINANCE), lambda: make_user(roles=[Role.PRACTITIONER])],
    ids=["finance", "practitioner"],
)
def test_decisions_refused_to_anyone_but_the_engagement_team(actor):
    application = SentApplicationFactory()

    with pytest.raises(ValidationError, match="Only the engagement team"):
        shortlist_application(application, by=actor(), reason="Good")

    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_decisions_refused_on_a_draft_opportunity(staff):
    application = SentApplicationFactory(opportunity=draft())

    with pytest.raises(ValidationError, match="not published"):
        shortlist_application(application, by=staff, reason="Good")

    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_turn_down_remaining_tells_everyone_still_waiting_and_leaves_offers(staff):
    opportunity = OpportunityFactory(blind_shortlisting=False)
    waiting = SentApplicationFactory(opportunity=opportunity)
    listed = shortlisted(opportunity, staff)
    offered = offer_place(shortlisted(opportunity, staff), by=staff, reason="Best fit")

    count = turn_down_remaining(
        opportunity, by=staff, reason="Places filled", feedback="Thank you for applying."
    )

    statuses = dict(Application.objects.values_list("pk", "status"))
    assert count == 2
    assert statuses == {
        waiting.pk: "unsuccessful",
        listed.pk: "unsuccessful",
        offered.pk: "offered",
    }
    assert sorted(Notification.objects.values_list("person_id", flat=True)) == sorted(
        [waiting.person_id, listed.person_id]
    )


def test_turn_down_remaining_is_all_or_nothing(staff):
    opportunity = OpportunityFactory()
    SentApplicationFactory(opportunity=opportunity)
    SentApplicationFactory(opportunity=opportunity, person=staff.person)  # refused: their own

    with pytest.raises(ValidationError, match="your own application"):
        turn_down_remaining(opportunity, by=staff, reason="Filled", feedback="Thank you.")

    assert set(Application.objects.values_list("status", flat=True)) == {"submitted"}
    assert Notification.objects.count() == 0


# Scores --------------------------------------------------------------------------------------


def test_scores_are_saved_and_replaced_one_per_scorer_and_criterion(staff):
    application = SentApplicationFactory()
    criterion = SelectionCriterionFactory(opportunity=application.opportunity, max_score=4)

    score_application(application, by=staff, scores={criterion.pk: Score(2, "ok")})
    score_application(application, by=staff, scores={criterion.pk: Score(4, "better")})
    score_application(
        application, by=make_staff(StaffGroup.ENGAGEMENT), scores={criterion.pk: Score(1)}
    )

    assert sorted(ApplicationScore.objects.values_list("score", "comment")) == [
        (1, ""),
        (4, "better"),
    ]


def test_a_score_above_the_highest_saves_none_of_the_scores(staff):
    application = SentApplicationFactory()
    first = SelectionCriterionFactory(opportunity=application.opportunity, max_score=4)
    second = SelectionCriterionFactory(opportunity=application.opportunity, max_score=4)

    with pytest.raises(ValidationError, match="from 0 to 4"):
        score_application(application, by=staff, scores={first.pk: Score(3), second.pk: Score(5)})

    assert ApplicationScore.objects.count() == 0


def test_a_criterion_of_another_opportunity_is_refused(staff):
    application = SentApplicationFactory()
    elsewhere = SelectionCriterionFactory()

    with pytest.raises(ValidationError, match="not one of this opportunity's criteria"):
        score_application(application, by=staff, scores={elsewhere.pk: Score(1)})

    assert ApplicationScore.objects.count() == 0


def test_nobody_scores_their_own_application(staff):
    application = SentApplicationFactory(person=staff.person)
    criterion = SelectionCriterionFactory(opportunity=application.opportunity)

    with pytest.raises(ValidationError, match="your own application"):
        score_application(application, by=staff, scores={criterion.pk: Score(4)})

    assert ApplicationScore.objects.count() == 0


def test_scores_cannot_change_after_the_decision(staff):
    opportunity = OpportunityFactory(blind_shortlisting=False)
    criterion = SelectionCriterionFactory(opportunity=opportunity)
    application = offer_place(shortlisted(opportunity, staff), by=staff, reason="Best")

    with pytest.raises(ValidationError, match="Scores cannot be changed now"):
        score_application(application, by=staff, scores={criterion.pk: Score(4)})

    assert ApplicationScore.objects.count() == 0


def test_scoring_refused_to_staff_without_the_selection_permission():
    application = SentApplicationFactory()
    criterion = SelectionCriterionFactory(opportunity=application.opportunity)

    with pytest.raises(ValidationError, match="Only the engagement team"):
        score_application(
            application, by=make_staff(StaffGroup.FUNDING), scores={criterion.pk: Score(4)}
        )

    assert ApplicationScore.objects.count() == 0


def test_a_person_with_lived_experience_is_not_a_scorer():
    application = SentApplicationFactory()
    criterion = SelectionCriterionFactory(opportunity=application.opportunity)
    applicant = make_user(roles=[Role.PWLE])

    with pytest.raises(ValidationError, match="Only the engagement team"):
        score_application(application, by=applicant, scores={criterion.pk: Score(4)})

    assert ApplicationScore.objects.count() == 0


# The admin -----------------------------------------------------------------------------------


def test_opportunity_written_in_the_admin_starts_as_a_draft_by_its_author(client, staff):
    client.force_login(staff)

    response = client.post(
        "/admin/recruitment/opportunity/add/",
        {
            "title": "Panel on safe housing",
            "summary": "Help us choose research.",
            "role_sought": "lee",
            "involves": "Reading and one meeting.",
            "time_commitment": "6 hours",
            "engagement_kind": "panel",
            "pay_rate": "25.00",
            "pay_basis": "hour",
            "mode": "remote",
            "access_support": "Data costs paid.",
            "places": "2",
            "closes_at_0": "2099-01-01",
            "closes_at_1": "12:00:00",
            "status": "open",  # not a field of the form: ignored
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-name": "Knows housing",
            "criteria-0-max_score": "4",
            "criteria-0-order": "0",
        },
    )

    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert (opportunity.status, opportunity.created_by) == (OpportunityStatus.DRAFT, staff)
    assert list(opportunity.criteria.values_list("name", flat=True)) == ["Knows housing"]


def test_admin_publish_action_publishes_through_the_service_and_reports_refusals(client, staff):
    ready = draft(title="Ready")
    SelectionCriterionFactory(opportunity=ready)
    not_ready = draft(title="No criteria")
    client.force_login(staff)

    response = client.post(
        "/admin/recruitment/opportunity/",
        {"action": "publish", "_selected_action": [ready.pk, not_ready.pk]},
        follow=True,
    )

    statuses = dict(Opportunity.objects.values_list("title", "status"))
    assert statuses == {"Ready": "open", "No criteria": "draft"}
    assert "No criteria: Add at least one selection criterion" in response.content.decode()


def test_no_more_offers_than_places(staff):
    opportunity = OpportunityFactory(blind_shortlisting=False, places=1)
    offer_place(shortlisted(opportunity, staff), by=staff, reason="Best fit")
    second = shortlisted(opportunity, staff)

    with pytest.raises(ValidationError, match=r"Every place \(1\) is already offered or taken"):
        offer_place(second, by=staff, reason="Also good")

    assert Application.objects.get(pk=second.pk).status == ApplicationStatus.SHORTLISTED


def test_admin_cannot_switch_off_blind_shortlisting_once_published(client, staff):
    """Unticking "shortlist without names" on an open opportunity would show the applicants'
    names before the shortlist is fixed: the box is read-only once the opportunity is published."""
    opportunity = OpportunityFactory(title="Panel on safe housing")
    criterion = SelectionCriterionFactory(opportunity=opportunity, name="Knows housing")
    SentApplicationFactory(opportunity=opportunity)
    closes = timezone.localtime(opportunity.closes_at)
    client.force_login(staff)

    response = client.post(
        f"/admin/recruitment/opportunity/{opportunity.pk}/change/",
        {
            "title": opportunity.title,
            "summary": opportunity.summary,
            "role_sought": opportunity.role_sought,
            "involves": opportunity.involves,
            "time_commitment": opportunity.time_commitment,
            "engagement_kind": opportunity.engagement_kind,
            "pay_rate": "25.00",
            "pay_basis": opportunity.pay_basis,
            "mode": opportunity.mode,
            "access_support": opportunity.access_support,
            "places": str(opportunity.places),
            "closes_at_0": closes.date().isoformat(),
            "closes_at_1": closes.strftime("%H:%M:%S"),
            # "blind_shortlisting" left out: the box unticked.
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "1",
            "criteria-0-id": str(criterion.pk),
            "criteria-0-opportunity": str(opportunity.pk),
            "criteria-0-name": criterion.name,
            "criteria-0-max_score": "4",
            "criteria-0-order": "0",
        },
    )

    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.blind_shortlisting, opportunity.names_hidden) == (True, True)
