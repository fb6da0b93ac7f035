"""Reads that need care: role queries, consent state, and what each user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from django.db.models import Exists, IntegerField, Model, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from guardian.shortcuts import get_objects_for_user

from coprod import doors
from coprod.enums import (
    ConsentPurpose,
    NotificationCategory,
    NotificationStatus,
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
    london_today,
)

M = TypeVar("M", bound=Model)


def visible_to(
    user: User,
    queryset: QuerySet[M],
    *,
    staff_permission: str | None = None,
    owner: str | None = None,
    grant: str | None = None,
) -> QuerySet[M]:
    """The rows of `queryset` that `user` may see — the base of every `<things>_for_user`
    selector. Three routes, any of which lets a row through:

    - `staff_permission`: staff whose groups give this model permission see every row;
    - `owner`: the path from a row to the person it belongs to (`"person"`,
      `"application__person"`): a person sees their own rows;
    - `grant`: a permission given on single rows through django-guardian (an assigned
      reviewer's `"funding.view_proposal"`): the visitor sees the rows granted to them.

    Nobody else sees anything, and an inactive login sees nothing."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if staff_permission is not None and user.is_staff and user.has_perm(staff_permission):
        return queryset
    routes = []
    if owner is not None:
        routes.append(Q(**{owner: user.person_id}))
    if grant is not None:
        granted = get_objects_for_user(
            user, grant, klass=queryset.model, with_superuser=False, accept_global_perms=False
        )
        routes.append(Q(pk__in=granted.values("pk")))
    if not routes:
        return queryset.none()
    condition = routes[0]
    for route in routes[1:]:
        condition |= route
    return queryset.filter(condition)


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


# Counting in a subquery, and what the portal asks of a person ------------------------------------


class count_subquery(Subquery):
    """The number of rows of `queryset` (which may use OuterRef), as a subquery expression:
    `Person.objects.annotate(held=count_subquery(Notification.objects.filter(person=OuterRef("pk"))))`.
    One query for the whole list, whatever the number of rows counted."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, **extra: object) -> None:
        super().__init__(queryset.order_by().values("pk"), **extra)


# Expressions on a person's row (OuterRef("pk") is the person), for the portal's "Things to do".


def contact_needs_confirming() -> Exists:
    """True when the person has never confirmed how to contact them, or must confirm again."""
    confirmed = SafeContactPreferences.objects.filter(
        Q(reconfirm_by__isnull=True) | Q(reconfirm_by__gte=london_today()),
        person=OuterRef("pk"),
        confirmed_at__isnull=False,
    )
    return ~Exists(confirmed)


def consent_outdated(purpose: ConsentPurpose | str) -> Exists:
    """True when the person agreed to an older version of the text for `purpose`."""
    current = Subquery(_texts_newest_first(purpose).values("pk")[:1])
    return Exists(
        ConsentRecord.objects.filter(
            person=OuterRef("pk"), purpose=purpose, withdrawn_at__isnull=True
        ).exclude(text=current)
    )


def held_message_count() -> count_subquery:
    return count_subquery(
        Notification.objects.filter(person=OuterRef("pk"), status=NotificationStatus.HELD)
    )


@dataclass(frozen=True)
class ToDo:
    text: str
    url: str


def things_to_do_for_person(person: Person) -> list[ToDo]:
    """The portal's "Things to do": every app's items (coprod.doors.ThingToDo), in one query."""
    items = doors.things_to_do()
    if not items:
        return []
    expressions = {f"item_{index}": item.count() for index, item in enumerate(items)}
    values = Person.objects.filter(pk=person.pk).values(**expressions).get()
    return [
        ToDo(str(item.text(values[key])), reverse(item.url_name, kwargs=dict(item.url_kwargs)))
        for key, item in zip(expressions, items, strict=True)
        if values[key]
    ]


def messages_for_person(person: Person) -> QuerySet[Notification]:
    """A person's own messages, newest first, including what could not be sent. Account emails
    (sign-in links, password resets) are not shown: they carry secrets."""
    return Notification.objects.filter(
        person=person, category=NotificationCategory.GENERAL
    ).order_by("-created_at")


# Staff ----------------------------------------------------------------------------------------


def invitations_for_user(user: User) -> QuerySet[Invitation]:
    """Invitations a user may see: every one for staff with the invitation permission (the
    engagement team), and single ones granted through django-guardian."""
    return visible_to(
        user,
        Invitation.objects.select_related("person", "invited_by__person"),
        staff_permission="coprod.view_invitation",
        grant="coprod.view_invitation",
    )


def held_notifications_for_user(user: User) -> QuerySet[Notification]:
    """Messages waiting for staff attention (held or failed), for staff who may see messages."""
    return visible_to(
        user,
        Notification.objects.filter(
            status__in=[NotificationStatus.HELD, NotificationStatus.FAILED]
        ).select_related("person"),
        staff_permission="coprod.view_notification",
    ).order_by("created_at")


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def staff_home_sections(user: User) -> list[tuple[str, list[Link]]]:
    """Every app's staff-home links (coprod.doors.StaffLink) this member of staff may use,
    grouped under their sections in order. Reads permissions only (cached on the user)."""
    sections: dict[str, list[Link]] = {}
    for link in doors.staff_links():
        if user.is_staff and user.has_perms(link.permissions):
            sections.setdefault(str(link.section), []).append(
                Link(str(link.label), reverse(link.url_name))
            )
    return list(sections.items())
