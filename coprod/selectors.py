"""Reads that need care: role queries, consent state, and what each user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet, Subquery

from coprod.enums import (
    ConsentPurpose,
    NotificationCategory,
    NotificationStatus,
    PersonStatus,
    Role,
)
from coprod.models import (
    ConsentRecord,
    ConsentText,
    Invitation,
    Notification,
    Person,
    SafeContactPreferences,
    User,
)


def person_holds_role(person: Person, role: Role | str, *, on: date | None = None) -> bool:
    """Does `person` hold `role` on `on` (default: today in London)? Cached per instance."""
    if on is None:
        return person.holds_role(role)
    return Person.objects.holding(role, on=on).filter(pk=person.pk).exists()


def people_holding_role(role: Role | str, *, on: date | None = None) -> QuerySet[Person]:
    """Everyone who holds `role` on `on` (default: today), in one query."""
    return Person.objects.holding(role, on=on)


def people_for_selection(role: Role | str, *, on: date | None = None) -> QuerySet[Person]:
    """People who hold `role` and may be offered work: paused and withdrawn people are hidden."""
    return Person.objects.holding(role, on=on).available_for_selection()


# Consent -------------------------------------------------------------------------------------


def _texts_newest_first(purpose: ConsentPurpose | str) -> QuerySet[ConsentText]:
    return ConsentText.objects.published().filter(purpose=purpose).order_by("-version")


def current_consent_text(purpose: ConsentPurpose | str) -> ConsentText | None:
    return _texts_newest_first(purpose).first()


def current_consent_texts() -> dict[str, ConsentText]:
    """The latest published text for each purpose, in one query."""
    latest: dict[str, ConsentText] = {}
    for text in ConsentText.objects.published().order_by("purpose", "-version"):
        latest.setdefault(text.purpose, text)
    return latest


def has_consent(person: Person, purpose: ConsentPurpose | str) -> bool:
    """Consent counts only for the current version of its text, and only until withdrawn."""
    return ConsentRecord.objects.filter(
        person=person,
        purpose=purpose,
        withdrawn_at__isnull=True,
        text=Subquery(_texts_newest_first(purpose).values("pk")[:1]),
    ).exists()


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    label: str
    text: ConsentText | None
    given: ConsentRecord | None
    # Consent was given to an older version: the person needs to look again.
    outdated: bool

    @property
    def is_given(self) -> bool:
        return self.given is not None and not self.outdated


def consent_states_for_person(person: Person) -> list[ConsentState]:
    """For each purpose: the current text and what the person has said about it. Two queries."""
    texts = current_consent_texts()
    active = {
        record.purpose: record
        for record in ConsentRecord.objects.filter(
            person=person, withdrawn_at__isnull=True
        ).select_related("text")
    }
    states = []
    for purpose, label in ConsentPurpose.choices:
        text = texts.get(purpose)
        given = active.get(purpose)
        outdated = given is not None and text is not None and given.text_id != text.pk
        states.append(ConsentState(purpose, str(label), text, given, outdated))
    return states


# What needs a person's attention ---------------------------------------------------------------


@dataclass(frozen=True)
class AttentionItems:
    reconfirm_contact: bool
    consents_to_review: list[ConsentState]
    held_messages: int
    paused: bool


def attention_items_for_person(person: Person) -> AttentionItems:
    prefs = SafeContactPreferences.objects.filter(person=person).first()
    states = consent_states_for_person(person)
    return AttentionItems(
        reconfirm_contact=prefs is None
        or prefs.confirmed_at is None
        or prefs.reconfirmation_overdue(),
        consents_to_review=[state for state in states if state.outdated],
        held_messages=Notification.objects.filter(
            person=person, status=NotificationStatus.HELD
        ).count(),
        paused=person.status == PersonStatus.PAUSED,
    )


def messages_for_person(person: Person) -> QuerySet[Notification]:
    """A person's own messages, newest first, including what could not be sent. Account emails
    (sign-in links, password resets) are not shown: they carry secrets."""
    return Notification.objects.filter(
        person=person, category=NotificationCategory.GENERAL
    ).order_by("-created_at")


# Staff ----------------------------------------------------------------------------------------


def invitations_for_user(user: User) -> QuerySet[Invitation]:
    """Invitations a member of staff may see: all of them, with the invitation permission."""
    if not (user.is_staff and user.has_perm("coprod.view_invitation")):
        return Invitation.objects.none()
    return Invitation.objects.select_related("person", "invited_by__person")


def held_notifications_for_user(user: User) -> QuerySet[Notification]:
    """Messages waiting for staff attention (held or failed), for staff who may see messages."""
    if not (user.is_staff and user.has_perm("coprod.view_notification")):
        return Notification.objects.none()
    return (
        Notification.objects.filter(status__in=[NotificationStatus.HELD, NotificationStatus.FAILED])
        .select_related("person")
        .order_by("created_at")
    )
