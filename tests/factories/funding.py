"""Factories for funding's models, and helpers that set up calls and proposals through the
services (a call's lived experience criterion is the service's doing)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from coprod.enums import Role, StaffGroup
from coprod.models import User
from funding.enums import CallStatus, PanelRole, ProposalStatus, ReviewStatus
from funding.models import (
    Call,
    ConflictDeclaration,
    Criterion,
    Panel,
    PanelMember,
    Proposal,
    Review,
    Score,
)
from funding.permissions import sync_proposal_access
from funding.services import add_lived_experience_criterion
from tests.factories.core import make_staff, make_user


class CallFactory(factory.django.DjangoModelFactory):
    """An open call (its lived experience criterion added after creation), open for two weeks."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Research call {n}")
    description = "Money for research that changes how survivors are supported."
    budget = Decimal("50000.00")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    eligibility = "UK universities and charities."
    status = CallStatus.OPEN

    @factory.post_generation
    def lived_experience(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            add_lived_experience_criterion(obj)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    guidance = "Is the method sound?"
    weight = 2
    order = factory.Sequence(lambda n: n + 1)


class ProposalFactory(factory.django.DjangoModelFactory):
    """A submitted proposal by a new researcher."""

    class Meta:
        model = Proposal

    call = factory.SubFactory(CallFactory)
    applicant = factory.LazyFunction(lambda: make_researcher().person)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    summary = "We will ask survivors what helps. We will pay them for their time."
    description = "A two-year study."
    requested_amount = Decimal("20000.00")
    team = "Dr A, Dr B"
    lived_experience_involvement = "Two paid LEE co-researchers from the start."
    status = ProposalStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


def make_researcher(**fields: object) -> User:
    return make_user(roles=[Role.RESEARCHER], **fields)


def make_funding_staff(**fields: object) -> User:
    return make_staff(StaffGroup.FUNDING, **fields)


# Panels -----------------------------------------------------------------------------------------

PANEL_ROLE_TO_ROLE = {
    PanelRole.LEE: Role.LEE,
    PanelRole.RESEARCHER: Role.RESEARCHER,
    PanelRole.POLICYMAKER: Role.POLICYMAKER,
}


class PanelFactory(factory.django.DjangoModelFactory):
    """A panel for a call that has closed (proposals are in), scoring due in a week."""

    class Meta:
        model = Panel

    call = factory.SubFactory(
        CallFactory,
        status=CallStatus.IN_REVIEW,
        opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=30)),
        closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=2)),
    )
    scoring_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class PanelMemberFactory(factory.django.DjangoModelFactory):
    """A seat held by a new person with the matching role (an LEE unless `role` says)."""

    class Meta:
        model = PanelMember

    panel = factory.SubFactory(PanelFactory)
    role = PanelRole.LEE
    person = factory.LazyAttribute(lambda o: make_user(roles=[PANEL_ROLE_TO_ROLE[o.role]]).person)


def seat(
    panel: Panel, role: PanelRole = PanelRole.LEE, *, ready: bool = True, **fields
) -> PanelMember:
    """A member of `panel`. `ready`: they have accepted the confidentiality terms and declared
    no conflict for each of the panel's proposals so far (and have their access granted)."""
    member = PanelMemberFactory(panel=panel, role=role, **fields)
    if ready:
        declare_clear(member)
    return member


def declare_clear(member: PanelMember, proposals=None) -> PanelMember:
    """Accept the terms and declare no conflict for `proposals` (default: every proposal of the
    member's call), then grant access. Bypasses the services: a set-up helper."""
    member.confidentiality_accepted_at = member.confidentiality_accepted_at or timezone.now()
    member.declarations_done_at = timezone.now()
    member.save(update_fields=["confidentiality_accepted_at", "declarations_done_at"])
    if proposals is None:
        proposals = Proposal.objects.filter(call__panel=member.panel)
    for proposal in proposals:
        ConflictDeclaration.objects.get_or_create(
            member=member, proposal=proposal, defaults={"conflicted": False}
        )
    sync_proposal_access([member])
    return member


class ReviewFactory(factory.django.DjangoModelFactory):
    """An assignment of a proposal to a ready member of its call's panel."""

    class Meta:
        model = Review

    member = factory.SubFactory(PanelMemberFactory)
    proposal = factory.LazyAttribute(lambda o: ProposalFactory(call=o.member.panel.call))
    status = ReviewStatus.ASSIGNED


def scored_review(member: PanelMember, proposal: Proposal, values: dict | int, **fields) -> Review:
    """A submitted review by `member` of `proposal`: `values` maps criterion → score, or gives
    one score for every criterion the member scores. Bypasses the services (set-up only)."""
    review, _created = Review.objects.get_or_create(member=member, proposal=proposal)
    for name, value in fields.items():
        setattr(review, name, value)
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = review.submitted_at or timezone.now()
    review.save()
    criteria = proposal.call.criteria.all()
    if member.role != PanelRole.LEE:
        criteria = criteria.exclude(scored_by="lees")
    for criterion in criteria:
        value = values if isinstance(values, int) else values.get(criterion)
        if value is not None:
            Score.objects.update_or_create(
                review=review, criterion=criterion, defaults={"value": value}
            )
    return review


# Panel meetings (funding.services.meetings) ----------------------------------------------------


def reachable_seat(
    panel: Panel, role: PanelRole = PanelRole.LEE, *, email: str, **fields
) -> PanelMember:
    """A member the outbox can email (contact consent, a contact email, safe-contact
    preferences: email, any time, neutral wording unless `message_detail` says), with a login."""
    from coprod.enums import ConsentPurpose
    from coprod.models import SafeContactPreferences
    from tests.factories.core import UserFactory, make_person

    detail = fields.pop("message_detail", "neutral")
    person = make_person(
        roles=[PANEL_ROLE_TO_ROLE[role]], consents=[ConsentPurpose.CONTACT], contact_email=email
    )
    SafeContactPreferences.objects.filter(person=person).update(message_detail=detail)
    UserFactory(person=person, email=f"login.{email}")
    return PanelMember.objects.create(panel=panel, person=person, role=role, **fields)


def open_poll(panel: Panel, *, starts=None, closes_in=timedelta(days=2), **fields):
    """An open poll for `panel` (made directly, not through the service: set-up), with slots
    starting at `starts` (default: 10 and 11 days from now, at 10:00 UTC)."""
    from funding.models import MeetingPoll, MeetingSlot

    now = timezone.now()
    if starts is None:
        base = (now + timedelta(days=10)).replace(hour=10, minute=0, second=0, microsecond=0)
        starts = [base, base + timedelta(days=1)]
    poll = MeetingPoll.objects.create(
        panel=panel,
        title=fields.pop("title", "Panel meeting"),
        closes_at=now + closes_in,
        **fields,
    )
    for moment in starts:
        MeetingSlot.objects.create(poll=poll, starts_at=moment)
    return poll


def answer(member: PanelMember, slot, value: str):
    from funding.models import SlotAnswer

    return SlotAnswer.objects.update_or_create(
        slot=slot, member=member, defaults={"answer": value}
    )[0]
