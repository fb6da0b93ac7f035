"""Recruitment's demo data (`manage.py seed_demo [--scale N]`).

At scale 1, through the services where they exist: rates; training modules (induction,
trauma-informed practice, reviewing proposals) with some completions; open opportunities for
PWLE and LEEs in plain language, with what staff look for and the training they need, one closed
and one draft; the demo PWLE's applications (one not sent yet, one sent); a referral by the demo
practitioner for someone without a login; the demo LEE accepted onto the advisory group, with
onboarding half done; and the demo LEE's paid work with a claim in every state (not sent,
waiting, queried, approved, late, paid, withdrawn; work cancelled and work still to come).

At a scale N > 1, in bulk (rows made with the models, in batches; no per-row services, no
per-row queries), keeping what the services keep — unique references, amounts from the rates in
force, states that agree with their dates, a ClaimEvent for every state a claim went through:
`ENGAGEMENTS_PER_UNIT * (N - 1)` engagements with their claims for the scale people with lived
experience (at least 100,000 at --scale 100), and `OPPORTUNITIES_PER_UNIT * (N - 1)`
opportunities with criteria and `APPLICATIONS_PER_UNIT * (N - 1)` applications with their
history. The demo LEE gets `LEE_ENGAGEMENTS_PER_UNIT * (N - 1)` more paid engagements, so
their "Your paid work" is measured with many pages.

Safe to run again: rows are found by their stable names (source keys, titles, the demo people)
and only what is missing is added; scale 1 then scale 100 adds the scale rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import islice

from django.conf import settings
from django.db import connection
from django.db.models import Max, Q
from django.utils import timezone

from coprod.audit import SystemActor
from coprod.demo import SCALE_NAME_BASE, STAFF_EMAIL, demo_user
from coprod.doors import DemoRun
from coprod.enums import MessageDetail, NotificationStatus
from coprod.models import Notification, Person, User, london_today
from recruitment.enums import (
    ApplicationRoute,
    ApplicationStatus,
    ClaimStatus,
    Eligibility,
    EngagementKind,
    EngagementStatus,
    OpportunityStatus,
    PayBasis,
    PaymentMethod,
    RoleSought,
    WorkMode,
)
from recruitment.models import (
    ZERO,
    Application,
    ApplicationEvent,
    ClaimEvent,
    Engagement,
    HonorariumClaim,
    Onboarding,
    Opportunity,
    PaymentEligibility,
    Rate,
    SelectionCriterion,
    TrainingCompletion,
    TrainingModule,
)
from recruitment.services import (
    approve_claim,
    cancel_engagement,
    complete_engagement,
    mark_claim_paid,
    query_claim,
    record_engagement,
    record_payment_eligibility,
    set_payment_preference,
    set_rate,
    submit_claim,
    withdraw_claim,
)

SEEDER = SystemActor("command:seed_demo")
PWLE_EMAIL = "pwle@example.org"
LEE_EMAIL = "lee@example.org"
PRACTITIONER_EMAIL = "practitioner@example.org"

# Per unit of scale beyond the first.
ENGAGEMENTS_PER_UNIT = 1020
LEE_ENGAGEMENTS_PER_UNIT = 2
OPPORTUNITIES_PER_UNIT = 5
APPLICATIONS_PER_UNIT = 6
# Rows per insert.
BATCH = 2000
# The core's scale people (coprod.demo._scale_people): a person's role is SCALE_ROLES[index % 5],
# and these two positions are the paid roles (PWLE, LEE).
CORE_SCALE_ROLES = 5
PAID_ROLE_POSITIONS = (0, 1)
PEOPLE_PER_UNIT = 6

# Scale claims' references: "DS" and a number (the services draw "HC" and random hex).
SCALE_REFERENCE = "DS{:09d}"
SCALE_SOURCE = "demo-scale:{}"
LEE_SOURCE = "demo-lee:{}"


# Scale 1 -------------------------------------------------------------------------------------

# Source key, kind, days ago (negative: still to come), hours, title, what happens to it.
DEMO_WORK = [
    ("demo:1", EngagementKind.ADVISORY, 60, "2", "Advisory group", ClaimStatus.PAID),
    ("demo:2", EngagementKind.PANEL, 10, "3", "Funding panel", ClaimStatus.APPROVED),
    ("demo:3", EngagementKind.REVIEW, 8, "2", "Reading proposals", ClaimStatus.SUBMITTED),
    ("demo:4", EngagementKind.MEETING, 3, "1.5", "Project meeting", ClaimStatus.DRAFT),
    ("demo:5", EngagementKind.TRAINING, -7, "2", "Induction", None),
    ("demo:6", EngagementKind.MEETING, 12, "2", "Planning meeting", ClaimStatus.QUERIED),
    # Approved a month ago and still not paid: late.
    ("demo:7", EngagementKind.PANEL, 30, "3", "Interview panel", ClaimStatus.APPROVED),
    ("demo:8", EngagementKind.REVIEW, 40, "1", "Short review", ClaimStatus.WITHDRAWN),
    ("demo:9", EngagementKind.MEETING, 5, "2", "Meeting that did not happen", "cancelled"),
]
ORDER = [ClaimStatus.DRAFT, ClaimStatus.SUBMITTED, ClaimStatus.APPROVED, ClaimStatus.PAID]

MODULES = [
    (
        "Induction",
        "Who we are, how we work together, how you are paid, and who to talk to.",
        "2",
    ),
    (
        "Trauma-informed practice",
        "Looking after yourself and others: breaks, saying no, and support during and after.",
        "3",
    ),
    (
        "Reviewing proposals",
        "How to read a funding proposal and score it fairly, with examples.",
        "2.5",
    ),
]


@dataclass(frozen=True)
class DemoOpportunity:
    title: str
    role: RoleSought
    kind: EngagementKind
    summary: str
    involves: str
    time_commitment: str
    pay: str
    basis: PayBasis
    mode: WorkMode
    location: str
    status: OpportunityStatus
    closes_in_days: int
    modules: tuple[str, ...]
    criteria: tuple[str, ...]


OPPORTUNITIES = [
    DemoOpportunity(
        "Join our advisory group",
        RoleSought.LEE,
        EngagementKind.ADVISORY,
        "Help us decide what the centre works on next. You bring what you know from your own "
        "life. We listen, and we change things.",
        "Four online meetings a year. We send the papers a week before, in plain words.",
        "4 meetings of 2 hours a year",
        "25.00",
        PayBasis.HOUR,
        WorkMode.REMOTE,
        "",
        OpportunityStatus.OPEN,
        30,
        ("Induction", "Trauma-informed practice"),
        ("Knows how support services feel from the inside", "Listens and shares ideas"),
    ),
    DemoOpportunity(
        "Help us choose which projects to fund",
        RoleSought.PWLE,
        EngagementKind.PANEL,
        "Read short project ideas and help choose which ones get money. Your view counts as "
        "much as anyone's on the panel.",
        "Read 5 short proposals at home, then one panel meeting online.",
        "About 6 hours over 2 weeks",
        "150.00",
        PayBasis.DAY,
        WorkMode.REMOTE,
        "",
        OpportunityStatus.OPEN,
        21,
        ("Reviewing proposals",),
        ("Thinks about who a project would really help", "Can explain a score in a few words"),
    ),
    DemoOpportunity(
        "Share your views on support services",
        RoleSought.PWLE,
        EngagementKind.MEETING,
        "Tell us what helped you and what did not. We will use what you say to make support "
        "better for others.",
        "One small group conversation. You only share what you want to.",
        "One meeting of 2 hours",
        "25.00",
        PayBasis.HOUR,
        WorkMode.IN_PERSON,
        "Manchester",
        OpportunityStatus.OPEN,
        14,
        ("Induction",),
        ("Has used support services",),
    ),
    DemoOpportunity(
        "Test our new website",
        RoleSought.PWLE,
        EngagementKind.MEETING,
        "Try our new website and tell us what is hard to use. There are no wrong answers.",
        "One online session. We share a screen; you try things and say what you think.",
        "One session of 1 hour",
        "25.00",
        PayBasis.HOUR,
        WorkMode.REMOTE,
        "",
        OpportunityStatus.OPEN,
        10,
        ("Induction",),
        ("Uses websites on a phone",),
    ),
    DemoOpportunity(
        "Review our training materials",
        RoleSought.LEE,
        EngagementKind.REVIEW,
        "Check our training for support workers: is it right, is it respectful?",
        "Read the materials and talk them through with us.",
        "About 4 hours",
        "25.00",
        PayBasis.HOUR,
        WorkMode.HYBRID,
        "Leeds",
        OpportunityStatus.CLOSED,
        -10,
        ("Induction",),
        ("Knows what good training feels like",),
    ),
    DemoOpportunity(
        "Panel for the next funding call (draft)",
        RoleSought.PWLE,
        EngagementKind.PANEL,
        "Still being written.",
        "To be decided.",
        "To be decided",
        "150.00",
        PayBasis.DAY,
        WorkMode.REMOTE,
        "",
        OpportunityStatus.DRAFT,
        60,
        (),
        (),
    ),
]
OPPORTUNITY_ACCESS = (
    "We pay for travel before you travel. Interpreters, breaks whenever you need them, and a "
    "named person to talk to before and after."
)
LIVED_EXPERIENCE = (
    "People with different journeys and backgrounds: you do not have to tell us what "
    "happened to you."
)


def seed(run: DemoRun) -> None:
    staff = demo_user(STAFF_EMAIL)
    lee = demo_user(LEE_EMAIL)
    _rates()
    if not PaymentEligibility.objects.filter(person=lee.person).exists():
        record_payment_eligibility(
            lee.person,
            by=staff,
            status=Eligibility.FULL,
            advice_source="Citizens Advice benefits adviser",
            advice_date=london_today() - timedelta(days=90),
        )
        set_payment_preference(lee.person, by=lee, preference=PaymentMethod.VOUCHER)
    _demo_work(lee, staff)
    modules = _training(staff)
    opportunities = _opportunities(staff, modules)
    _applications(opportunities, staff)
    if run.scale > 1:
        added = scale(run.scale)
        run.report(
            f"Recruitment at scale {run.scale}: {added.engagements} engagements "
            f"({added.claims} claims), {added.opportunities} opportunities and "
            f"{added.applications} applications added."
        )


def _rates() -> None:
    if Rate.objects.exists():
        return
    for kind in EngagementKind:
        set_rate(
            kind,
            by=SEEDER,
            effective_from=date(2020, 1, 1),
            hourly="25",
            daily="150",
            preparation_hourly="20",
            data_allowance="5",
        )


def _demo_work(lee: User, staff: User) -> None:
    today = london_today()
    for key, kind, days_ago, hours, title, target in DEMO_WORK:
        engagement = record_engagement(
            lee.person,
            by=SEEDER,
            kind=kind,
            on=today - timedelta(days=days_ago),
            hours=hours,
            source_key=key,
            title=title,
        )
        if target is None or engagement.status == EngagementStatus.CANCELLED:
            continue
        if target == "cancelled":
            if engagement.status == EngagementStatus.PLANNED:
                cancel_engagement(engagement, by=staff)
            continue
        if engagement.status == EngagementStatus.PLANNED:
            engagement = complete_engagement(engagement, by=SEEDER)
        _advance(engagement.claim, target, staff=staff, lee=lee)


def _advance(claim: HonorariumClaim, target: ClaimStatus, *, staff: User, lee: User) -> None:
    """Move the claim forward to `target`, from wherever an earlier run left it."""
    if claim.status in (ClaimStatus.QUERIED, ClaimStatus.WITHDRAWN, ClaimStatus.PAID):
        return
    if target == ClaimStatus.QUERIED:
        if claim.status == ClaimStatus.DRAFT:
            claim = submit_claim(claim, by=lee, expenses="6.40", expenses_note="Bus fares")
        query_claim(claim, by=staff, question="Please add a photo of the bus ticket.")
        return
    if target == ClaimStatus.WITHDRAWN:
        withdraw_claim(claim, by=lee, reason="I was paid for this another way.")
        return
    while ORDER.index(claim.status) < ORDER.index(target):
        if claim.status == ClaimStatus.DRAFT:
            claim = submit_claim(claim, by=lee)
        elif claim.status == ClaimStatus.SUBMITTED:
            claim = approve_claim(claim, by=staff)
        else:
            claim = mark_claim_paid(
                claim, by=staff, paid_on=london_today(), reference=f"DEMO-{claim.pk}"
            )


def _training(staff: User) -> dict[str, TrainingModule]:
    modules = {}
    for name, summary, hours in MODULES:
        modules[name], _created = TrainingModule.objects.get_or_create(
            name=name, defaults={"summary": summary, "hours": Decimal(hours)}
        )
    today = london_today()
    done = [
        (LEE_EMAIL, "Induction", 200),
        (LEE_EMAIL, "Trauma-informed practice", 150),
        (PWLE_EMAIL, "Induction", 20),
    ]
    for email, module, days_ago in done:
        TrainingCompletion.objects.get_or_create(
            person=demo_user(email).person,
            module=modules[module],
            defaults={"completed_on": today - timedelta(days=days_ago), "recorded_by": staff},
        )
    return modules


def _opportunities(staff: User, modules: dict[str, TrainingModule]) -> list[Opportunity]:
    now = timezone.now()
    found = []
    for demo in OPPORTUNITIES:
        opportunity = Opportunity.objects.filter(title=demo.title).first()
        if opportunity is None:
            opportunity = Opportunity(
                title=demo.title,
                summary=demo.summary,
                role_sought=demo.role,
                involves=demo.involves,
                time_commitment=demo.time_commitment,
                engagement_kind=demo.kind,
                pay_rate=Decimal(demo.pay),
                pay_basis=demo.basis,
                mode=demo.mode,
                location=demo.location,
                access_support=OPPORTUNITY_ACCESS,
                lived_experience_sought=LIVED_EXPERIENCE,
                places=3,
                closes_at=now + timedelta(days=demo.closes_in_days),
                status=demo.status,
                published_at=None if demo.status == OpportunityStatus.DRAFT else now,
                created_by=staff,
            )
            opportunity.full_clean()
            opportunity.save()
            opportunity.required_modules.set([modules[name] for name in demo.modules])
            SelectionCriterion.objects.bulk_create(
                SelectionCriterion(opportunity=opportunity, name=name, order=index)
                for index, name in enumerate(demo.criteria)
            )
        elif (
            opportunity.status == OpportunityStatus.OPEN
            and opportunity.closes_at <= now
            and demo.closes_in_days > 0
        ):
            # An old development database: keep the demo's open opportunities open.
            Opportunity.objects.filter(pk=opportunity.pk).update(
                closes_at=now + timedelta(days=demo.closes_in_days)
            )
        found.append(opportunity)
    return found


def _applications(opportunities: list[Opportunity], staff: User) -> None:
    advisory, funding_panel, views, website = opportunities[:4]
    pwle = demo_user(PWLE_EMAIL).person
    lee = demo_user(LEE_EMAIL).person
    practitioner = demo_user(PRACTITIONER_EMAIL).person
    now = timezone.now()
    # The demo PWLE: one application not sent yet, one sent.
    _application(
        funding_panel,
        pwle,
        [],
        why_interested="I want to help decide where the money goes.",
    )
    _application(
        views,
        pwle,
        [ApplicationStatus.SUBMITTED],
        why_interested="I know what it is like to wait for help.",
        what_they_bring="Patience, and ideas.",
        safe_contact="Email only, weekdays after 5pm.",
    )
    # A referral by the demo practitioner, for the demo PWLE (someone they support), who agreed
    # to it. (Not a new person without a login: the core's demo counts its people exactly.)
    _application(
        website,
        pwle,
        [ApplicationStatus.SUBMITTED],
        route=ApplicationRoute.REFERRAL,
        referred_by=practitioner,
        consent_confirmed_at=now - timedelta(days=2),
        why_interested="Robin finds websites hard to use and has ideas to make them easier.",
        safe_contact="Only through me (their support worker), Tuesdays.",
    )
    # The demo LEE, accepted onto the advisory group; onboarding half done.
    accepted = _application(
        advisory,
        lee,
        [
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.SHORTLISTED,
            ApplicationStatus.CONVERSATION,
            ApplicationStatus.OFFERED,
            ApplicationStatus.ACCEPTED,
        ],
        why_interested="I want services to listen to people like me.",
        feedback="Thank you: we would love you to join the group.",
        decision_reason="Strong on both criteria.",
    )
    _outcome_message(accepted)
    Onboarding.objects.get_or_create(
        person=lee, defaults={"agreement_signed_on": london_today() - timedelta(days=5)}
    )


def _application(
    opportunity: Opportunity,
    person: Person,
    steps: list[ApplicationStatus],
    **fields: object,
) -> Application:
    """The application of `person` to `opportunity` through `steps`, each step recorded as an
    ApplicationEvent (made once: an existing application is left as it is)."""
    existing = Application.objects.filter(opportunity=opportunity, person=person).first()
    if existing is not None:
        return existing
    number = (
        Application.objects.filter(opportunity=opportunity).aggregate(top=Max("number"))["top"] or 0
    ) + 1
    now = timezone.now()
    application = Application(
        opportunity=opportunity,
        person=person,
        number=number,
        status=steps[-1] if steps else ApplicationStatus.DRAFT,
        submitted_at=now if steps else None,
        status_changed_at=now if steps else None,
        **fields,
    )
    application.full_clean()
    application.save()
    events = [
        ApplicationEvent(
            application=application, to_status=ApplicationStatus.DRAFT, by_process=SEEDER.name
        )
    ]
    before = ApplicationStatus.DRAFT
    for step in steps:
        events.append(
            ApplicationEvent(
                application=application,
                from_status=before,
                to_status=step,
                by_process=SEEDER.name,
            )
        )
        before = step
    ApplicationEvent.objects.bulk_create(events)
    return application


def _outcome_message(application: Application) -> None:
    """The message an outcome sends (recruitment.services.applications.move_application), as
    sent, under the service's own key: seeding sends no email, and the service would never
    send it again."""
    content = {
        variant: {
            "subject": "About your application",
            "body": "Demo data: the outcome of an application (not sent).",
        }
        for variant in MessageDetail.values
    }
    Notification.objects.get_or_create(
        idempotency_key=f"recruitment:application-outcome:{application.pk}",
        defaults={
            "kind": "application_outcome",
            "person": application.person,
            "content": content,
            "status": NotificationStatus.SENT,
            "sent_at": timezone.now(),
            "sent_variant": MessageDetail.NEUTRAL,
        },
    )


# At a scale ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Added:
    engagements: int
    claims: int
    opportunities: int
    applications: int


def scale(scale: int) -> Added:
    """The bulk part of `seed` for scale > 1 (see the module's docstring)."""
    units = scale - 1
    people = scale_people(units)
    _scale_eligibility(people)
    lee = demo_user(LEE_EMAIL).person
    plan = [
        (SCALE_SOURCE.format(index), people[index % len(people)], index)
        for index in range(ENGAGEMENTS_PER_UNIT * units)
    ] + [
        # The demo LEE's: paid work only, numbered after the scale ones.
        (LEE_SOURCE.format(index), lee, ENGAGEMENTS_PER_UNIT * units + index)
        for index in range(LEE_ENGAGEMENTS_PER_UNIT * units)
    ]
    engagements, claims = _scale_engagements(plan, lee_from=ENGAGEMENTS_PER_UNIT * units)
    opportunities = _scale_opportunities(units)
    applications = _scale_applications(units)
    _analyze()
    return Added(engagements, claims, opportunities, applications)


# The tables a scale run fills: their planner statistics are refreshed after the load.
ANALYZED = [Engagement, HonorariumClaim, ClaimEvent, Opportunity, Application, ApplicationEvent]


def _analyze() -> None:
    """Refresh PostgreSQL's statistics of the tables just filled (autovacuum would, later):
    until then the planner thinks they are nearly empty, and sorts 65,000 paid claims for
    the first page of the "paid" queue instead of reading an index (120 ms against 6 ms)."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in ANALYZED)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def scale_people(units: int) -> list[Person]:
    """The core's scale people who hold a paid role (PWLE or LEE), by their generated names."""
    names = [
        f"Member {SCALE_NAME_BASE + index}"
        for index in range(PEOPLE_PER_UNIT * units)
        if index % CORE_SCALE_ROLES in PAID_ROLE_POSITIONS
    ]
    people = list(Person.objects.filter(generated_name__in=names).order_by("generated_name"))
    if not people:
        raise RuntimeError("The core's scale people are missing: run the core's demo data first.")
    return people


def _scale_eligibility(people: list[Person]) -> None:
    """Full payment, paid by voucher, recorded from advice: what lets their claims be paid."""
    have = set(
        PaymentEligibility.objects.filter(person__in=people).values_list("person_id", flat=True)
    )
    advice = london_today() - timedelta(days=400)
    PaymentEligibility.objects.bulk_create(
        (
            PaymentEligibility(
                person=person,
                status=Eligibility.FULL,
                advice_source="Demo data: benefits adviser",
                advice_date=advice,
                review_on=advice + timedelta(days=730),
                preference=PaymentMethod.VOUCHER,
            )
            for person in people
            if person.pk not in have
        ),
        batch_size=BATCH,
    )


# What happens to the scale engagement numbered n: by n % 20.
PLANNED, CANCELLED = 0, 1
CLAIM_STATE_BY_SLOT = {
    2: ClaimStatus.DRAFT,
    3: ClaimStatus.SUBMITTED,
    4: ClaimStatus.QUERIED,
    5: ClaimStatus.APPROVED,
    6: ClaimStatus.WITHDRAWN,
}
HOURS = [Decimal("1.5"), Decimal("2"), Decimal("3"), Decimal("6.5")]
PREPARATION = [ZERO, ZERO, Decimal("1"), Decimal("2")]
TRAVEL = [ZERO, ZERO, Decimal("4.60"), Decimal("12.00")]
KINDS = list(EngagementKind)
# The path each final state took: the states after "draft", in order.
PATHS = {
    ClaimStatus.DRAFT: [],
    ClaimStatus.SUBMITTED: [ClaimStatus.SUBMITTED],
    ClaimStatus.QUERIED: [ClaimStatus.SUBMITTED, ClaimStatus.QUERIED],
    ClaimStatus.APPROVED: [ClaimStatus.SUBMITTED, ClaimStatus.APPROVED],
    ClaimStatus.WITHDRAWN: [ClaimStatus.SUBMITTED, ClaimStatus.WITHDRAWN],
    ClaimStatus.PAID: [ClaimStatus.SUBMITTED, ClaimStatus.APPROVED, ClaimStatus.PAID],
}


@dataclass(frozen=True)
class Planned:
    """One scale engagement and, if it took place, its claim's final state."""

    key: str
    person: Person
    number: int
    on: date
    kind: EngagementKind
    hours: Decimal
    preparation: Decimal
    online: bool
    travel: Decimal
    engagement_status: EngagementStatus
    claim_status: ClaimStatus | None


def _planned(key: str, person: Person, number: int, *, today: date, lee: bool) -> Planned:
    """Deterministic from the number, so a second run plans the same rows."""
    slot = 7 if lee else number % 20
    spread = (number * 7919) % 97
    if slot == PLANNED:
        on, status, claim = today + timedelta(days=1 + spread % 30), EngagementStatus.PLANNED, None
    elif slot == CANCELLED:
        on, status, claim = today - timedelta(days=1 + spread), EngagementStatus.CANCELLED, None
    elif slot in CLAIM_STATE_BY_SLOT:
        # Recent work, still on its way: some of it is past its pay-by date (late).
        on = today - timedelta(days=1 + spread % 28)
        status, claim = EngagementStatus.COMPLETED, CLAIM_STATE_BY_SLOT[slot]
    else:
        on = today - timedelta(days=20 + (number * 7919) % 700)
        status, claim = EngagementStatus.COMPLETED, ClaimStatus.PAID
    return Planned(
        key=key,
        person=person,
        number=number,
        on=on,
        kind=KINDS[number % len(KINDS)],
        hours=HOURS[number % len(HOURS)],
        preparation=PREPARATION[(number // 4) % len(PREPARATION)],
        online=number % 3 == 0,
        travel=TRAVEL[(number // 3) % len(TRAVEL)],
        engagement_status=status,
        claim_status=claim,
    )


def _batches(items: Iterable[object], size: int) -> Iterator[list[object]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _scale_engagements(plan: list[tuple[str, Person, int]], *, lee_from: int) -> tuple[int, int]:
    """Engagements (and claims with their history) for every planned key not in the database
    yet, `BATCH` at a time: an insert per table per batch, and one query first for what is
    there."""
    have = set(
        Engagement.objects.filter(
            Q(source_key__startswith=SCALE_SOURCE.format(""))
            | Q(source_key__startswith=LEE_SOURCE.format(""))
        ).values_list("source_key", flat=True)
    )
    today = london_today()
    rates = _rates_by_kind()
    missing = (
        _planned(key, person, number, today=today, lee=number >= lee_from)
        for key, person, number in plan
        if key not in have
    )
    engagements = claims = 0
    for batch in _batches(missing, BATCH):
        made, claimed = _insert_batch(batch, rates=rates, today=today)
        engagements += made
        claims += claimed
    return engagements, claims


def _rates_by_kind() -> dict[str, list[Rate]]:
    """Every rate, newest first for each kind: the one in force on a day is the first that
    took effect on or before it (recruitment.selectors.rate_in_force, without a query a row)."""
    rates: dict[str, list[Rate]] = {}
    for rate in Rate.objects.order_by("kind", "-effective_from"):
        rates.setdefault(rate.kind, []).append(rate)
    return rates


@lru_cache(maxsize=4096)
def _moment(day: date, hour: int) -> datetime:
    """`hour` o'clock in London on `day` (kept: a few hundred days make every moment)."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _insert_batch(
    batch: list[Planned], *, rates: dict[str, list[Rate]], today: date
) -> tuple[int, int]:
    pay_within = timedelta(days=settings.COPROD_HONORARIA_PAY_WITHIN_DAYS)
    engagements = Engagement.objects.bulk_create(
        [
            Engagement(
                person=item.person,
                kind=item.kind,
                title=f"Demo {item.kind.label.lower()}",
                source_key=item.key,
                date=item.on,
                hours=item.hours,
                preparation_hours=item.preparation,
                online=item.online,
                travel=item.travel,
                status=item.engagement_status,
                status_changed_at=None
                if item.engagement_status == EngagementStatus.PLANNED
                else _moment(min(item.on, today), 18),
            )
            for item in batch
        ]
    )
    claims = []
    for item, engagement in zip(batch, engagements, strict=True):
        if item.claim_status is None:
            continue
        rate = next(r for r in rates[item.kind] if r.effective_from <= item.on)
        status = item.claim_status
        path = PATHS[status]
        submitted = _moment(item.on, 20) if path else None
        approved = (
            _moment(min(item.on + timedelta(days=2), today), 10)
            if ClaimStatus.APPROVED in path
            else None
        )
        paid_on = (
            min(item.on + timedelta(days=3 + item.number % 25), today)
            if status == ClaimStatus.PAID
            else None
        )
        claims.append(
            HonorariumClaim(
                reference=SCALE_REFERENCE.format(item.number),
                engagement=engagement,
                status=status,
                method=PaymentMethod.VOUCHER,
                # Amounts are computed when a claim is sent: a draft has none yet.
                fee=rate.fee(hours=item.hours, preparation_hours=item.preparation)
                if path
                else ZERO,
                allowances=item.travel + rate.allowance(online=item.online) if path else ZERO,
                expenses=ZERO,
                pay_by=item.on + pay_within,
                submitted_at=submitted,
                approved_at=approved
                if status in (ClaimStatus.APPROVED, ClaimStatus.PAID)
                else None,
                paid_on=paid_on,
                payment_reference=f"DEMO-{item.number}" if paid_on else "",
                days_to_pay=(paid_on - item.on).days if paid_on else None,
            )
        )
    claims = HonorariumClaim.objects.bulk_create(claims)
    events = []
    for claim in claims:
        at = _moment(claim.engagement.date, 18)
        events.append(
            ClaimEvent(claim=claim, to_status=ClaimStatus.DRAFT, at=at, by_process=SEEDER.name)
        )
        before = ClaimStatus.DRAFT
        for step in PATHS[claim.status]:
            at = at + timedelta(hours=2)
            if step == ClaimStatus.APPROVED and claim.approved_at:
                at = claim.approved_at
            if step == ClaimStatus.PAID and claim.paid_on:
                at = _moment(claim.paid_on, 12)
            events.append(
                ClaimEvent(
                    claim=claim,
                    from_status=before,
                    to_status=step,
                    at=at,
                    by_process=SEEDER.name,
                    note="Please add the receipt." if step == ClaimStatus.QUERIED else "",
                )
            )
            before = step
    ClaimEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(engagements), len(claims)


def _scale_opportunities(units: int) -> int:
    """Open opportunities (with two criteria each) for the opportunity lists at a size."""
    titles = [f"Demo opportunity {index + 1}" for index in range(OPPORTUNITIES_PER_UNIT * units)]
    have = set(Opportunity.objects.filter(title__in=titles).values_list("title", flat=True))
    now = timezone.now()
    made = Opportunity.objects.bulk_create(
        (
            Opportunity(
                title=title,
                summary="Demo data: a piece of paid work, described in plain words.",
                role_sought=RoleSought.PWLE if index % 2 else RoleSought.LEE,
                involves="One online meeting.",
                time_commitment="2 hours",
                engagement_kind=KINDS[index % len(KINDS)],
                pay_rate=Decimal("25.00"),
                pay_basis=PayBasis.HOUR,
                mode=WorkMode.REMOTE,
                access_support=OPPORTUNITY_ACCESS,
                lived_experience_sought=LIVED_EXPERIENCE,
                places=2,
                closes_at=now + timedelta(days=7 + index % 60),
                status=OpportunityStatus.OPEN,
                published_at=now,
            )
            for index, title in enumerate(titles)
            if title not in have
        ),
        batch_size=BATCH,
    )
    SelectionCriterion.objects.bulk_create(
        (
            SelectionCriterion(opportunity=opportunity, name=name, order=order)
            for opportunity in made
            for order, name in enumerate(["Knows the subject from life", "Works well with others"])
        ),
        batch_size=BATCH,
    )
    return len(made)


APPLICATION_PATHS = [
    [],
    [ApplicationStatus.SUBMITTED],
    [ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED],
    [ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED, ApplicationStatus.CONVERSATION],
    [ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED, ApplicationStatus.OFFERED],
]


# The final state of each path → the path (each path ends in its own state).
PATH_TO = {(path[-1] if path else ApplicationStatus.DRAFT): path for path in APPLICATION_PATHS}


def _scale_applications(units: int) -> int:
    """Applications by each unit's scale people with a paid role to that unit's opportunities,
    each with its history; numbered within each opportunity after any there already. Which
    person applies to which opportunity depends only on the unit, so a larger scale later adds
    only the new units' applications."""
    per_unit = PEOPLE_PER_UNIT
    people = {
        person.generated_name: person
        for person in Person.objects.filter(
            generated_name__in=[
                f"Member {SCALE_NAME_BASE + unit * per_unit + position}"
                for unit in range(units)
                for position in PAID_ROLE_POSITIONS
            ]
        )
    }
    opportunities = {
        opportunity.title: opportunity
        for opportunity in Opportunity.objects.filter(
            title__in=[f"Demo opportunity {i + 1}" for i in range(OPPORTUNITIES_PER_UNIT * units)]
        )
    }
    wanted = {}
    for index in range(APPLICATIONS_PER_UNIT * units):
        unit, place = divmod(index, APPLICATIONS_PER_UNIT)
        position = PAID_ROLE_POSITIONS[place % len(PAID_ROLE_POSITIONS)]
        person = people[f"Member {SCALE_NAME_BASE + unit * per_unit + position}"]
        number = unit * OPPORTUNITIES_PER_UNIT + place % OPPORTUNITIES_PER_UNIT + 1
        opportunity = opportunities[f"Demo opportunity {number}"]
        wanted[(opportunity.pk, person.pk)] = (index, opportunity, person)
    opportunities = list(opportunities.values())
    have = set(
        Application.objects.filter(opportunity__in=opportunities).values_list(
            "opportunity_id", "person_id"
        )
    )
    numbers = dict(
        Application.objects.filter(opportunity__in=opportunities)
        .values("opportunity_id")
        .annotate(top=Max("number"))
        .values_list("opportunity_id", "top")
    )
    now = timezone.now()
    rows = []
    for key, (index, opportunity, person) in wanted.items():
        if key in have:
            continue
        numbers[opportunity.pk] = numbers.get(opportunity.pk, 0) + 1
        steps = APPLICATION_PATHS[index % len(APPLICATION_PATHS)]
        final = steps[-1] if steps else ApplicationStatus.DRAFT
        rows.append(
            Application(
                opportunity=opportunity,
                person=person,
                number=numbers[opportunity.pk],
                status=final,
                submitted_at=now if steps else None,
                status_changed_at=now if steps else None,
                why_interested="Demo data.",
            )
        )
    made = Application.objects.bulk_create(rows, batch_size=BATCH)
    events = []
    for application in made:
        before = ApplicationStatus.DRAFT
        events.append(
            ApplicationEvent(application=application, to_status=before, by_process=SEEDER.name)
        )
        for step in PATH_TO[application.status]:
            events.append(
                ApplicationEvent(
                    application=application,
                    from_status=before,
                    to_status=step,
                    by_process=SEEDER.name,
                )
            )
            before = step
    ApplicationEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(made)
