"""Staff selection pages: the opportunities list with counts by state, an opportunity's pipeline
(blind until the shortlist is fixed, with involvement in the last 12 months and training), one
application (answers audited, support needs only when names are shown), and the buttons. Query
counts do not grow with the rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coprod.enums import Role, StaffGroup
from coprod.models import london_today
from recruitment.enums import ApplicationStatus, EngagementStatus, OpportunityStatus
from recruitment.models import Application, ApplicationScore, Opportunity
from recruitment.selectors.selection import pipeline, who_is_ready
from recruitment.services import fix_shortlist, shortlist_application
from tests.factories.core import TEST_ACTOR, make_person, make_staff, make_user
from tests.factories.recruitment import (
    EngagementFactory,
    OpportunityFactory,
    SelectionCriterionFactory,
    SentApplicationFactory,
    TrainingModuleFactory,
    referral,
)
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

LIST = "/staff/recruitment/opportunities/"


def pipeline_url(opportunity: Opportunity) -> str:
    return f"{LIST}{opportunity.pk}/"


def application_url(application: Application) -> str:
    return f"{LIST}{application.opportunity_id}/applications/{application.pk}/"


@pytest.fixture
def staff(client):
    user = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(user)
    return user


def leaky_applications(opportunity: Opportunity) -> tuple[Application, Application]:
    """A self-made application and a referral whose names could leak: distinctive display names
    for the applicants and the practitioner."""
    practitioner = make_person(roles=[Role.PRACTITIONER], chosen_name="Practitioner Quillon")
    own = SentApplicationFactory(opportunity=opportunity, person__chosen_name="Applicant Zephyrine")
    referred = referral(
        opportunity, practitioner, person=make_person(chosen_name="Referred Marlowe")
    )
    return own, referred


def fixed(opportunity: Opportunity, application: Application) -> None:
    shortlist_application(application, by=TEST_ACTOR, reason="Strong")
    fix_shortlist(opportunity, by=TEST_ACTOR)


# The opportunities list ----------------------------------------------------------------------


def test_list_shows_each_opportunity_with_counts_by_state(client, staff):
    opportunity = OpportunityFactory(title="Survivor advisory panel")
    for status in ["submitted", "submitted", "shortlisted", "unsuccessful", "draft"]:
        SentApplicationFactory(opportunity=opportunity, status=status)

    response = client.get(LIST)

    row = response.context["page"].items[0]
    assert "Survivor advisory panel" in response.content.decode()
    assert (row.count_submitted, row.count_shortlisted, row.count_unsuccessful) == (2, 1, 1)
    assert (row.count_offered, row.count_accepted) == (0, 0)


def test_list_queries_do_not_grow_with_opportunities(client, staff):
    def add_row():
        opportunity = OpportunityFactory()
        SentApplicationFactory(opportunity=opportunity)
        SentApplicationFactory(opportunity=opportunity, status=ApplicationStatus.SHORTLISTED)

    assert_queries_do_not_grow(client, LIST, add_row)


# The pipeline --------------------------------------------------------------------------------


def test_pipeline_with_names_hidden_shows_neither_names_nor_who_referred(client, staff):
    opportunity = OpportunityFactory()
    leaky_applications(opportunity)

    page = client.get(pipeline_url(opportunity)).content.decode()

    assert "Applicant 1" in page
    assert "Applicant 2" in page
    for name in ("Applicant Zephyrine", "Referred Marlowe", "Practitioner Quillon"):
        assert name not in page
    assert "Referred by" not in page
    assert "Applied themselves" not in page


def test_a_referred_application_with_names_hidden_shows_no_name_or_referrer(client, staff):
    opportunity = OpportunityFactory()
    _own, referred = leaky_applications(opportunity)

    page = client.get(application_url(referred)).content.decode()

    assert "Applicant 2" in page
    for text in ("Referred Marlowe", "Practitioner Quillon", "Referred by", "referral"):
        assert text not in page


def test_pipeline_shows_names_and_referrers_once_the_shortlist_is_fixed(client, staff):
    opportunity = OpportunityFactory()
    own, _referred = leaky_applications(opportunity)
    fixed(opportunity, own)

    page = client.get(pipeline_url(opportunity)).content.decode()

    for name in ("Applicant Zephyrine", "Referred Marlowe", "Practitioner Quillon"):
        assert name in page
    assert "Applicant 1<" not in page


@pytest.mark.parametrize("reveal", [False, True], ids=["names hidden", "names shown"])
def test_pipeline_queries_do_not_grow_with_applications(client, staff, reveal):
    opportunity = OpportunityFactory()
    criterion = SelectionCriterionFactory(opportunity=opportunity)
    opportunity.required_modules.add(TrainingModuleFactory())
    practitioner = make_person(roles=[Role.PRACTITIONER])
    first = SentApplicationFactory(opportunity=opportunity)
    if reveal:
        fixed(opportunity, first)

    def add_row():
        application = referral(opportunity, practitioner)
        ApplicationScore.objects.create(
            application=application, criterion=criterion, scorer=staff, score=3
        )
        EngagementFactory(person=application.person, status=EngagementStatus.COMPLETED)

    assert_queries_do_not_grow(client, pipeline_url(opportunity), add_row)


def test_pipeline_counts_involvement_in_the_last_12_months_only(client, staff):
    opportunity = OpportunityFactory(blind_shortlisting=False)
    application = SentApplicationFactory(opportunity=opportunity)
    person = application.person
    today = london_today()
    EngagementFactory(person=person, status=EngagementStatus.COMPLETED, date=today)
    EngagementFactory(
        person=person, status=EngagementStatus.COMPLETED, date=today - timedelta(days=364)
    )
    EngagementFactory(
        person=person, status=EngagementStatus.COMPLETED, date=today - timedelta(days=400)
    )
    EngagementFactory(person=person, status=EngagementStatus.CANCELLED, date=today)
    EngagementFactory(status=EngagementStatus.COMPLETED, date=today)  # someone else's
    SentApplicationFactory(
        person=person, status=ApplicationStatus.ACCEPTED, status_changed_at=timezone.now()
    )
    SentApplicationFactory(
        person=person,
        status=ApplicationStatus.ACCEPTED,
        status_changed_at=timezone.now() - timedelta(days=400),
    )

    row = client.get(pipeline_url(opportunity)).context["rows"][0]

    assert (row.engagements_last_year, row.accepted_last_year) == (2, 1)


def test_pipeline_shows_mean_score_and_training_done(client, staff):
    opportunity = OpportunityFactory()
    criterion = SelectionCriterionFactory(opportunity=opportunity)
    required, other = TrainingModuleFactory(), TrainingModuleFactory()
    opportunity.required_modules.add(required, TrainingModuleFactory())
    application = SentApplicationFactory(opportunity=opportunity)
    for score in (2, 3):
        ApplicationScore.objects.create(
            application=application,
            criterion=criterion,
            scorer=make_staff(StaffGroup.ENGAGEMENT),
            score=score,
        )
    for module in (required, other):
        application.person.training_completions.create(module=module, completed_on=london_today())

    response = client.get(pipeline_url(opportunity))

    row = response.context["rows"][0]
    assert (str(row.mean_score), row.scores, row.modules_done) == ("2.5", 2, 1)
    assert "1 / 2" in response.content.decode()


def test_pipeline_filters_by_state_and_never_shows_drafts(client, staff):
    opportunity = OpportunityFactory()
    sent = SentApplicationFactory(opportunity=opportunity)
    listed = SentApplicationFactory(opportunity=opportunity, status=ApplicationStatus.SHORTLISTED)
    SentApplicationFactory(opportunity=opportunity, status=ApplicationStatus.DRAFT)

    everyone = client.get(pipeline_url(opportunity)).context["rows"]
    only_listed = client.get(pipeline_url(opportunity) + "?state=shortlisted").context["rows"]

    assert [row.application_id for row in everyone] == [sent.pk, listed.pk]
    assert [row.application_id for row in only_listed] == [listed.pk]


def test_fix_shortlist_button_reveals_names(client, staff):
    opportunity = OpportunityFactory()
    own, _referred = leaky_applications(opportunity)
    shortlist_application(own, by=TEST_ACTOR, reason="Strong")

    response = client.post(f"{LIST}{opportunity.pk}/fix-shortlist/", follow=True)

    assert "The shortlist is fixed. Names are now shown." in response.content.decode()
    assert "Applicant Zephyrine" in response.content.decode()


def test_fix_shortlist_button_with_nobody_shortlisted_says_why(client, staff):
    opportunity = OpportunityFactory()
    leaky_applications(opportunity)

    response = client.post(f"{LIST}{opportunity.pk}/fix-shortlist/", follow=True)

    assert "Shortlist at least one application" in response.content.decode()
    assert Opportunity.objects.get().shortlist_fixed_at is None


def test_publish_button_opens_a_draft(client, staff):
    opportunity = OpportunityFactory(status=OpportunityStatus.DRAFT)
    SelectionCriterionFactory(opportunity=opportunity)

    response = client.post(f"{LIST}{opportunity.pk}/status/", {"to": "open"}, follow=True)

    assert Opportunity.objects.get().status == OpportunityStatus.OPEN
    assert "The opportunity is now “Open”." in response.content.decode()


def test_publish_button_without_criteria_says_why_and_changes_nothing(client, staff):
    opportunity = OpportunityFactory(status=OpportunityStatus.DRAFT)

    response = client.post(f"{LIST}{opportunity.pk}/status/", {"to": "open"}, follow=True)

    assert Opportunity.objects.get().status == OpportunityStatus.DRAFT
    assert "Add at least one selection criterion" in response.content.decode()


def test_turn_down_the_rest_with_feedback(client, staff):
    opportunity = OpportunityFactory()
    SentApplicationFactory(opportunity=opportunity)
    SentApplicationFactory(opportunity=opportunity, status=ApplicationStatus.SHORTLISTED)

    response = client.post(
        f"{LIST}{opportunity.pk}/not-selected/",
        {"reason": "Filled", "feedback": "Thank you for applying."},
        follow=True,
    )

    assert "2 people were told they were not selected." in response.content.decode()
    assert set(Application.objects.values_list("status", "feedback")) == {
        ("unsuccessful", "Thank you for applying.")
    }


def test_turn_down_the_rest_without_feedback_is_refused(client, staff):
    opportunity = OpportunityFactory()
    SentApplicationFactory(opportunity=opportunity)

    response = client.post(f"{LIST}{opportunity.pk}/not-selected/", {"reason": "Filled"})

    assert response.status_code == 400
    assert "everyone is told why" in response.content.decode()
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


# One application -----------------------------------------------------------------------------


def with_support_needs(opportunity: Opportunity) -> Application:
    return SentApplicationFactory(
        opportunity=opportunity,
        person__chosen_name="Applicant Zephyrine",
        why_interested="I care about fair work.",
        support_needs="Zeta wheelchair access",
        safe_contact="Zeta only after 6pm",
    )


def test_application_page_is_audited_and_hides_support_needs_while_blind(client, staff):
    application = with_support_needs(OpportunityFactory())

    page = client.get(application_url(application)).content.decode()

    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert "I care about fair work." in page
    assert "Zeta" not in page
    assert "Applicant Zephyrine" not in page
    assert (entry.actor, entry.additional_data) == (
        staff,
        {"fields": ["what_they_bring", "why_interested"], "context": "selection"},
    )


def test_application_page_shows_support_needs_once_names_are_shown_audited(client, staff):
    opportunity = OpportunityFactory()
    application = with_support_needs(opportunity)
    fixed(opportunity, application)

    page = client.get(application_url(application)).content.decode()

    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert "Zeta wheelchair access" in page
    assert "Zeta only after 6pm" in page
    assert "Applicant Zephyrine" in page
    assert entry.additional_data["fields"] == [
        "safe_contact",
        "support_needs",
        "what_they_bring",
        "why_interested",
    ]


def test_application_history_hides_the_applicants_own_steps_name_while_blind(client, staff):
    opportunity = OpportunityFactory()
    applicant = make_user(roles=[Role.PWLE])
    applicant.person.chosen_name = "Applicant Zephyrine"
    applicant.person.save()
    application = SentApplicationFactory(opportunity=opportunity, person=applicant.person)
    application.events.create(from_status="draft", to_status="submitted", by=applicant, note="x")
    shortlist_application(application, by=staff, reason="Strong answers")

    history = client.get(application_url(application)).context["history"]

    assert [(row.by, row.note) for row in history] == [
        ("Applicant or referrer", ""),
        (staff.person.display_name, "Strong answers"),
    ]


def test_scoring_on_the_application_page(client, staff):
    application = SentApplicationFactory()
    criterion = SelectionCriterionFactory(opportunity=application.opportunity, max_score=4)

    response = client.post(
        application_url(application) + "score/",
        {f"score_{criterion.pk}": "3", f"comment_{criterion.pk}": "Clear"},
    )

    assert response.status_code == 302
    assert ApplicationScore.objects.values_list("scorer", "score", "comment").get() == (
        staff.pk,
        3,
        "Clear",
    )


def test_a_score_out_of_range_is_shown_as_an_error(client, staff):
    application = SentApplicationFactory()
    criterion = SelectionCriterionFactory(opportunity=application.opportunity, max_score=4)

    response = client.post(application_url(application) + "score/", {f"score_{criterion.pk}": "9"})

    assert response.status_code == 400
    assert "The score cannot be more than 4" in response.content.decode()
    assert ApplicationScore.objects.count() == 0


def test_decision_not_selected_without_feedback_is_refused(client, staff):
    application = SentApplicationFactory()

    response = client.post(
        application_url(application) + "decide/", {"to": "unsuccessful", "reason": "Others"}
    )

    assert response.status_code == 400
    assert "everyone who is not selected is told why" in response.content.decode()
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_decision_not_selected_with_feedback(client, staff):
    application = SentApplicationFactory()

    response = client.post(
        application_url(application) + "decide/",
        {"to": "unsuccessful", "reason": "Others closer", "feedback": "Thank you."},
    )

    assert response.status_code == 302
    assert Application.objects.values_list("status", "decision_reason", "feedback").get() == (
        "unsuccessful",
        "Others closer",
        "Thank you.",
    )


def test_blind_decisions_offer_only_shortlisting_or_not_selected(client, staff):
    application = SentApplicationFactory(status=ApplicationStatus.SHORTLISTED)

    offered = client.post(
        application_url(application) + "decide/", {"to": "offered", "reason": "Great"}
    )

    choices = offered.context["decision_form"].fields["to"].choices
    assert [value for value, _label in choices] == ["unsuccessful"]
    assert offered.status_code == 400
    assert Application.objects.get().status == ApplicationStatus.SHORTLISTED


def test_the_step_buttons_never_say_interview(client, staff):
    opportunity = OpportunityFactory(blind_shortlisting=False)
    application = SentApplicationFactory(
        opportunity=opportunity, status=ApplicationStatus.SHORTLISTED
    )

    page = client.get(application_url(application)).content.decode()

    assert "Invite to a conversation" in page
    assert "interview" not in page.lower()


# The portal's "Getting started" ---------------------------------------------------------------


def test_getting_started_page_queries_do_not_grow_with_training(client):
    member = make_user(roles=[Role.PWLE])
    client.force_login(member)

    def add_row():
        member.person.training_completions.create(
            module=TrainingModuleFactory(), completed_on=london_today()
        )

    assert_queries_do_not_grow(client, "/portal/getting-started/", add_row)


def test_support_needs_need_the_contact_details_permission_as_well(client):
    """Least privilege: a member of staff who may select but not see contact, access and
    safe-contact details (coprod.view_contact_details) sees the answers only."""
    selector = make_staff()
    selector.user_permissions.add(
        Permission.objects.get(codename="manage_selection"),
        Permission.objects.get(codename="view_opportunity"),
    )
    opportunity = OpportunityFactory()
    application = with_support_needs(opportunity)
    fixed(opportunity, application)
    client.force_login(selector)

    page = client.get(application_url(application)).content.decode()

    assert "I care about fair work." in page
    assert "Zeta" not in page
    assert LogEntry.objects.get(action=LogEntry.Action.ACCESS).additional_data["fields"] == [
        "what_they_bring",
        "why_interested",
    ]


def test_pipeline_pages_keep_the_filter(client, staff, monkeypatch):
    monkeypatch.setattr("recruitment.views.selection.PER_PAGE", 1)
    opportunity = OpportunityFactory()
    for _ in range(3):
        SentApplicationFactory(opportunity=opportunity, status=ApplicationStatus.SHORTLISTED)

    response = client.get(pipeline_url(opportunity) + "?state=shortlisted&page=2")

    page = response.content.decode()
    assert [row.number for row in response.context["rows"]] == [2]
    assert 'href="?state=shortlisted&amp;page=1"' in page
    assert 'href="?state=shortlisted&amp;page=3"' in page


@pytest.mark.parametrize(
    ("group", "links"),
    [
        (
            StaffGroup.ENGAGEMENT,
            [
                "Opportunities and selection",
                "Write or edit opportunities",
                "Training modules",
                "Training records",
            ],
        ),
        (StaffGroup.FINANCE, []),
        (StaffGroup.FUNDING, []),
    ],
)
def test_staff_home_links_to_selection_pages_only_for_who_may_use_them(client, group, links):
    client.force_login(make_staff(group))

    sections = dict(client.get("/staff/").context["sections"])

    shown = [link.label for link in sections.get("Opportunities, selection and training", [])]
    assert shown == links


def test_application_history_hides_a_staff_applicants_own_steps_while_blind(client, staff):
    """A member of staff may apply too: their own steps are an applicant's, not staff's."""
    applicant = make_staff(StaffGroup.FINANCE)
    applicant.person.chosen_name = "Applicant Zephyrine"
    applicant.person.save()
    application = SentApplicationFactory(opportunity=OpportunityFactory(), person=applicant.person)
    application.events.create(
        from_status="draft", to_status="submitted", by=applicant, note="Zephyrine here"
    )

    response = client.get(application_url(application))

    assert [(row.by, row.note) for row in response.context["history"]] == [
        ("Applicant or referrer", "")
    ]
    assert "Zephyrine" not in response.content.decode()


def test_blind_pipeline_and_who_is_ready_do_not_read_names(staff):
    opportunity = OpportunityFactory()
    own, _referred = leaky_applications(opportunity)
    shortlist_application(own, by=TEST_ACTOR, reason="Strong")

    with CaptureQueriesContext(connection) as queries:
        list(pipeline(opportunity))
        who_is_ready(opportunity)

    read = [query["sql"] for query in queries]
    assert [sql for sql in read if "chosen_name" in sql or "generated_name" in sql] == []


def test_status_button_needs_the_permission_to_change_opportunities(client):
    """Least privilege: a member of staff who may select but not change opportunities is
    refused, and the opportunity stays as it was."""
    selector = make_staff()
    selector.user_permissions.add(
        Permission.objects.get(codename="manage_selection"),
        Permission.objects.get(codename="view_opportunity"),
    )
    opportunity = OpportunityFactory()
    client.force_login(selector)

    response = client.post(f"{LIST}{opportunity.pk}/status/", {"to": "closed"})

    assert response.status_code == 403
    assert Opportunity.objects.get().status == OpportunityStatus.OPEN


@pytest.mark.parametrize("reveal", [False, True], ids=["names hidden", "names shown"])
def test_application_page_queries_do_not_grow_with_scores_and_steps(client, staff, reveal):
    opportunity = OpportunityFactory()
    criterion = SelectionCriterionFactory(opportunity=opportunity)
    application = SentApplicationFactory(opportunity=opportunity)
    if reveal:
        fixed(opportunity, application)

    def add_row():
        scorer = make_staff(StaffGroup.ENGAGEMENT)
        ApplicationScore.objects.create(
            application=application, criterion=criterion, scorer=scorer, score=2
        )
        application.events.create(
            from_status=application.status, to_status=application.status, by=scorer, note="n"
        )

    assert_queries_do_not_grow(client, application_url(application), add_row)


def test_the_pipeline_offers_editing_the_opportunity_only_to_who_may_edit_it(client):
    opportunity = OpportunityFactory()
    editor = make_staff(StaffGroup.ENGAGEMENT)
    selector = make_staff(StaffGroup.FUNDING)
    selector.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="recruitment",
            codename__in=["manage_selection", "view_application", "view_opportunity"],
        )
    )

    client.force_login(editor)
    for_editor = client.get(pipeline_url(opportunity)).content.decode()
    client.force_login(selector)
    for_selector = client.get(pipeline_url(opportunity))

    assert "Edit the opportunity" in for_editor
    assert for_selector.status_code == 200
    assert "Edit the opportunity" not in for_selector.content.decode()
