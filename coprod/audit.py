"""Audit trail: every change to people, roles and consent, and every view of restricted data.

What a row holds. django-auditlog records each change to the models registered below: the action,
the names of the fields that changed, the object's id, the time and who acted. Never personal
data: the audit rows cannot be changed or deleted in production, and a person's erasure must leave
nothing of them behind. So every field's value is masked unless it is listed below as safe to
keep (ids, states, roles, dates); a row's `object_repr` is "<model> #<id>", never `str(obj)` (a
person's display name); and the actor's email is never copied into the row (`actor_email`).
Views of restricted data are recorded with `log_restricted_view`, one entry per page or export,
with the names of the fields shown and never their values.

Who acted: the rule.
- Every service that changes state takes keyword-only `by`: the User acting (a member of staff, or
  the person themself), or a `SystemActor` naming the process when a task or a management command
  acts on its own (`SystemActor("task:coprod.core.dispatch_due_notifications")`,
  `SystemActor("command:seed_demo")`). `by` is never None: "nobody" is not an answer an audit
  trail can give.
- The service records `by` as the actor of every change it saves, by wearing `@records_actor`.
  Code that saves outside a service marks the block with `with acting(by):`.
- Rows saved for a User name that user as `actor`. Rows saved for a SystemActor have no actor and
  name the process in `cid` (indexed, so "everything the dispatcher did" is one filter; requests
  never set it: auditlog's own middleware would copy a client's X-Correlation-ID header into it,
  so anyone could write "task:…" there).
- Contexts nest: the innermost actor is recorded, and the outer one comes back when it ends (a
  service called with `by=` someone else inside a request; an eager task inside a request).
- A request acts as its signed-in user (`AuditActorMiddleware`, in settings.MIDDLEWARE); a task
  built on `SystemTask` acts as `SystemActor("task:<task name>")` and passes `self.actor` as `by`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from celery import Task
from django.db import models
from django.db.models.signals import pre_save
from django.http import HttpRequest, HttpResponse

from coprod.models import (
    ConsentRecord,
    ConsentText,
    ErasureRequest,
    Invitation,
    Person,
    RoleGrant,
    SafeContactPreferences,
    User,
)

REDACTED = "[redacted]"


@dataclass(frozen=True)
class SystemActor:
    """A process acting on its own: "task:<task name>" or "command:<command name>"."""

    name: str

    def __post_init__(self) -> None:
        # Stored in LogEntry.cid (255 characters).
        if not self.name or len(self.name) > 255:
            raise ValueError("A system actor needs a name of 1 to 255 characters.")


Actor = User | SystemActor

_actor: ContextVar[Actor | None] = ContextVar("coprod_audit_actor", default=None)


@contextmanager
def acting(by: Actor) -> Iterator[None]:
    """Record `by` as the actor of every audit row saved inside the block. Nests: on leaving, the
    actor from before (an enclosing block's, or none) is restored.

    Not auditlog's `set_actor`: that one overwrites its context variable and never restores it,
    so after an inner block the outer request's actor is lost."""
    if not isinstance(by, User | SystemActor):
        raise TypeError(f"by= must be the User acting or a SystemActor, not {by!r}.")
    token = _actor.set(by)
    try:
        yield
    finally:
        _actor.reset(token)


P = ParamSpec("P")
R = TypeVar("R")


def records_actor(service: Callable[P, R]) -> Callable[P, R]:
    """For services: record the keyword-only `by` as the actor of every change the service saves
    (see the rule above). Refuses a call without a User or SystemActor as `by`."""

    @functools.wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with acting(kwargs.get("by")):  # type: ignore[arg-type]  (checked by acting)
            return service(*args, **kwargs)

    return wrapper


def current_actor() -> Actor | None:
    return _actor.get()


def acted_by(by: Actor) -> dict[str, Any]:
    """The `by` / `by_process` pair a history row (ClaimEvent, ApplicationEvent) stores for who
    acted: a login, or the name of a process acting on its own."""
    return {
        "by": by if not isinstance(by, SystemActor) else None,
        "by_process": by.name if isinstance(by, SystemActor) else "",
    }


class AuditActorMiddleware:
    """A request acts as its signed-in user (replaces auditlog's middleware, which also copies
    the actor's email and the client's correlation-id header into every row)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        with acting(user):
            return self.get_response(request)


class SystemTask(Task):
    """Base for Celery tasks: what a task saves is recorded as done by
    SystemActor("task:<task name>"); a bound task passes `self.actor` to services as `by`."""

    @property
    def actor(self) -> SystemActor:
        return SystemActor(f"task:{self.name}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with acting(self.actor):
            return super().__call__(*args, **kwargs)


def _stamp(sender: type[LogEntry], instance: LogEntry, **kwargs: Any) -> None:
    """Every audit row, however it is made: the actor from `acting`, no email, a neutral name."""
    if instance.pk is not None:
        return
    by = _actor.get()
    if isinstance(by, SystemActor):
        instance.cid = by.name
    elif by is not None and instance.actor_id is None and by.pk is not None:
        instance.actor = by
    instance.actor_email = None
    instance.object_repr = f"{instance.content_type.model} #{instance.object_pk}"


pre_save.connect(_stamp, sender=LogEntry, dispatch_uid="coprod.audit.stamp")


def redact(value: object) -> str:
    """Mask for the audit trail: nothing of the value survives."""
    return REDACTED


_MASK = "coprod.audit.redact"


def register(
    model: type[models.Model],
    *,
    keep: Iterable[str],
    exclude: Iterable[str] = (),
    m2m_fields: Iterable[str] = (),
) -> None:
    """Audit `model`'s changes, masking every field's value except those in `keep` (values that
    are not personal: ids, states, roles, dates). A field added later is masked until someone
    decides it may be kept."""
    keep, exclude = set(keep), set(exclude)
    fields = {field.name for field in model._meta.concrete_fields}
    unknown = (keep | exclude) - fields
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
    auditlog.register(
        model,
        exclude_fields=sorted(exclude),
        mask_fields=sorted(fields - keep - exclude),
        mask_callable=_MASK,
        m2m_fields=set(m2m_fields),
    )


# Masked: every name (chosen, generated, legal), pronouns, language, and the restricted fields.
register(Person, keep=["id", "status", "status_changed_at", "created_at"], exclude=["updated_at"])
register(
    User,
    # Masked: the sign-in email, as personal as the invitation's.
    keep=["id", "person", "is_staff", "is_active", "is_superuser", "date_joined"],
    exclude=["password", "last_login"],
    m2m_fields={"groups", "user_permissions"},
)
# Masked: the note.
register(
    RoleGrant,
    keep=["id", "person", "role", "starts_on", "ends_on", "source", "granted_by", "created_at"],
)
register(
    ConsentRecord,
    keep=["id", "person", "text", "purpose", "given_at", "withdrawn_at", "recorded_by"],
)
register(ConsentText, keep=["id", "purpose", "version", "title", "body", "published_at"])
# Restricted as a whole: every preference is masked.
register(SafeContactPreferences, keep=["id", "person"], exclude=["updated_at"])
# Masked: the email address.
register(
    Invitation,
    keep=[
        "id",
        "person",
        "role",
        "status",
        "expires_at",
        "invited_by",
        "sent_by_email",
        "accepted_at",
        "created_at",
    ],
    exclude=["token_hash"],
)


def log_restricted_view(
    obj: models.Model, *, actor: User, fields: Iterable[str], context: str
) -> LogEntry:
    """Record that `actor` was shown restricted `fields` of `obj` (names only, never values)."""
    return LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        additional_data={"fields": sorted(fields), "context": context},
    )


# Masked: the reason (staff write it; it should hold no name, but it is free text).
register(
    ErasureRequest,
    keep=["id", "person", "status", "requested_at", "requested_by", "decided_at", "decided_by"],
)
