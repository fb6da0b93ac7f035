"""Permission-matrix entries: staff pages for opportunities, selection, training and onboarding,
and the portal's "Getting started"."""
# Joined with the rest in permission_matrix.py.

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from recruitment.enums import ApplicationStatus, OpportunityStatus
from recruitment.models import (
    Application,
    ApplicationScore,
    Onboarding,
    Opportunity,
    TrainingCompletion,
)
from recruitment.services import record_agreement_signed, start_onboarding
from tests.factories.core import TEST_ACTOR, make_person
from tests.factories.recruitment import (
    OpportunityFactory,
    SelectionCriterionFactory,
    SentApplicationFactory,
    TrainingModuleFactory,
    referral,
)
from tests.matrix import Entry, Visit, signed_in, staff_page

ENGAGEMENT_ONLY = staff_page(allowed=200)


def _opportunity(**fields: Any) -> Opportunity:
    opportunity = OpportunityFactory(**fields)
    SelectionCriterionFactory(opportunity=opportunity)
    module = TrainingModuleFactory()
    opportunity.required_modules.add(module)
    return opportunity


def opportunities(visit: Visit) -> dict[str, Any]:
    """Something to list: an opportunity with an application from the visitor, if they are a
    person, and one from someone else."""
    opportunity = _opportunity()
    SentApplicationFactory(opportunity=opportunity)
    if visit.person is not None:
        SentApplicationFactory(opportunity=opportunity, person=visit.person)
    return {"pk": opportunity.pk}


def listed(visit: Visit) -> dict[str, Any]:
    opportunities(visit)
    return {}


def just_the_opportunity(build: Callable[[Visit], dict[str, Any]]) -> Callable[[Visit], Any]:
    return lambda visit: {"pk": build(visit)["pk"]}


def visitors_own_application(visit: Visit) -> dict[str, Any]:
    """The visitor's own application (or, anonymous, someone's): being the applicant opens no
    staff page."""
    opportunity = _opportunity()
    application = SentApplicationFactory(
        opportunity=opportunity, person=visit.person or make_person()
    )
    return {"pk": opportunity.pk, "application_pk": application.pk}


def referred_by_visitor(visit: Visit) -> dict[str, Any]:
    """An application the visitor referred: the referrer sees it in the portal, not here."""
    opportunity = _opportunity()
    application = referral(opportunity, visit.person or make_person())
    return {"pk": opportunity.pk, "application_pk": application.pk}


def someone_elses_application(visit: Visit) -> dict[str, Any]:
    opportunity = _opportunity()
    application = SentApplicationFactory(opportunity=opportunity)
    return {"pk": opportunity.pk, "application_pk": application.pk}


def application_of_another_opportunity(visit: Visit) -> dict[str, Any]:
    """The URL names one opportunity and an application to another: it does not exist here."""
    kwargs = someone_elses_application(visit)
    return {**kwargs, "pk": _opportunity().pk}


def draft_application(visit: Visit) -> dict[str, Any]:
    """Drafts are the person's own until sent: staff never see them."""
    opportunity = _opportunity()
    application = SentApplicationFactory(opportunity=opportunity, status=ApplicationStatus.DRAFT)
    return {"pk": opportunity.pk, "application_pk": application.pk}


def shortlisted(visit: Visit) -> dict[str, Any]:
    opportunity = _opportunity()
    application = SentApplicationFactory(
        opportunity=opportunity, status=ApplicationStatus.SHORTLISTED
    )
    return {"pk": opportunity.pk, "application_pk": application.pk}


def accepted(visit: Visit) -> dict[str, Any]:
    opportunity = _opportunity(blind_shortlisting=False)
    application = SentApplicationFactory(opportunity=opportunity, status=ApplicationStatus.ACCEPTED)
    return {"pk": opportunity.pk, "application_pk": application.pk}


def getting_started(visit: Visit) -> dict[str, Any]:
    """Someone else's onboarding that could leak, and the visitor's own."""
    other = make_person()
    start_onboarding(other, by=TEST_ACTOR)
    record_agreement_signed(other, by=TEST_ACTOR, signed_on=date(2026, 1, 2))
    if visit.person is not None:
        start_onboarding(visit.person, by=TEST_ACTOR)
    return {}


# Snapshots of what a refused write must leave alone.


def opportunity_state(kwargs: dict[str, Any]) -> Any:
    return Opportunity.objects.values_list("status", "shortlist_fixed_at").get(pk=kwargs["pk"])


def applications_state(kwargs: dict[str, Any]) -> Any:
    return sorted(
        Application.objects.filter(opportunity_id=kwargs["pk"]).values_list(
            "pk", "status", "decision_reason", "feedback"
        )
    )


def scores_state(kwargs: dict[str, Any]) -> Any:
    return ApplicationScore.objects.count()


def training_state(kwargs: dict[str, Any]) -> Any:
    return sorted(TrainingCompletion.objects.values_list("person_id", "module_id"))


