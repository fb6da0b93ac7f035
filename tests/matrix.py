"""The permission matrix: every URL of every app × every kind of visitor → the expected answer.

Each app keeps its own module, `tests/<app>/permission_matrix.py`, with one `MATRIX = Matrix(...)`:
an entry (or several cases) per URL name, and any kinds of visitor of its own beside the base
ones ("assigned reviewer", "referring practitioner"). An entry's `build(visit)` makes the object
the URL points at *for that visitor* — the visitor's own record, someone else's, one the visitor
holds a per-object grant on — so ownership and grants are tested at the URL level.

`tests/test_permission_matrix.py` runs every case and fails when any URL of any app has no entry.
For refused writes, it also asserts that nothing changed (`snapshot`).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings

from coprod.enums import Role, StaffGroup
from coprod.models import Person, User
from tests.factories import make_staff, make_user


def own_apps() -> tuple[str, ...]:
    """The project's own apps: every installed app that is a top-level folder of this repository
    (so a new area app is covered the moment it is added to INSTALLED_APPS)."""
    root = Path(settings.BASE_DIR).resolve()
    return tuple(
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == root
    )


# The apps whose URLs the matrix covers, and where their matrix modules live.
OWN_APPS = own_apps()
MODULE = "tests.{app}.permission_matrix"

# Redirects, named by where they go.
LOGIN = "redirect to sign in"
MFA = "redirect to MFA set-up"
PORTAL = "redirect to portal"
ADMIN = "redirect to admin"
EXIT = "redirect to exit site"
REAUTH = "redirect to re-authenticate"

Expected = int | str
Expect = dict[str, Expected]


# Kinds of visitor ------------------------------------------------------------------------------

PARTICIPANT_ROLES = {
    "pwle": Role.PWLE,
    "lee": Role.LEE,
    "researcher": Role.RESEARCHER,
    "policymaker": Role.POLICYMAKER,
    "practitioner": Role.PRACTITIONER,
}
STAFF_GROUPS = {
    "staff_engagement": StaffGroup.ENGAGEMENT,
    "staff_funding": StaffGroup.FUNDING,
    "staff_partnerships": StaffGroup.PARTNERSHIPS,
    "staff_finance": StaffGroup.FINANCE,
}


def _participant(role: Role) -> Callable[[], User]:
    roles = [Role.PWLE, Role.LEE] if role == Role.LEE else [role]
    return lambda: make_user(roles=roles)


def _staff(group: StaffGroup) -> Callable[[], User]:
    return lambda: make_staff(group)


# Every app's entries answer for these; an app may add kinds of its own (Matrix.visitors).
BASE_VISITORS: dict[str, Callable[[], User | None]] = {
    "anonymous": lambda: None,
    **{kind: _participant(role) for kind, role in PARTICIPANT_ROLES.items()},
    "staff_no_mfa": lambda: make_staff(StaffGroup.ENGAGEMENT, mfa=False),
    **{kind: _staff(group) for kind, group in STAFF_GROUPS.items()},
}


@dataclass(frozen=True)
class Visit:
    """Who is visiting: the kind of visitor and their login (None when anonymous)."""

    kind: str
    user: User | None

    @property
    def person(self) -> Person | None:
        return self.user.person if self.user is not None else None


# Entries -------------------------------------------------------------------------------------


def no_kwargs(visit: Visit) -> dict[str, Any]:
    return {}


@dataclass
class Entry:
    """One case of one URL: the expected answer for each kind of visitor."""

    expect: Expect
    # Makes the URL's object for this visitor and returns the URL's kwargs (keys starting with
    # "_" are not for the URL: they tell `snapshot` about other rows it must watch).
    build: Callable[[Visit], dict[str, Any]] = no_kwargs
    # What the case is, when a URL has several ("the visitor's own", "someone else's").
    case: str = ""
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
    # For writes: a snapshot of what must not change when the write is refused.
    snapshot: Callable[[dict[str, Any]], Any] | None = None
    # The snapshot must not change whoever visits, allowed or not (e.g. a write that acts on
    # the visitor's own record must leave someone else's alone).
    never_changes: bool = False


@dataclass(frozen=True)
class Matrix:
    entries: dict[str, Entry | Sequence[Entry]]
    # Kinds of visitor of this app's own, beside BASE_VISITORS.
    visitors: dict[str, Callable[[], User | None]] = field(default_factory=dict)

    def all_visitors(self) -> dict[str, Callable[[], User | None]]:
        return {**BASE_VISITORS, **self.visitors}

    def cases(self) -> list[tuple[str, Entry]]:
        found = []
        for name, entry in self.entries.items():
            entries = [entry] if isinstance(entry, Entry) else list(entry)
            found += [(name, case) for case in entries]
        return found


def app_matrices() -> dict[str, Matrix]:
    """Every app's matrix module, by app label (apps without one are simply absent: the test
    that every URL has an entry then fails for their URLs)."""
    found = {}
    for app in OWN_APPS:
        name = MODULE.format(app=app)
        package = name.rsplit(".", 1)[0]
        if importlib.util.find_spec(package) is not None and importlib.util.find_spec(name):
            found[app] = importlib.import_module(name).MATRIX
    return found


# Expectation helpers ----------------------------------------------------------------------------


def signed_in(status: Expected) -> Expect:
    """Any signed-in person; staff are first sent to set up MFA if they have not."""
    return {
        "anonymous": LOGIN,
        **dict.fromkeys(PARTICIPANT_ROLES, status),
        "staff_no_mfa": MFA,
        **dict.fromkeys(STAFF_GROUPS, status),
    }


def staff_page(
    *,
    group: str = "staff_engagement",
    allowed: Expected,
    other_staff: Expected = 403,
    participants: Expected = 403,
) -> Expect:
    """A page for one staff group (`allowed`); other staff and participants get the others."""
    return {
        "anonymous": LOGIN,
        **dict.fromkeys(PARTICIPANT_ROLES, participants),
        "staff_no_mfa": MFA,
        **{kind: allowed if kind == group else other_staff for kind in STAFF_GROUPS},
    }


def everyone(status: Expected) -> Expect:
    return dict.fromkeys(BASE_VISITORS, status)
