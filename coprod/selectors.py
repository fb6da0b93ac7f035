"""Reads that need care: role queries, consent state, and what each user may see."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.apps import apps
from django.db import connection
from django.db.models import Exists, IntegerField, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Now
from django.urls import reverse
from guardian.shortcuts import get_objects_for_user

from coprod import doors
from coprod.compiled import OneRowQuery, database_today
from coprod.enums import (
    ConsentPurpose,
    ErasureStatus,
    MessageDetail,
    NotificationCategory,
    NotificationStatus,
    Role,
)
from coprod.models import (
    ConsentRecord,
    ConsentText,
    ErasureRequest,
    FormDraft,
    Invitation,
    Notification,
    Person,
    RoleGrant,
    SafeContactPreferences,
    User,
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


def logins_with_address(email: str) -> QuerySet[User]:
    """The login that uses this address (whatever its case), as its sign-in address or as another
    address of theirs (allauth's EmailAddress). The one lookup of a login by address."""
    email = email.strip()
    return (
        User.objects.filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email))
        .select_related("person")
        .distinct()
    )


def email_has_account(email: str) -> bool:
    return logins_with_address(email).exists()


def people_without_login() -> QuerySet[Person]:
    """People we know who have no login yet (referred, say), by the name everyone sees."""
    return Person.objects.filter(user__isnull=True, erased_at__isnull=True).with_display_name()


def safe_contact_for_person(person: Person) -> SafeContactPreferences:
    """A person's contact preferences, with their support worker. Every person gets them when
    created (coprod.services.people.create_person); an unsaved default stands in otherwise."""
    prefs = (
        SafeContactPreferences.objects.select_related("support_worker")
        .filter(person=person)
        .first()
    )
    return prefs or SafeContactPreferences(person=person)


def people_for_selection(role: Role | str, *, on: date | None = None) -> QuerySet[Person]:
    """People who hold `role` and may be offered work: paused and withdrawn people are hidden."""
    return Person.objects.holding(role, on=on).available_for_selection()


# Consent -------------------------------------------------------------------------------------


def _texts_newest_first(
    purpose: ConsentPurpose | str, *, at: Now | None = None
) -> QuerySet[ConsentText]:
    return ConsentText.objects.published(at=at).filter(purpose=purpose).order_by("-version")


def current_consent_text(purpose: ConsentPurpose | str) -> ConsentText | None:
    return _texts_newest_first(purpose).first()


def current_consent_texts() -> dict[str, ConsentText]:
    """The latest published text for each purpose, in one query."""
    latest: dict[str, ConsentText] = {}
    for text in ConsentText.objects.published().order_by("purpose", "-version"):
        latest.setdefault(text.purpose, text)
    return latest


def _consents_in_force(purpose: ConsentPurpose | str) -> QuerySet[ConsentRecord]:
    """Consent counts only for the current version of its text, and only until withdrawn."""
    return ConsentRecord.objects.filter(
        purpose=purpose,
        withdrawn_at__isnull=True,
        text=Subquery(_texts_newest_first(purpose).values("pk")[:1]),
    )


def has_consent(person: Person, purpose: ConsentPurpose | str) -> bool:
    """Consent counts only for the current version of its text, and only until withdrawn."""
    return _consents_in_force(purpose).filter(person=person).exists()


def people_with_consent(person_ids: Iterable[int], purpose: ConsentPurpose | str) -> set[int]:
    """Which of these people have consent in force for `purpose` (the rule of `has_consent`),
    in one query whatever their number: for the outbox's batched door."""
    return set(
        _consents_in_force(purpose)
        .filter(person_id__in=list(person_ids))
        .values_list("person_id", flat=True)
    )


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
# They are compiled once (coprod.compiled): a moment in them is the database's clock, never ours.


def contact_needs_confirming() -> Exists:
    """True when the person has never confirmed how to contact them, or must confirm again."""
    confirmed = SafeContactPreferences.objects.filter(
        Q(reconfirm_by__isnull=True) | Q(reconfirm_by__gte=database_today()),
        person=OuterRef("pk"),
        confirmed_at__isnull=False,
    )
    return ~Exists(confirmed)


def consent_outdated(purpose: ConsentPurpose | str) -> Exists:
    """True when the person agreed to an older version of the text for `purpose`."""
    current = Subquery(_texts_newest_first(purpose, at=Now()).values("pk")[:1])
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


def _things_to_do_query(items: Sequence[doors.ThingToDo]) -> OneRowQuery:
    def build(person_id: int) -> QuerySet:
        expressions = {f"item_{index}": item.count() for index, item in enumerate(items)}
        return Person.objects.filter(pk=person_id).order_by().values(**expressions)

    return OneRowQuery(build)


# Compiled once per set of declared items and database (tests change the items). Each entry keeps
# its items alive, so that their ids, which make the key, cannot be reused by other items.
_compiled_things_to_do: dict[tuple[str, tuple[int, ...]], tuple[Sequence[Any], OneRowQuery]] = {}