def onboarding_state(kwargs: dict[str, Any]) -> Any:
    return sorted(
        Onboarding.objects.values_list(
            "person_id", "agreement_signed_on", "access_needs_confirmed_on"
        )
    )


def record_training_data() -> dict[str, Any]:
    # The form's choices are made per opportunity: a post naming no one listed is refused (400)
    # even for the engagement team, so this entry tests who reaches the form, and that nothing
    # changes for anyone (the engagement team's success is tested in test_training.py).
    return {"application": "0", "module": "0", "completed_on": "2026-01-01"}


ENTRIES: dict[str, Entry | list[Entry]] = {
    "selection:list": Entry(ENGAGEMENT_ONLY, build=listed),
    "selection:pipeline": [
        Entry(ENGAGEMENT_ONLY, build=opportunities, case="with the visitor's application"),
        Entry(
            ENGAGEMENT_ONLY,
            build=lambda visit: {"pk": _opportunity(status=OpportunityStatus.DRAFT).pk},
            case="a draft",
        ),
    ],
    "selection:status": Entry(
        staff_page(allowed=302),
        build=lambda visit: {"pk": _opportunity().pk},
        method="post",
        data={"to": OpportunityStatus.CLOSED},
        snapshot=opportunity_state,
    ),
    "selection:fix_shortlist": Entry(
        staff_page(allowed=302),
        build=just_the_opportunity(shortlisted),
        method="post",
        snapshot=opportunity_state,
    ),
    "selection:turn_down_rest": [
        Entry(ENGAGEMENT_ONLY, build=opportunities, case="the form"),
        Entry(
            staff_page(allowed=302),
            build=just_the_opportunity(someone_elses_application),
            case="sent",
            method="post",
            data={"reason": "Filled", "feedback": "Thank you for applying."},
            snapshot=applications_state,
        ),
        Entry(
            # One of those waiting is the visitor's own: refused as a whole, for everyone.
            staff_page(allowed=400),
            build=opportunities,
            case="the visitor's own among them",
            method="post",
            data={"reason": "Filled", "feedback": "Thank you for applying."},
            snapshot=applications_state,
            never_changes=True,
        ),
    ],
    "selection:ready": Entry(ENGAGEMENT_ONLY, build=just_the_opportunity(shortlisted)),
    "selection:record_training": Entry(
        staff_page(allowed=400),
        build=just_the_opportunity(shortlisted),
        method="post",
        data=record_training_data(),
        snapshot=training_state,
        never_changes=True,
    ),
    "selection:application": [
        Entry(ENGAGEMENT_ONLY, build=someone_elses_application, case="someone else's"),
        Entry(ENGAGEMENT_ONLY, build=visitors_own_application, case="the visitor's own"),
        Entry(ENGAGEMENT_ONLY, build=referred_by_visitor, case="referred by the visitor"),
        Entry(
            staff_page(allowed=404),
            build=application_of_another_opportunity,
            case="of another opportunity",
        ),
        Entry(staff_page(allowed=404), build=draft_application, case="a draft"),
    ],
    "selection:score": [
        Entry(
            staff_page(allowed=400),
            build=someone_elses_application,
            case="no scores given",
            method="post",
            snapshot=scores_state,
            never_changes=True,
        ),
        Entry(
            staff_page(allowed=404),
            build=draft_application,
            case="a draft",
            method="post",
            snapshot=scores_state,
        ),
    ],
    "selection:decide": [
        Entry(
            staff_page(allowed=302),
            build=someone_elses_application,
            case="shortlist someone else",
            method="post",
            data={"to": ApplicationStatus.SHORTLISTED, "reason": "Strong answers"},
            snapshot=applications_state,
        ),
        Entry(
            # The engagement team sees their own application but may not decide on it.
            staff_page(allowed=400),
            build=visitors_own_application,
            case="the visitor's own",
            method="post",
            data={"to": ApplicationStatus.SHORTLISTED, "reason": "I am great"},
            snapshot=applications_state,
            never_changes=True,
        ),
        Entry(
            staff_page(allowed=404),
            build=draft_application,
            case="a draft",
            method="post",
            data={"to": ApplicationStatus.SHORTLISTED, "reason": "Good"},
            snapshot=applications_state,
        ),
    ],
    "selection:onboarding": [
        Entry(ENGAGEMENT_ONLY, build=accepted, case="accepted"),
        Entry(staff_page(allowed=404), build=shortlisted, case="not accepted"),
        Entry(
            staff_page(allowed=302),
            build=accepted,
            case="record a step",
            method="post",
            data={"step": "agreement_signed", "on": "2026-01-02"},
            snapshot=onboarding_state,
        ),
    ],
    "onboarding:checklist": Entry(signed_in(200), build=getting_started),
}
VISITORS: dict[str, Callable[[], Any]] = {}
