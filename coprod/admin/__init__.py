"""The Django admin for the shared core. Writes go through services; restricted fields appear only
for staff with the permission, never in lists, and each view of them is audited. Nobody filters a
list on an encrypted field, nor on a restricted field they may not see (RestrictedLookupsMixin)."""

from coprod.admin.invitations import InvitationAdmin
from coprod.admin.messages import ConsentTextAdmin, NotificationAdmin
from coprod.admin.people import PersonAdmin, UserAdmin
from coprod.admin.restrictions import (
    ALL_FIELDS,
    RestrictedLookupsMixin,
    restrict_lookups,
    touches_hidden_field,
)

__all__ = [
    "ALL_FIELDS",
    "ConsentTextAdmin",
    "InvitationAdmin",
    "NotificationAdmin",
    "PersonAdmin",
    "RestrictedLookupsMixin",
    "UserAdmin",
    "restrict_lookups",
    "touches_hidden_field",
]