def things_to_do_for_person(person: Person) -> list[ToDo]:
    """The portal's "Things to do": every app's items (coprod.doors.ThingToDo), in one query,
    whose SQL is compiled once per process (coprod.compiled)."""
    items = doors.things_to_do()
    if not items:
        return []
    key = (connection.vendor, tuple(id(item) for item in items))
    if key not in _compiled_things_to_do:
        _compiled_things_to_do[key] = (tuple(items), _things_to_do_query(items))
    _items, query = _compiled_things_to_do[key]
    row = query.run(person.pk)
    if row is None:
        return []
    return [
        ToDo(str(item.text(int(value))), reverse(item.url_name, kwargs=dict(item.url_kwargs)))
        for value, item in zip(row, items, strict=True)
        if value
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
    count: int | None = None


def staff_home_sections(user: User) -> list[tuple[str, list[Link]]]:
    """Every app's staff-home links (coprod.doors.StaffLink) this member of staff may use,
    grouped under their sections in order, with how many things wait there. Reads permissions
    (cached on the user), and one count for each link that declares one."""
    sections: dict[str, list[Link]] = {}
    for link in doors.staff_links():
        if user.is_staff and user.has_perms(link.permissions):
            count = link.count() if link.count is not None else None
            sections.setdefault(str(link.section), []).append(
                Link(str(link.label), reverse(link.url_name), count)
            )
    return list(sections.items())


# A person's own data (coprod.doors.PersonalData: the core's export) ------------------------------


def _when(moment: object) -> str | None:
    return moment.isoformat() if moment is not None else None  # type: ignore[attr-defined]


def core_personal_data(person: Person) -> dict[str, Any]:
    """Everything the core holds about `person`, restricted fields included, JSON-ready. For their
    own download (coprod.services.rights.export_personal_data); never for anyone else."""
    login = User.objects.filter(person=person).first()
    prefs = (
        SafeContactPreferences.objects.filter(person=person)
        .select_related("support_worker")
        .first()
    )
    return {
        "about_you": {
            "display_name": person.display_name,
            "name_we_made_up": person.generated_name,
            "legal_name": person.legal_name,
            "pronouns": person.pronouns,
            "preferred_language": person.preferred_language,
            "needs_interpreter": person.needs_interpreter,
            "access_and_support_needs": person.access_needs,
            "contact_email": person.contact_email,
            "phone": person.phone,
            "postal_address": person.postal_address,
            "taking_part": person.get_status_display(),
            "record_created": _when(person.created_at),
        },
        "sign_in": None
        if login is None
        else {
            "email": login.email,
            "account_created": _when(login.date_joined),
            "last_signed_in": _when(login.last_login),
        },
        "roles": [
            {
                "role": grant.get_role_display(),
                "from": _when(grant.starts_on),
                "until": _when(grant.ends_on),
                "how": grant.get_source_display(),
                "note": grant.note,
            }
            for grant in RoleGrant.objects.filter(person=person).order_by("starts_on", "pk")
        ],
        "what_you_agreed_to": [
            {
                "purpose": record.get_purpose_display(),
                "version": record.text.version,
                "text": record.text.body,
                "agreed_on": _when(record.given_at),
                "withdrawn_on": _when(record.withdrawn_at),
            }
            for record in ConsentRecord.objects.filter(person=person)
            .select_related("text")
            .order_by("given_at", "pk")
        ],
        "how_we_contact_you": None
        if prefs is None
        else {
            "ways": prefs.channels,
            "times": prefs.safe_times,
            "voicemail_ok": prefs.voicemail_ok,
            "how_much_messages_say": prefs.get_message_detail_display(),
            "wait_for_you_to_start": prefs.person_initiates_only,
            "support_worker": prefs.support_worker.display_name if prefs.support_worker else None,
            "safety_notes": prefs.safety_notes,
            "confirmed_on": _when(prefs.confirmed_at),
            "confirm_again_by": _when(prefs.reconfirm_by),
        },
        "messages": [
            {
                "kind": message.kind,
                "status": message.get_status_display(),
                "written": _when(message.created_at),
                "sent": _when(message.sent_at),
                # Account emails carried a sign-in secret: their body is not kept.
                "subject": message.content[MessageDetail.FULL]["subject"],
                "text": message.content[MessageDetail.FULL]["body"]
                if message.category == NotificationCategory.GENERAL
                else "",
            }
            for message in Notification.objects.filter(person=person).order_by("created_at", "pk")
        ],
        "invitations": [
            {
                "role": invitation.get_role_display(),
                "email": invitation.email,
                "status": invitation.get_status_display(),
                "sent": _when(invitation.created_at),
            }
            for invitation in Invitation.objects.filter(person=person).order_by("created_at")
        ],
        "saved_form_answers": [
            {"page": draft.path, "saved": _when(draft.saved_at), "answers": draft.data}
            for draft in FormDraft.objects.filter(user__person=person).order_by("saved_at")
        ],
        "requests_to_delete_your_information": [
            {
                "status": request.get_status_display(),
                "asked_on": _when(request.requested_at),
                "done_or_cancelled_on": _when(request.decided_at),
            }
            for request in ErasureRequest.objects.filter(person=person).order_by("requested_at")
        ],
    }


def erasure_requests_for_user(user: User) -> QuerySet[ErasureRequest]:
    """Requests to delete a person's information, for the engagement team."""
    return visible_to(
        user,
        ErasureRequest.objects.select_related("person"),
        staff_permission="coprod.view_erasurerequest",
    )


def pending_erasure_request(person: Person) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(person=person, status=ErasureStatus.PENDING).first()


def erasure_request_count() -> int:
    return ErasureRequest.objects.filter(status=ErasureStatus.PENDING).count()


def personal_data_holders() -> list[str]:
    """The names of the apps that hold personal data (what an erasure goes through)."""
    return [str(apps.get_app_config(label).verbose_name) for label in doors.personal_data()]
