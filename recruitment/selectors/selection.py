"""Reads for the staff side of selection (the opportunities list, an opportunity's pipeline, who
is ready), and for onboarding (the person's checklist, their training).

Blind shortlisting: while `opportunity.names_hidden`, the rows these build carry no name and no
referral source at all — not even unread on an object a template could reach — only
"Applicant <number>"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.models import Person, User, london_today
from coprod.selectors import count_subquery, visible_to
from recruitment.enums import (
    ApplicationStatus,
    EngagementStatus,
    OnboardingStep,
    PaymentMethod,
)
from recruitment.models import (
    Application,
    ApplicationEvent,
    ApplicationScore,
    Engagement,
    Onboarding,
    Opportunity,
    PaymentEligibility,
    TrainingCompletion,
    TrainingModule,
)
from recruitment.selectors.opportunities import opportunities_for_user

# "In the last 12 months".
INVOLVEMENT_WINDOW = timedelta(days=365)
# The states counted on the staff list, in the order of the columns.
COUNTED_STATES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.CONVERSATION,
    ApplicationStatus.OFFERED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.UNSUCCESSFUL,
)
# Who "Who is ready" lists: people on their way to the work.
READY_STATES = (
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.CONVERSATION,
    ApplicationStatus.OFFERED,
    ApplicationStatus.ACCEPTED,
)
# Filters of the pipeline: every state but drafts, which staff never see.
PIPELINE_STATES = [state for state in ApplicationStatus if state != ApplicationStatus.DRAFT]


def applicant_label(number: int) -> str:
    return _("Applicant %(number)s") % {"number": number}


def _shown_name(chosen: str | None, generated: str | None) -> str:
    return chosen or generated or ""


# Who sees what -------------------------------------------------------------------------------


def selection_opportunities_for_user(user: User) -> QuerySet[Opportunity]:
    """Opportunities for the staff's selection pages: every one, for staff with the selection
    permission; nothing for anyone else."""
    return visible_to(
        user,
        opportunities_for_user(user, roles=frozenset()),
        staff_permission="recruitment.manage_selection",
    )


def selection_applications_for_user(user: User) -> QuerySet[Application]:
    """Sent applications (never drafts) for staff with the selection permission; nothing for
    anyone else (a person sees their own applications in the portal, not here)."""
    return visible_to(
        user,
        Application.objects.exclude(status=ApplicationStatus.DRAFT).select_related("opportunity"),
        staff_permission="recruitment.manage_selection",
    )


# The staff's opportunities list --------------------------------------------------------------


def opportunities_with_counts(user: User) -> QuerySet[Opportunity]:
    """Every opportunity the user may select for, newest closing date first, each with
    `count_<state>` for the states in COUNTED_STATES. One query."""
    counts = {
        f"count_{state}": Count("applications", filter=Q(applications__status=state))
        for state in COUNTED_STATES
    }
    return selection_opportunities_for_user(user).annotate(**counts).order_by("-closes_at", "-pk")


# The pipeline --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineRow:
    application_id: int
    number: int
    label: str
    status: str
    status_display: str
    # None while names are hidden: the referral source is hidden too.
    referred: bool | None
    referred_by: str
    mean_score: Decimal | None
    scores: int
    engagements_last_year: int
    accepted_last_year: int
    modules_done: int


def _involvement(since: date) -> dict[str, Any]:
    """Per application (person at OuterRef("person_id")): completed engagements and accepted
    applications in the 12 months to today, and the scores given."""
    moment = timezone.now() - INVOLVEMENT_WINDOW
    scores = ApplicationScore.objects.filter(application=OuterRef("pk")).order_by()
    return {
        "engagements_last_year": count_subquery(
            Engagement.objects.filter(
                person=OuterRef("person_id"),
                status=EngagementStatus.COMPLETED,
                date__gte=since,
            )
        ),
        "accepted_last_year": count_subquery(
            Application.objects.filter(
                person=OuterRef("person_id"),
                status=ApplicationStatus.ACCEPTED,
                status_changed_at__gte=moment,
            )
        ),
        "mean_score": Subquery(
            scores.values("application").annotate(mean=Avg("score")).values("mean")[:1]
        ),
        "score_count": count_subquery(scores),
    }


def pipeline(opportunity: Opportunity, *, state: str | None = None) -> QuerySet[Application]:
    """The opportunity's sent applications in number order, as dicts (values), each with its
    mean score, how involved the person was in the last 12 months, and how many of the
    opportunity's required modules they have done: one query, whatever the number of rows.
    Names and the referral source are read only when the opportunity shows them."""
    fields = ["pk", "number", "status", "route", "person_id"]
    if not opportunity.names_hidden:
        fields += [
            "person__chosen_name",
            "person__generated_name",
            "referred_by__chosen_name",
            "referred_by__generated_name",
        ]
    rows = (
        Application.objects.filter(opportunity=opportunity)
        .exclude(status=ApplicationStatus.DRAFT)
        .annotate(
            **_involvement(london_today() - INVOLVEMENT_WINDOW),
            modules_done=count_subquery(
                TrainingCompletion.objects.filter(
                    person=OuterRef("person_id"), module__required_by=opportunity.pk
                )
            ),
        )
        .order_by("number")
    )
    if state in PIPELINE_STATES:
        rows = rows.filter(status=state)
    return rows.values(
        *fields,
        "engagements_last_year",
        "accepted_last_year",
        "mean_score",
        "score_count",
        "modules_done",
    )


def pipeline_rows(opportunity: Opportunity, values: list[dict[str, Any]]) -> list[PipelineRow]:
    """What the pipeline page shows of each row of `pipeline` (no query)."""
    hidden = opportunity.names_hidden
    labels = dict(ApplicationStatus.choices)
    rows = []
    for row in values:
        referred = row["route"] == "referral"
        mean = row["mean_score"]
        if mean is not None:
            mean = Decimal(str(mean)).quantize(Decimal("0.1"))
        rows.append(
            PipelineRow(
                application_id=row["pk"],
                number=row["number"],
                label=applicant_label(row["number"])
                if hidden
                else _shown_name(row["person__chosen_name"], row["person__generated_name"]),
                status=row["status"],
                status_display=str(labels[row["status"]]),
                referred=None if hidden else referred,
                referred_by=""
                if hidden or not referred
                else _shown_name(
                    row["referred_by__chosen_name"], row["referred_by__generated_name"]
                ),
                mean_score=Decimal(str(mean)).quantize(Decimal("0.1"))
                if mean is not None
                else None,
                scores=row["score_count"],
                engagements_last_year=row["engagements_last_year"],
                accepted_last_year=row["accepted_last_year"],
                modules_done=row["modules_done"],
            )
        )
    return rows


# One application -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    at: Any
    from_display: str
    to_display: str
    by: str
    note: str


def application_history(application: Application) -> list[HistoryRow]:
    """The steps of `application`. Staff's steps name the member of staff and their reason;
    steps the applicant or a referrer took name them only once names are shown (and their notes
    are left out while hidden). One query."""
    hidden = application.opportunity.names_hidden
    labels = dict(ApplicationStatus.choices)
    # A member of staff may apply, or refer someone: those steps are the applicant's side.
    applicant_side = {application.person_id, application.referred_by_id}
    rows = []
    events = ApplicationEvent.objects.filter(application=application).select_related("by__person")
    for event in events.order_by("at", "pk"):
        staff = (
            event.by is not None and event.by.is_staff and event.by.person_id not in applicant_side
        )
        if event.by is None:
            by = _("The system")
        elif staff or not hidden:
            by = event.by.person.display_name
        else:
            by = _("Applicant or referrer")
        rows.append(
            HistoryRow(
                at=event.at,
                from_display=str(labels.get(event.from_status, "")),
                to_display=str(labels[event.to_status]),
                by=by,
                note=event.note if staff or not hidden else "",
            )
        )
    return rows


def scores_of(application: Application) -> list[ApplicationScore]:
    """Every score given to `application`, by criterion then scorer. One query."""
    return list(
        ApplicationScore.objects.filter(application=application)
        .select_related("criterion", "scorer__person")
        .order_by("criterion__order", "criterion__pk", "scorer__pk")
    )


# Who is ready --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleDone:
    module: TrainingModule
    completed_on: date | None


@dataclass(frozen=True)
class ReadyRow:
    application_id: int
    person_id: int
    label: str
    status: str
    status_display: str
    modules: list[ModuleDone]

    @property
    def ready(self) -> bool:
        return all(item.completed_on is not None for item in self.modules)


def who_is_ready(opportunity: Opportunity) -> tuple[list[TrainingModule], list[ReadyRow]]:
    """The opportunity's required modules, and each shortlisted, invited, offered or accepted
    applicant with the modules they have done. Three queries, whatever the number of people."""
    modules = list(opportunity.required_modules.order_by("name"))
    hidden = opportunity.names_hidden
    fields = ["pk", "number", "status", "person_id"]
    if not hidden:
        fields += ["person__chosen_name", "person__generated_name"]
    applications = list(
        Application.objects.filter(opportunity=opportunity, status__in=READY_STATES)
        .order_by("number")
        .values(*fields)
    )
    done = {
        (person_id, module_id): completed_on
        for person_id, module_id, completed_on in TrainingCompletion.objects.filter(
            person_id__in=[row["person_id"] for row in applications], module__in=modules
        ).values_list("person_id", "module_id", "completed_on")
    }
    labels = dict(ApplicationStatus.choices)
    rows = [
        ReadyRow(
            application_id=row["pk"],
            person_id=row["person_id"],
            label=applicant_label(row["number"])
            if hidden
            else _shown_name(row["person__chosen_name"], row["person__generated_name"]),
            status=row["status"],
            status_display=str(labels[row["status"]]),
            modules=[
                ModuleDone(module, done.get((row["person_id"], module.pk))) for module in modules
            ],
        )
        for row in applications
    ]
    return modules, rows


# Onboarding ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    done: bool
    on: date | None = None
    detail: str = ""


@dataclass(frozen=True)
class Checklist:
    onboarding: Onboarding
    steps: list[Step]

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)


def _preference() -> Subquery:
    return Subquery(
        PaymentEligibility.objects.filter(person=OuterRef("person_id")).values("preference")[:1]
    )


def onboarding_checklist(person: Person) -> Checklist | None:
    """The person's onboarding steps, or None if they have not started onboarding. How they want
    to be paid is read live from their PaymentEligibility (never copied). One query."""
    onboarding = Onboarding.objects.filter(person=person).annotate(preference=_preference()).first()
    if onboarding is None:
        return None
    preference = onboarding.preference or ""
    methods = dict(PaymentMethod.choices)
    return Checklist(
        onboarding,
        [
            Step(
                OnboardingStep.AGREEMENT_SIGNED,
                str(OnboardingStep.AGREEMENT_SIGNED.label),
                onboarding.agreement_signed_on is not None,
                onboarding.agreement_signed_on,
            ),
            Step(
                OnboardingStep.PAYMENT_PREFERENCE_SET,
                str(OnboardingStep.PAYMENT_PREFERENCE_SET.label),
                bool(preference),
                detail=str(methods.get(preference, "")),
            ),
            Step(
                OnboardingStep.ACCESS_NEEDS_CONFIRMED,
                str(OnboardingStep.ACCESS_NEEDS_CONFIRMED.label),
                onboarding.access_needs_confirmed_on is not None,
                onboarding.access_needs_confirmed_on,
            ),
        ],
    )


def onboarding_open() -> Exists:
    """For the portal's "Things to do" (the person's row is OuterRef("pk")): they have started
    onboarding and a step is still open."""
    preference_set = PaymentEligibility.objects.filter(person=OuterRef("person_id")).exclude(
        preference=""
    )
    return Exists(
        Onboarding.objects.filter(person=OuterRef("pk")).filter(
            Q(agreement_signed_on__isnull=True)
            | Q(access_needs_confirmed_on__isnull=True)
            | ~Exists(preference_set)
        )
    )


def training_of(person: Person) -> QuerySet[TrainingCompletion]:
    """The modules the person has completed, most recent first. One query."""
    return (
        TrainingCompletion.objects.filter(person=person)
        .select_related("module")
        .order_by("-completed_on", "pk")
    )


def training_personal_data(person: Person) -> dict[str, Any]:
    """The person's training records and onboarding checklist, for their download. Two
    queries."""
    onboarding = Onboarding.objects.filter(person=person).first()
    return {
        "training": [
            {"module": completion.module.name, "completed_on": completion.completed_on.isoformat()}
            for completion in training_of(person)
        ],
        "onboarding": None
        if onboarding is None
        else {
            "started": onboarding.started_at.isoformat(),
            "agreement_signed_on": _iso(onboarding.agreement_signed_on),
            "access_needs_confirmed_on": _iso(onboarding.access_needs_confirmed_on),
        },
    }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
