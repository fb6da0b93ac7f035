"""Factories for funding's models, and helpers that set up calls and proposals through the
services (a call's lived experience criterion is the service's doing)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from coprod.enums import Role, StaffGroup
from coprod.models import User
from funding.enums import CallStatus, ProposalStatus
from funding.models import Call, Criterion, Proposal
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
