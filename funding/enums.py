"""Choices for funding calls and proposals."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    IN_REVIEW = "in_review", _("In review")
    DECIDED = "decided", _("Decided")


# The only steps a call may take (funding.services.move_call).
CALL_STEPS: dict[str, frozenset[str]] = {
    CallStatus.DRAFT: frozenset({CallStatus.OPEN}),
    CallStatus.OPEN: frozenset({CallStatus.CLOSED}),
    CallStatus.CLOSED: frozenset({CallStatus.IN_REVIEW}),
    CallStatus.IN_REVIEW: frozenset({CallStatus.DECIDED}),
    CallStatus.DECIDED: frozenset(),
}


class ScoredBy(models.TextChoices):
    EVERYONE = "everyone", _("Everyone on the panel")
    LEES = "lees", _("Lived experience experts only")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (not sent)")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Eligibility(models.TextChoices):
    UNCHECKED = "unchecked", _("Not checked yet")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")


class PanelRole(models.TextChoices):
    """The seat a member holds on a panel (kept on the membership: a researcher may sit as one
    and apply as another elsewhere)."""

    LEE = "lee", _("Lived experience expert")
    RESEARCHER = "researcher", _("Researcher")
    POLICYMAKER = "policymaker", _("Policymaker")


class ConflictCategory(models.TextChoices):
    WORK = "work", _("I work, or have worked, with the applicant or their team")
    ORGANISATION = "organisation", _("I belong to the applicant's organisation")
    PERSONAL = "personal", _("I know someone on the team personally")
    MONEY = "money", _("I, or someone close to me, would gain money from it")
    USED_SERVICES = "used_services", _("I have used services of the applicant organisation")
    SUPPORTS_ME = "supports_me", _("They support me now")
    SUPPORTED_ME = "supported_me", _("They supported me in the past")
    COMPETING = "competing", _("I have applied to this call myself")
    OTHER = "other", _("Something else")
    # Recorded by the system, never chosen: the member is on the proposal's team or applied.
    OWN_PROPOSAL = "own_proposal", _("It is their own proposal")


class ConflictDecision(models.TextChoices):
    """What the chair or staff decided about a declared conflict. Until decided, the member is
    kept out (exclusion is the default)."""

    PENDING = "pending", _("Waiting for a decision (kept out until then)")
    EXCLUDED = "excluded", _("Kept out of this proposal")
    CONTINUE = "continue", _("Declared, and takes part")
    WAIVED = "waived", _("Waived")


# A member with one of these may not open, score or see the scores of the proposal.
EXCLUDING_DECISIONS = frozenset({ConflictDecision.PENDING, ConflictDecision.EXCLUDED})


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Not started")
    DRAFT = "draft", _("Started")
    SUBMITTED = "submitted", _("Sent")
    STEPPED_BACK = "stepped_back", _("Stepped back")


class DecisionOutcome(models.TextChoices):
    FUND = "fund", _("Fund")
    FUND_WITH_CONDITIONS = "conditions", _("Fund with conditions")
    DO_NOT_FUND = "no", _("Do not fund")


class Availability(models.TextChoices):
    YES = "yes", _("Yes")
    IF_NEED_BE = "if_need_be", _("If need be")
    NO = "no", _("No")


class PollStatus(models.TextChoices):
    OPEN = "open", _("Open for answers")
    SCHEDULED = "scheduled", _("Meeting set")
    NO_SLOT = "no_slot", _("No time suits")


class FundingReminderKind(models.TextChoices):
    SCORING_DUE = "scoring_due", _("Scoring due")
    MEETING = "meeting", _("Panel meeting")
    POLL_CLOSING = "poll_closing", _("Availability poll closing")
