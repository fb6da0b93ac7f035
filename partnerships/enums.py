"""Choices for partnerships: organisations, the participation ladder, agreements, meetings,
decisions and barriers, "you said, we did", the library and the five-values self-assessment."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from coprod.enums import Role


class OrganisationKind(models.TextChoices):
    SURVIVOR_LED = "survivor_led", _("Survivor-led group")
    NGO = "ngo", _("Charity or NGO")
    SUPPORT_PROVIDER = "support_provider", _("Support provider")
    UNIVERSITY = "university", _("University")
    GOVERNMENT = "government", _("Government")
    BUSINESS = "business", _("Business")
    FUNDER = "funder", _("Funder")


class PartnershipStatus(models.TextChoices):
    FORMING = "forming", _("Being set up")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class ParticipationLevel(models.IntegerChoices):
    """The ladder, lowest step first: a partnership deepens step by step."""

    INFORM = 1, _("Inform")
    CONSULT = 2, _("Consult")
    INVOLVE = 3, _("Involve")
    COLLABORATE = 4, _("Collaborate")
    CO_PRODUCE = 5, _("Co-produce")


# What each step means, in plain language (shown beside the ladder).
LEVEL_MEANINGS = {
    ParticipationLevel.INFORM: _("People are told what is happening and why."),
    ParticipationLevel.CONSULT: _("People are asked for their views, and told what was done."),
    ParticipationLevel.INVOLVE: _("People work with us throughout, and their views shape plans."),
    ParticipationLevel.COLLABORATE: _("People share decisions with us at each step."),
    ParticipationLevel.CO_PRODUCE: _("People share power and responsibility from start to end."),
}


class PartnershipRole(models.TextChoices):
    """The role a member holds in one partnership (the same names as the core's roles)."""

    LEE = Role.LEE.value, Role.LEE.label
    PWLE = Role.PWLE.value, Role.PWLE.label
    PRACTITIONER = Role.PRACTITIONER.value, Role.PRACTITIONER.label
    RESEARCHER = Role.RESEARCHER.value, Role.RESEARCHER.label
    POLICYMAKER = Role.POLICYMAKER.value, Role.POLICYMAKER.label


# Members in these roles are paid for their time: their attendance becomes an engagement.
PAID_ROLES = frozenset({PartnershipRole.LEE, PartnershipRole.PWLE})


class AgreementKind(models.TextChoices):
    TERMS_OF_REFERENCE = "terms_of_reference", _("Terms of reference")
    MOU = "mou", _("Memorandum of understanding")
    DATA_SHARING = "data_sharing", _("Data-sharing agreement")
    OTHER = "other", _("Other agreement")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class TensionStatus(models.TextChoices):
    NONE = "none", _("No tension recorded")
    OPEN = "open", _("Still open")
    RESOLVED = "resolved", _("Resolved")


class BarrierKind(models.TextChoices):
    """The barriers to co-production the literature names."""

    RESOURCES = "resources", _("Resources")
    POWER = "power_imbalance", _("Power imbalance")
    TIME = "time", _("Time")
    ACADEMIC_INCENTIVES = "academic_incentives", _("Academic incentives")
    CULTURE_LANGUAGE = "culture_language", _("Culture and language")


class BarrierStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ADDRESSED = "addressed", _("Dealt with")


class YouSaidStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACTED_ON = "acted_on", _("Acted on")
    PARTLY = "partly", _("Partly acted on")
    NOT_ACTED_ON = "not_acted_on", _("Not acted on")


# Closed statuses; the two that did not fully act need a reason.
CLOSED_YOU_SAID = frozenset(
    {YouSaidStatus.ACTED_ON, YouSaidStatus.PARTLY, YouSaidStatus.NOT_ACTED_ON}
)
NEEDS_REASON = frozenset({YouSaidStatus.PARTLY, YouSaidStatus.NOT_ACTED_ON})


class ResourceKind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    LESSONS = "lessons", _("Lessons learned")
    CASE_STUDY = "case_study", _("Case study")
    TEMPLATE = "template", _("Template")


class ResourceStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PUBLISHED = "published", _("Published")
    DECLINED = "declined", _("Not published")


class CoproductionValue(models.TextChoices):
    """The five values of co-production, in the order they are asked about."""

    VALUE_PEOPLE = "value_people", _("Value people and build on their strengths")
    NETWORKS = "networks", _("Build networks across silos")
    WHAT_MATTERS = "what_matters", _("Focus on what matters")
    TRUST_POWER = "trust_power", _("Build trust and share power")
    CHANGE_MAKERS = "change_makers", _("Enable people to be change makers")


# The question asked for each value, in plain language.
VALUE_QUESTIONS = {
    CoproductionValue.VALUE_PEOPLE: _(
        "Does this partnership value people and build on what they are good at?"
    ),
    CoproductionValue.NETWORKS: _(
        "Does it bring people and organisations together who do not usually work together?"
    ),
    CoproductionValue.WHAT_MATTERS: _("Does it focus on what matters most to the people in it?"),
    CoproductionValue.TRUST_POWER: _("Do people trust each other and share power fairly?"),
    CoproductionValue.CHANGE_MAKERS: _("Does it help people make change happen?"),
}


class Rating(models.IntegerChoices):
    """The scale each value is rated on."""

    NOT_AT_ALL = 1, _("Not at all")
    A_LITTLE = 2, _("A little")
    SOMEWHAT = 3, _("Somewhat")
    MOSTLY = 4, _("Mostly")
    FULLY = 5, _("Fully")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


# Results by role are shown only where at least this many people of the role answered.
MIN_RESPONDENTS_PER_ROLE = 3


class PartnershipReminderKind(models.TextChoices):
    AGREEMENT_REVIEW = "agreement_review", _("Agreement review due")
    YOU_SAID_OVERDUE = "you_said_overdue", _("'You said' item open too long")
