"""Doors: how an area app plugs into the core without editing it.

An app declares what it brings in its own `<app>/contributions.py`, as one module-level
`DOORS = AppDoors(...)`. The core reads every installed app's declaration when Django starts
(`coprod.apps.CoprodConfig.ready`) and uses them; the core declares its own contributions in
`coprod/contributions.py` through the same doors. The doors:

- portal "Things to do" (`ThingToDo`): a count evaluated on the person's row, so every app's
  items come from one query together;
- portal navigation (`PortalLink`) and the staff home (`StaffLink`);
- periodic tasks (`Periodic`): synced into django-celery-beat by `manage.py sync_periodic_tasks`;
- demo data (`DemoData`): run by `manage.py seed_demo`, in dependency order, with a scale;
- personal data (`PersonalData`): a person's download, and their erasure.

The doors that are code rather than declarations live where their kind of code lives:
access (`coprod.permissions.get_object_for_user`, `ObjectAccessMixin`; selectors built with
`coprod.selectors.visible_to`) and save-on-timeout (`saves_draft_on_timeout` and
`form_data_or_draft` below).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.db import models
from django.http import HttpRequest, QueryDict
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from coprod.services.drafts import draft_paths_for, drafts_marker, take_draft

if TYPE_CHECKING:
    from coprod.models import Person

T = TypeVar("T")

# Where an app keeps its declaration, and the name it declares.
CONTRIBUTIONS_MODULE = "contributions"
DECLARATION = "DOORS"


# Portal and staff home -------------------------------------------------------------------------


@dataclass(frozen=True)
class UrlInclude:
    """An app's pages: the URL module `module` mounted at `prefix`, which must lie under the
    portal ("portal/...") or the staff pages ("staff/..."), so that the core's rules for those
    areas (sign-in, MFA for staff, no caching) apply to them. Mounted by coprod/urls.py before
    the core's own portal and staff pages."""

    prefix: str
    module: str

    def __post_init__(self) -> None:
        if not self.prefix.startswith(("portal/", "staff/")) or not self.prefix.endswith("/"):
            raise ValueError(
                f"An app's pages are mounted under portal/ or staff/, ending in /: {self.prefix!r}"
            )


@dataclass(frozen=True)
class ThingToDo:
    """An item of the portal's "Things to do".

    `count()` returns a query expression evaluated on the person's own row (`OuterRef("pk")` is
    the person): every item of every app is read in one query. Its value is a count or a
    boolean (given to `text` as an int). The item is shown when the value is not 0; `text(value)`
    says what to do (use ngettext for counts) and the link goes to `url_name` (with `url_kwargs`).

    The query is compiled to SQL once per process (coprod.compiled), so `count()` must build the
    same expression every time: a moment in it is the database's clock (`Now()`,
    `coprod.compiled.database_today()`; our clock is refused), and nothing it looks up in Python
    while building (a setting, the current round's id) may change while the process runs."""

    key: str
    count: Callable[[], models.Expression | models.Subquery | models.Exists]
    text: Callable[[Any], str]
    url_name: str
    url_kwargs: Mapping[str, Any] = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class PortalLink:
    """A link in the portal's main navigation. `visible(request)` may hide it; it must not query
    the database (read `coprod.doors.current_roles(request)`, kept in the session)."""

    label: Any  # a lazy translation
    url_name: str
    order: int = 100
    visible: Callable[[HttpRequest], bool] | None = None


@dataclass(frozen=True)
class StaffLink:
    """A link on the staff home, shown to staff who hold every one of `permissions`."""

    label: Any  # a lazy translation
    url_name: str
    permissions: tuple[str, ...] = ()
    section: Any = ""  # a lazy translation: the heading it is listed under
    order: int = 100
    # How many things wait there (shown beside the link): one query, or None.
    count: Callable[[], int] | None = None


# Background work and demo data -----------------------------------------------------------------


@dataclass(frozen=True)
class Crontab:
    """A crontab schedule, in London time unless `timezone` says otherwise."""

    minute: str = "*"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"
    timezone: str = "Europe/London"


@dataclass(frozen=True)
class Periodic:
    """A task run on a schedule by Celery beat: `every` (an interval) or `crontab`, not both.
    `name` identifies it in django-celery-beat; keep it stable."""

    name: str
    task: str
    every: timedelta | None = None
    crontab: Crontab | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.crontab is None):
            raise ValueError(f"{self.name}: give exactly one of `every` and `crontab`.")


