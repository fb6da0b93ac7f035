"""States and kinds for the shared core."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PWLE = "pwle", _("Person with lived experience")
    LEE = "lee", _("Lived experience expert")
    RESEARCHER = "researcher", _("Researcher")
    POLICYMAKER = "policymaker", _("Policymaker")
    PRACTITIONER = "practitioner", _("Practitioner")


# Roles that only staff can grant, through an invitation or the admin.
INVITED_ROLES = frozenset({Role.PWLE, Role.LEE, Role.POLICYMAKER, Role.PRACTITIONER})
# The one role a person can take by signing up.
SELF_SIGNUP_ROLE = Role.RESEARCHER


class RoleGrantSource(models.TextChoices):
    GRANTED = "granted", _("Granted by staff")
    SELF_SIGNUP = "self_signup", _("Signed up")
    INVITATION = "invitation", _("Accepted an invitation")
    PROMOTION = "promotion", _("Became a lived experience expert")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class StaffGroup(models.TextChoices):
    ENGAGEMENT = "engagement", _("Engagement")
    FUNDING = "funding", _("Funding")
    PARTNERSHIPS = "partnerships", _("Partnerships")
    FINANCE = "finance", _("Finance")


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message (SMS)")
    POST = "post", _("Post")
    SUPPORT_WORKER = "support_worker", _("Through my support worker")


class SafeTime(models.TextChoices):
    """Windows in which contact is safe, in London time."""

    MORNING = "morning", _("Mornings (8am to 12pm)")
    AFTERNOON = "afternoon", _("Afternoons (12pm to 5pm)")
    EVENING = "evening", _("Evenings (5pm to 9pm)")
    WEEKEND = "weekend", _("Weekends as well as weekdays")


# Hours (start inclusive, end exclusive) of each daily window.
SAFE_TIME_HOURS = {
    SafeTime.MORNING: (8, 12),
    SafeTime.AFTERNOON: (12, 17),
    SafeTime.EVENING: (17, 21),
}


class MessageDetail(models.TextChoices):
    NEUTRAL = "neutral", _("Nothing that names the centre or what it is about")
    FULL = "full", _("Full detail")


class ConsentPurpose(models.TextChoices):
    CONTACT = "contact", _("Being contacted")
    TAKING_PART = "taking_part", _("Taking part")
    NAMED_OR_QUOTED = "named_or_quoted", _("Being named or quoted")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to send")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    HELD = "held", _("Held")
    HANDLED = "handled", _("Handled another way by staff")
    FAILED = "failed", _("Failed")


class NotificationCategory(models.TextChoices):
    # Sign-in, verification, password and security notices: sent at once, never held, neutral.
    ACCOUNT = "account", _("Account and security")
    GENERAL = "general", _("General")
    # Work messages to staff (digests of what waits for them): to the login's sign-in address,
    # at once, neutral; the participants' safe-contact rules do not apply to staff.
    STAFF = "staff", _("Staff work")


class HoldReason(models.TextChoices):
    PAUSED = "paused", _("The person has paused their involvement")
    WITHDRAWN = "withdrawn", _("The person has withdrawn")
    NO_CONTACT_CONSENT = "no_contact_consent", _("No current consent to be contacted")
    RECONFIRM_DUE = "reconfirm_due", _("Safe-contact details are past their re-confirmation date")
    PERSON_INITIATES = "person_initiates", _("The person asked to start all contact themselves")
    NO_SAFE_CHANNEL = (
        "no_safe_channel",
        _("No safe channel the system can use: staff must contact them another way"),
    )
    NO_ADDRESS = "no_address", _("No email address on record")
    SUPPORT_WORKER_UNAVAILABLE = (
        "support_worker_unavailable",
        _(
            "Their support worker is not an active practitioner now: staff must check who "
            "supports them"
        ),
    )
    NOT_STAFF = "not_staff", _("A staff message to a login that is no longer active staff")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be accepted")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Cancelled")


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the engagement team")
    CARRIED_OUT = "carried_out", _("Done: the information was deleted")
    CANCELLED = "cancelled", _("Cancelled")
