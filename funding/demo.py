"""Funding's demo data (`manage.py seed_demo [--scale N]`).

At scale 1, so that a newcomer can walk the whole flow (README, "Funding, step by step"):
- an **open call** ("Routes to safe work") with weighted criteria, one of them scored by lived
  experience experts only, and the demo researcher's draft proposal to it;
- a **closed call** ("Support after the National Referral Mechanism") with four sent proposals
  (one by the demo researcher), eligibility not yet checked, and its panel: the demo LEE, the
  demo policymaker as chair, and four more members, none of whom has yet accepted the
  confidentiality terms or declared conflicts; no reviewer assigned yet; an open meeting poll;
- a **call in review** ("Fair pay in supply chains") whose panel is scoring: the demo LEE has one
  review sent, one started and one not started; the other members have sent theirs, so the
  results page has something to show.

At a scale N > 1, in bulk (no per-row services or queries): calls in review, each with
`PROPOSALS_PER_CALL` proposals from the core's scale researchers, a panel of scale people plus the
demo LEE, declarations, three reviews per proposal (an LEE, a researcher, a policymaker) with a
score per criterion, and the demo LEE's reviews among them: at --scale 100, 5,000 proposals and
50,000 scores. Safe to run again: rows are found by their titles and only what is missing is
added."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta
from decimal import Decimal
from itertools import islice

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from guardian.models import UserObjectPermission

from coprod.audit import SystemActor
from coprod.demo import SCALE_NAME_BASE, STAFF_EMAIL, demo_user
from coprod.doors import DemoRun
from coprod.enums import Role
from coprod.models import Person, RoleGrant
from coprod.services.people import create_person
from coprod.services.roles import grant_role
from funding.enums import (
    Availability,
    CallStatus,
    Eligibility,
    PanelRole,
    ProposalStatus,
    ReviewStatus,
    ScoredBy,
)
from funding.models import (
    LIVED_EXPERIENCE_KEY,
    Call,
    ConflictDeclaration,
    Criterion,
    MeetingPoll,
    MeetingSlot,
    Panel,
    PanelMember,
    Proposal,
    Review,
    Score,
    SlotAnswer,
)
from funding.permissions import sync_proposal_access
from funding.services import create_call, move_call, start_proposal, submit_proposal

SEEDER = SystemActor("command:seed_demo")
LEE_EMAIL = "lee@example.org"
RESEARCHER_EMAIL = "researcher@example.org"
POLICYMAKER_EMAIL = "policymaker@example.org"

OPEN_CALL = "Routes to safe work"
CLOSED_CALL = "Support after the National Referral Mechanism"
REVIEW_CALL = "Fair pay in supply chains"
SCALE_CALL = "Demo scale call {:04d}"

# Name, guidance, weight, highest score, scored by.
CRITERIA = [
    (
        "Does the question matter to survivors?",
        "Would the answer change something in survivors' lives? Is it a question survivors "
        "themselves would ask?",
        2,
        5,
        ScoredBy.EVERYONE,
    ),
    (
        "Can the plan be done well?",
        "Is the method clear? Are the time and the money enough for what they plan?",
        1,
        5,
        ScoredBy.EVERYONE,
    ),
    (
        "Is it safe and respectful for the people taking part?",
        "Think of someone like you taking part. Would they be safe? Would they be treated with "
        "respect, and paid fairly?",
        1,
        4,
        ScoredBy.LEES,
    ),
]

# Other researchers, panel members and applicants of the demo (display names; no logins).
DEMO_EXTRA_PEOPLE = [
    ("Dr Osei", Role.RESEARCHER),
    ("Prof. Lind", Role.RESEARCHER),
    ("Dr Haddad", Role.RESEARCHER),
    ("Dr Moreau", Role.RESEARCHER),
    ("Sol", Role.LEE),
    ("Mira", Role.LEE),
    ("Femi", Role.LEE),
    ("Pat (policy)", Role.POLICYMAKER),
]

PROPOSALS = [
    (
        "Peer support after leaving safe houses",
        "We want to find out what peer support helps people in the first year after they leave "
        "a safe house. Survivors will design the questions with us and will be paid.",
        Decimal("42000.00"),
    ),
    (
        "Advice on work rights in many languages",
        "We will test short videos about work rights in six languages, made with survivors.",
        Decimal("28000.00"),
    ),
    (
        "Housing first for survivors",
        "We will follow 40 people who get a home first, and ask what changed for them.",
        Decimal("60000.00"),
    ),
    (
        "Safe reporting of exploitation at work",
        "We will ask workers what would make it safe for them to report exploitation.",
        Decimal("35000.00"),
    ),
]


def seed(run: DemoRun) -> None:
    staff = demo_user(STAFF_EMAIL)
    people = _extra_people(staff)
    _open_call(staff)
    _closed_call(staff, people)
    _review_call(staff, people)
    if run.scale > 1:
        proposals, scores = scale(run.scale)
        if proposals:
            run.report(
                f"Funding at scale {run.scale}: {proposals} proposals, {scores} scores added."
            )


# Scale 1 --------------------------------------------------------------------------------------


def _extra_people(staff) -> dict[str, Person]:
    found = {}
    for name, role in DEMO_EXTRA_PEOPLE:
        person = Person.objects.filter(chosen_name=name).first()
        if person is None:
            person = create_person(chosen_name=name)
            for held in [Role.PWLE, Role.LEE] if role == Role.LEE else [role]:
                grant_role(person, held, by=staff)
        found[name] = person
    return found


def _call(staff, title: str, *, opens_days: int, closes_days: int, budget: str) -> Call:
    call = Call.objects.filter(title=title).first()
    if call is not None:
        return call
    now = timezone.now()
    call = create_call(
        by=staff,
        title=title,
        description=(
            "Money for research that changes how survivors of modern slavery are supported. "
            "People with lived experience must be involved from the start, and paid."
        ),
        budget=Decimal(budget),
        opens_at=now + timedelta(days=opens_days),
        closes_at=now + timedelta(days=closes_days),
        eligibility="UK universities, charities and survivor-led groups.",
    )
    lived = call.criteria.get(key=LIVED_EXPERIENCE_KEY)
    lived.weight = 2
    lived.save(update_fields=["weight"])
    for order, (name, guidance, weight, scale_max, scored_by) in enumerate(CRITERIA, start=1):
        Criterion.objects.create(
            call=call,
            name=name,
            guidance=guidance,
            weight=weight,
            scale_max=scale_max,
            scored_by=scored_by,
            order=order,
        )
    return call


def _open_call(staff) -> None:
    call = _call(staff, OPEN_CALL, opens_days=-5, closes_days=30, budget="150000")
    if call.status == CallStatus.DRAFT:
        move_call(call, CallStatus.OPEN, by=staff)
    researcher = demo_user(RESEARCHER_EMAIL)
    if not Proposal.objects.filter(call=call, applicant=researcher.person).exists():
        start_proposal(
            call,
            by=researcher,
            title="Survivors as co-researchers in job schemes",
            summary="We want to learn which job schemes help survivors find safe work.",
            requested_amount=Decimal("45000.00"),
        )


def _sent_proposals(staff, call: Call, applicants: list) -> list[Proposal]:
    """The four demo proposals to `call`, sent while it was open (the call is opened for them
    and closed again after, as it would have been)."""
    if call.proposals.exists():
        return list(call.proposals.order_by("pk"))
    if call.status == CallStatus.DRAFT:
        move_call(call, CallStatus.OPEN, by=staff)
    sent = []
    for user_or_person, (title, summary, amount) in zip(applicants, PROPOSALS, strict=True):
        fields = {
            "title": title,
            "summary": summary,
            "description": summary + " The study runs for 18 months.",
            "requested_amount": amount,
            "team": "Two researchers and two paid lived experience co-researchers.",
            "lived_experience_involvement": "Co-researchers with lived experience, paid at the "
            "centre's rates, shape the questions and the analysis.",
        }
        if hasattr(user_or_person, "person"):
            proposal = start_proposal(call, by=user_or_person, **fields)
            submit_proposal(proposal, by=user_or_person)
        else:
            proposal = Proposal.objects.create(
                call=call,
                applicant=user_or_person,
                status=ProposalStatus.SUBMITTED,
                submitted_at=timezone.now(),
                **fields,
            )
        sent.append(proposal)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(days=2))
    call.refresh_from_db()
    move_call(call, CallStatus.CLOSED, by=staff)
    return sent


def _panel(call: Call, seats: list[tuple[Person, PanelRole, bool]]) -> Panel:
    panel, _created = Panel.objects.get_or_create(
        call=call, defaults={"scoring_deadline": timezone.now() + timedelta(days=14)}
    )
    for person, role, is_chair in seats:
        PanelMember.objects.get_or_create(
            panel=panel, person=person, defaults={"role": role, "is_chair": is_chair}
        )
    return panel


def _closed_call(staff, people: dict[str, Person]) -> None:
    call = _call(staff, CLOSED_CALL, opens_days=-40, closes_days=10, budget="120000")
    researcher = demo_user(RESEARCHER_EMAIL)
    _sent_proposals(
        staff,
        call,
        [researcher, people["Dr Osei"], people["Prof. Lind"], people["Dr Haddad"]],
    )
    lee = demo_user(LEE_EMAIL).person
    policymaker = demo_user(POLICYMAKER_EMAIL).person
    panel = _panel(
        call,
        [
            (policymaker, PanelRole.POLICYMAKER, True),
            (lee, PanelRole.LEE, False),
            (people["Sol"], PanelRole.LEE, False),
            (people["Mira"], PanelRole.LEE, False),
            (people["Dr Moreau"], PanelRole.RESEARCHER, False),
            (people["Pat (policy)"], PanelRole.POLICYMAKER, False),
        ],
    )
    if not panel.polls.exists():
        poll = MeetingPoll.objects.create(
            panel=panel,
            title="Panel meeting: Support after the NRM",
            place="Online (the link comes with the invitation)",
            closes_at=timezone.now() + timedelta(days=10),
            created_by=staff,
        )
        start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
        for days in (21, 22, 24):
            MeetingSlot.objects.create(poll=poll, starts_at=start + timedelta(days=days))


def _review_call(staff, people: dict[str, Person]) -> None:
    call = _call(staff, REVIEW_CALL, opens_days=-60, closes_days=10, budget="100000")
    proposals = _sent_proposals(
        staff,
        call,
        [people["Dr Osei"], people["Prof. Lind"], people["Dr Haddad"], people["Dr Moreau"]],
    )
    Proposal.objects.filter(call=call).update(eligibility=Eligibility.ELIGIBLE)
    lee = demo_user(LEE_EMAIL).person
    policymaker = demo_user(POLICYMAKER_EMAIL).person
    researcher = demo_user(RESEARCHER_EMAIL).person
    panel = _panel(
        call,
        [
            (policymaker, PanelRole.POLICYMAKER, True),
            (lee, PanelRole.LEE, False),
            (people["Sol"], PanelRole.LEE, False),
            (people["Femi"], PanelRole.LEE, False),
            (researcher, PanelRole.RESEARCHER, False),
            (people["Pat (policy)"], PanelRole.POLICYMAKER, False),
        ],
    )
    if panel.scoring_started_at is not None:
        return
    now = timezone.now()
    with transaction.atomic():
        members = list(panel.members.all())
        for member in members:
            member.confidentiality_accepted_at = now - timedelta(days=6)
            member.declarations_done_at = now - timedelta(days=6)
            member.save(update_fields=["confidentiality_accepted_at", "declarations_done_at"])
            ConflictDeclaration.objects.bulk_create(
                [
                    ConflictDeclaration(member=member, proposal=proposal, conflicted=False)
                    for proposal in proposals
                ],
                ignore_conflicts=True,
            )
        sync_proposal_access(members)
        panel.scoring_started_at = now - timedelta(days=5)
        panel.scoring_started_by = staff
        panel.save(update_fields=["scoring_started_at", "scoring_started_by"])
        if call.status == CallStatus.CLOSED:
            move_call(call, CallStatus.IN_REVIEW, by=staff)
        criteria = list(call.criteria.all())
        by_person = {member.person_id: member for member in members}
        lee_member = by_person[lee.pk]
        # Who reviews what: (member, proposal index, status, score offset).
        plan = [
            (lee_member, 0, ReviewStatus.SUBMITTED, 0),
            (lee_member, 1, ReviewStatus.DRAFT, 0),
            (lee_member, 2, ReviewStatus.ASSIGNED, 0),
        ]
        others = [member for member in members if member.person_id != lee.pk]
        for index in range(len(proposals)):
            for offset, member in enumerate(others[index % 2 :: 2][:2]):
                plan.append((member, index, ReviewStatus.SUBMITTED, offset + index))
        for member, index, status, offset in plan:
            review = Review.objects.create(
                member=member,
                proposal=proposals[index],
                status=status,
                assigned_by=staff,
                started_at=now - timedelta(days=2) if status != ReviewStatus.ASSIGNED else None,
                submitted_at=now - timedelta(days=1) if status == ReviewStatus.SUBMITTED else None,
                comment="Clear, and survivors shape it from the start."
                if status == ReviewStatus.SUBMITTED
                else "",
            )
            if status == ReviewStatus.ASSIGNED:
                continue
            for number, criterion in enumerate(criteria):
                if criterion.scored_by == ScoredBy.LEES and member.role != PanelRole.LEE:
                    continue
                if status == ReviewStatus.DRAFT and number > 1:
                    break
                Score.objects.create(
                    review=review,
                    criterion=criterion,
                    value=1 + (offset + number + member.pk) % criterion.scale_max,
                )


# At a scale -----------------------------------------------------------------------------------

PROPOSALS_PER_UNIT = 53
PROPOSALS_PER_CALL = 50
# Members of each scale panel, by seat. The demo LEE joins one scale panel in DEMO_LEE_EVERY as a
# fourth LEE (about 10 panels and 110 reviews at --scale 100: busy, but possible).
DEMO_LEE_EVERY = 10
SCALE_SEATS = {PanelRole.LEE: 3, PanelRole.RESEARCHER: 2, PanelRole.POLICYMAKER: 3}
BATCH = 2000


def _batches(items: Iterable[object], size: int = BATCH) -> Iterator[list[object]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _scale_people_with(role: Role) -> list[Person]:
    """The core's scale people holding `role` (the LEEs hold PWLE too)."""
    held = RoleGrant.objects.filter(role=role).values("person_id")
    return list(
        Person.objects.filter(
            pk__in=held,
            generated_name__startswith="Member ",
            generated_name__gte=f"Member {SCALE_NAME_BASE}",
        ).order_by("generated_name")
    )