@dataclass(frozen=True)
class DemoRun:
    """What `seed_demo` hands each app's demo data: the scale (1 = the demo, 100 = about a
    hundred times its volume, for measuring pages at a realistic size) and where to report."""

    scale: int = 1
    report: Callable[[str], None] = print


@dataclass(frozen=True)
class DemoData:
    """`seed(run)` creates this app's demo data; it must be safe to run again (it finds what is
    there and adds what is missing). `run.scale` multiplies the volume (bulk inserts, no per-row
    queries); `after` names the apps whose demo data it builds on."""

    seed: Callable[[Any], None]
    after: tuple[str, ...] = ()


# Personal data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalData:
    """What an app holds about a person, for their download and their erasure.

    - `models`: every model of the app that points at a person or a login (a test fails when one
      is missing), including the ones whose rows are kept after erasure;
    - `export(person)`: a JSON-ready dict of everything held about them, restricted fields
      included (it is their own data);
    - `erase(person, by)`: remove or irreversibly anonymise every personal field. Runs inside the
      erasure's transaction, before the core anonymises the person;
    - `retained`: model → why rows are kept (e.g. paid claims, for finance retention), keeping
      only a pseudonymous reference and amounts."""

    models: tuple[type[models.Model], ...]
    export: Callable[[Person], dict[str, Any]]
    erase: Callable[..., None]
    retained: Mapping[type[models.Model], str] = field(default_factory=dict)


# An app's declaration --------------------------------------------------------------------------


@dataclass(frozen=True)
class AppDoors:
    urls: Sequence[UrlInclude] = ()
    things_to_do: Sequence[ThingToDo] = ()
    portal_links: Sequence[PortalLink] = ()
    staff_links: Sequence[StaffLink] = ()
    periodic_tasks: Sequence[Periodic] = ()
    demo_data: DemoData | None = None
    personal_data: PersonalData | None = None


_declared: dict[str, AppDoors] = {}
_loaded = False


def load_declarations() -> None:
    """Import every installed app's `contributions` module (at start-up, from CoprodConfig)."""
    global _loaded
    for config in apps.get_app_configs():
        module_name = f"{config.name}.{CONTRIBUTIONS_MODULE}"
        if importlib.util.find_spec(module_name) is None:
            continue
        declaration = getattr(importlib.import_module(module_name), DECLARATION, None)
        if not isinstance(declaration, AppDoors):
            raise TypeError(f"{module_name}.{DECLARATION} must be an AppDoors.")
        _declared[config.label] = declaration
    _loaded = True


def declarations() -> dict[str, AppDoors]:
    """Every app's declaration by app label, in INSTALLED_APPS order (the core first)."""
    if not _loaded:
        load_declarations()
    return dict(_declared)


def url_includes() -> list[UrlInclude]:
    """Every app's URL includes, in INSTALLED_APPS order."""
    return _all("urls")


@contextmanager
def contributing(label: str, doors: AppDoors) -> Iterator[AppDoors]:
    """Add a declaration for the duration of a `with` block (tests: a stand-in app)."""
    declarations()
    previous = _declared.get(label)
    _declared[label] = doors
    try:
        yield doors
    finally:
        if previous is None:
            _declared.pop(label, None)
        else:
            _declared[label] = previous


def _all(attribute: str) -> list[Any]:
    return [item for doors in declarations().values() for item in getattr(doors, attribute)]


def things_to_do() -> list[ThingToDo]:
    return sorted(_all("things_to_do"), key=lambda item: item.order)


def portal_links() -> list[PortalLink]:
    return sorted(_all("portal_links"), key=lambda link: link.order)


def staff_links() -> list[StaffLink]:
    return sorted(_all("staff_links"), key=lambda link: link.order)


def periodic_tasks() -> list[Periodic]:
    return _all("periodic_tasks")


def personal_data() -> dict[str, PersonalData]:
    return {
        label: doors.personal_data
        for label, doors in declarations().items()
        if doors.personal_data is not None
    }


