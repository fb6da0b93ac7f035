from coprod.models.consent import ConsentRecord, ConsentText
from coprod.models.contact import SafeContactPreferences
from coprod.models.drafts import FormDraft
from coprod.models.invitations import Invitation, hash_token
from coprod.models.notifications import Notification
from coprod.models.people import Person, RoleGrant, User, london_today
from coprod.models.rights import ErasureRequest
from coprod.models.sessions import LoginSession

__all__ = [
    "ConsentRecord",
    "ConsentText",
    "ErasureRequest",
    "FormDraft",
    "Invitation",
    "LoginSession",
    "Notification",
    "Person",
    "RoleGrant",
    "SafeContactPreferences",
    "User",
    "hash_token",
    "london_today",
]