def scale(scale: int) -> tuple[int, int]:
    """The bulk part of `seed` for scale > 1 (see the module's docstring). Returns the numbers
    of proposals and scores added."""
    units = scale - 1
    researchers = _scale_people_with(Role.RESEARCHER)
    lees = _scale_people_with(Role.LEE)
    policymakers = _scale_people_with(Role.POLICYMAKER)
    if not researchers or not lees or not policymakers:
        raise RuntimeError("The core's scale people are missing: run the core's demo data first.")
    per_call = min(PROPOSALS_PER_CALL, len(researchers))
    wanted = PROPOSALS_PER_UNIT * units
    calls = -(-wanted // per_call)
    staff = demo_user(STAFF_EMAIL)
    lee = demo_user(LEE_EMAIL)
    added_proposals = added_scores = 0
    for number in range(calls):
        title = SCALE_CALL.format(number)
        if Call.objects.filter(title=title).exists():
            continue
        count = min(per_call, wanted - number * per_call)
        with transaction.atomic():
            proposals, scores = _scale_call(
                number, title, count, staff, lee, researchers, lees, policymakers
            )
        added_proposals += proposals
        added_scores += scores
    _analyze()
    return added_proposals, added_scores


def _scale_call(number, title, count, staff, lee, researchers, lees, policymakers):
    now = timezone.now()
    call = Call.objects.create(
        title=title,
        description="A call made for measuring pages at scale.",
        budget=Decimal("500000.00"),
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=30),
        eligibility="Anyone.",
        status=CallStatus.IN_REVIEW,
        status_changed_at=now - timedelta(days=20),
        created_by=staff,
    )
    criteria = Criterion.objects.bulk_create(
        [
            Criterion(
                call=call,
                key=LIVED_EXPERIENCE_KEY,
                name="Involving people with lived experience",
                guidance="From the start, with real influence, and paid fairly?",
                weight=2,
                order=0,
            )
        ]
        + [
            Criterion(
                call=call,
                name=name,
                guidance=guidance,
                weight=weight,
                scale_max=scale_max,
                scored_by=scored_by,
                order=order,
            )
            for order, (name, guidance, weight, scale_max, scored_by) in enumerate(CRITERIA, 1)
        ]
    )
    start = (number * PROPOSALS_PER_CALL) % len(researchers)
    applicants = [researchers[(start + index) % len(researchers)] for index in range(count)]
    proposals = Proposal.objects.bulk_create(
        Proposal(
            call=call,
            applicant=applicant,
            title=f"Scale proposal {number:04d}-{index:03d}",
            summary="A proposal made for measuring pages at scale, in plain words.",
            description="Made by seed_demo --scale.",
            requested_amount=Decimal(10000 + (index * 37 % 50) * 1000),
            team="A team.",
            lived_experience_involvement="Paid co-researchers.",
            status=ProposalStatus.SUBMITTED,
            submitted_at=now - timedelta(days=31),
            eligibility=Eligibility.ELIGIBLE,
        )
        for index, applicant in enumerate(applicants)
    )
    panel = Panel.objects.create(
        call=call,
        scoring_deadline=now + timedelta(days=10),
        scoring_started_at=now - timedelta(days=15),
        scoring_started_by=staff,
    )
    applicant_ids = {applicant.pk for applicant in applicants}
    pools = {
        PanelRole.LEE: lees,
        PanelRole.RESEARCHER: [r for r in researchers if r.pk not in applicant_ids] or researchers,
        PanelRole.POLICYMAKER: policymakers,
    }
    seats = []
    for role, size in SCALE_SEATS.items():
        pool = pools[role]
        for offset in range(size):
            person = pool[(number * size + offset) % len(pool)]
            if person.pk != lee.person_id and person not in [s.person for s in seats]:
                seats.append(PanelMember(panel=panel, person=person, role=role))
    seats[-1].is_chair = True
    with_demo_lee = number % DEMO_LEE_EVERY == 0
    if with_demo_lee:
        seats.append(PanelMember(panel=panel, person=lee.person, role=PanelRole.LEE))
    for member in seats:
        member.confidentiality_accepted_at = now - timedelta(days=16)
        member.declarations_done_at = now - timedelta(days=16)
    members = PanelMember.objects.bulk_create(seats)
    ConflictDeclaration.objects.bulk_create(
        (
            ConflictDeclaration(member=member, proposal=proposal, conflicted=False)
            for member in members
            for proposal in proposals
        ),
        batch_size=BATCH,
    )
    _grant(members, proposals)
    by_role = {role: [member for member in members if member.role == role] for role in SCALE_SEATS}
    demo_lee = members[-1] if with_demo_lee else None
    reviews = []
    for index, proposal in enumerate(proposals):
        trio = [
            demo_lee
            if demo_lee and index % 5 == 0
            else by_role[PanelRole.LEE][index % len(by_role[PanelRole.LEE])],
            by_role[PanelRole.RESEARCHER][index % len(by_role[PanelRole.RESEARCHER])],
            by_role[PanelRole.POLICYMAKER][index % len(by_role[PanelRole.POLICYMAKER])],
        ]
        for member in trio:
            sent = not (member is demo_lee and index % 10 == 0)
            reviews.append(
                Review(
                    member=member,
                    proposal=proposal,
                    status=ReviewStatus.SUBMITTED if sent else ReviewStatus.ASSIGNED,
                    assigned_by=staff,
                    automatic=True,
                    started_at=now - timedelta(days=10) if sent else None,
                    submitted_at=now - timedelta(days=5) if sent else None,
                )
            )
    reviews = Review.objects.bulk_create(reviews, batch_size=BATCH)
    scores = [
        Score(
            review=review,
            criterion=criterion,
            value=1 + (review.proposal_id * 7 + review.member_id * 3 + step) % criterion.scale_max,
        )
        for review in reviews
        if review.status == ReviewStatus.SUBMITTED
        for step, criterion in enumerate(criteria)
        if criterion.scored_by == ScoredBy.EVERYONE or review.member.role == PanelRole.LEE
    ]
    Score.objects.bulk_create(scores, batch_size=BATCH)
    poll = MeetingPoll.objects.create(
        panel=panel,
        title=f"Panel meeting {number:04d}",
        place="Online",
        closes_at=now + timedelta(days=5),
        created_by=staff,
    )
    slots = MeetingSlot.objects.bulk_create(
        MeetingSlot(poll=poll, starts_at=now + timedelta(days=20 + day)) for day in range(3)
    )
    SlotAnswer.objects.bulk_create(
        SlotAnswer(slot=slot, member=member, answer=Availability.YES)
        for slot in slots[:1]
        for member in [member for member in members if member.person_id != lee.person_id]
    )
    return len(proposals), len(scores)


def _grant(members: list[PanelMember], proposals: list[Proposal]) -> None:
    """The object permissions `funding.permissions.sync_proposal_access` would grant (members
    with a login, every proposal: nobody declared a conflict), in bulk."""
    permission = Permission.objects.get(
        content_type__app_label="funding", codename="review_proposal"
    )
    content_type = ContentType.objects.get_for_model(Proposal)
    users = dict(
        Person.objects.filter(pk__in=[member.person_id for member in members])
        .exclude(user__isnull=True)
        .values_list("pk", "user__pk")
    )
    UserObjectPermission.objects.bulk_create(
        (
            UserObjectPermission(
                user_id=users[member.person_id],
                permission=permission,
                content_type=content_type,
                object_pk=str(proposal.pk),
            )
            for member in members
            if member.person_id in users
            for proposal in proposals
        ),
        batch_size=BATCH,
        ignore_conflicts=True,
    )


ANALYZED = [Proposal, Review, Score, ConflictDeclaration, PanelMember, UserObjectPermission]


def _analyze() -> None:
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in ANALYZED)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