def demo_data_in_order() -> list[tuple[str, DemoData]]:
    """Each app's demo data after the apps it builds on (a topological order; INSTALLED_APPS
    order among equals). Refuses a cycle or a dependency on an app without demo data."""
    pending = {
        label: doors.demo_data
        for label, doors in declarations().items()
        if doors.demo_data is not None
    }
    ordered: list[tuple[str, DemoData]] = []
    done: set[str] = set()
    while pending:
        ready = [label for label, demo in pending.items() if all(dep in done for dep in demo.after)]
        if not ready:
            missing = {dep for demo in pending.values() for dep in demo.after} - set(pending)
            raise ValueError(
                f"Demo data cannot be ordered: waiting on {sorted(missing or pending)}"
            )
        for label in ready:
            ordered.append((label, pending.pop(label)))
            done.add(label)
    return ordered


# Save on timeout -----------------------------------------------------------------------------

# A draft is keyed by the form's canonical path; longer paths are never stored.
MAX_DRAFT_PATH = 255


def saves_draft_on_timeout(view: T) -> T:
    """Declare that a portal form view keeps what was typed when the session times out: the post
    is saved as an encrypted draft and comes back (through `form_data_or_draft`) after signing in
    again. For a class-based view, set `saves_draft_on_timeout = True` on the class instead."""
    view.saves_draft_on_timeout = True  # type: ignore[attr-defined]
    return view


def draft_path(path: str) -> str | None:
    """The canonical path of a form that saves drafts, or None: the path must resolve to a view
    declared with `saves_draft_on_timeout`, and be short enough to store."""
    if len(path) > MAX_DRAFT_PATH:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    view = match.func
    declared = getattr(view, "saves_draft_on_timeout", False) or getattr(
        getattr(view, "view_class", None), "saves_draft_on_timeout", False
    )
    if not declared:
        return None
    try:
        canonical = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return None
    return canonical if len(canonical) <= MAX_DRAFT_PATH else None


# The paths of the signed-in login's drafts, kept in the session: read at sign-in, and again when
# a draft has been saved since (a marker in the shared cache changes, coprod.services.drafts: a
# draft is saved when a session times out, perhaps on another device while this one is signed
# in). So a form page asks the database only when there may be a draft for it.
DRAFT_PATHS_KEY = "coprod_draft_paths"
DRAFT_MARKER_KEY = "coprod_draft_marker"


def _remember_draft_paths(request: HttpRequest, user: Any) -> list[str]:
    request.session[DRAFT_MARKER_KEY] = drafts_marker(user.pk)
    paths = request.session[DRAFT_PATHS_KEY] = draft_paths_for(user)
    return paths


def remember_draft_paths(
    sender: object, request: HttpRequest, user: object, **kwargs: object
) -> None:
    """Receiver of `user_logged_in`: note in the new session which forms have a draft."""
    _remember_draft_paths(request, user)


def form_data_or_draft(request: HttpRequest) -> QueryDict | None:
    """For a form view: the POST data, or on GET the draft saved when the session timed out on
    this form (taken: it is deleted once shown), or None."""
    if request.method == "POST":
        return request.POST
    path = draft_path(request.path_info)
    if path is None or not request.user.is_authenticated:
        return None
    known = request.session.get(DRAFT_PATHS_KEY)
    if known is None or request.session.get(DRAFT_MARKER_KEY) != drafts_marker(request.user.pk):
        known = _remember_draft_paths(request, request.user)
    if path not in known:
        return None
    request.session[DRAFT_PATHS_KEY] = [other for other in known if other != path]
    return take_draft(request.user, path=path)


# A person's roles today, kept in the session for the portal's navigation: read again when one of
# their grants has been saved or deleted since (a marker in the shared cache, from
# coprod.services.roles) or the day has changed. Access decisions read the database
# (Person.current_roles); a link shown a moment too long only leads to a page that checks.
ROLES_KEY = "coprod_roles"


def current_roles(request: HttpRequest) -> frozenset[str]:
    from coprod.models import london_today
    from coprod.services.roles import roles_marker

    person = request.user.person
    today, marker = london_today().isoformat(), roles_marker(person.pk)
    kept = request.session.get(ROLES_KEY)
    if kept is not None and kept[:2] == [today, marker]:
        return frozenset(kept[2])
    roles = person.current_roles
    request.session[ROLES_KEY] = [today, marker, sorted(roles)]
    return roles
