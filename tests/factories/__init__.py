"""Factories for every model, and persona helpers that set people up through services."""

from tests.factories.core import (
    ConsentTextFactory,
    InvitationFactory,
    NotificationFactory,
    PersonFactory,
    RoleGrantFactory,
    UserFactory,
    make_person,
    make_staff,
    make_user,
)
from tests.factories.recruitment import (
    EngagementFactory,
    HonorariumClaimFactory,
    PaymentEligibilityFactory,
    RateFactory,
)

__all__ = [
    "ConsentTextFactory",
    "EngagementFactory",
    "HonorariumClaimFactory",
    "InvitationFactory",
    "NotificationFactory",
    "PaymentEligibilityFactory",
    "PersonFactory",
    "RateFactory",
    "RoleGrantFactory",
    "UserFactory",
    "make_person",
    "make_staff",
    "make_user",
]
