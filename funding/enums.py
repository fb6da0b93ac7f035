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
