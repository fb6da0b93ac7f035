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

__all__ = [
    "ConsentTextFactory",
    "InvitationFactory",
    "NotificationFactory",
    "PersonFactory",
    "RoleGrantFactory",
    "UserFactory",
    "make_person",
    "make_staff",
    "make_user",
]
