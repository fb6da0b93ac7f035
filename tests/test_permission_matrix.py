"""Every URL of every app × every kind of visitor → the expected answer.

The entries live beside each app's tests (`tests/<app>/permission_matrix.py`, see tests/matrix.py);
`test_every_project_url_is_in_the_matrix` fails when a URL of any of our apps has no entry in its
app's module, so no page ships without its access rules being tested. Admin and allauth URLs
have a few representative entries here. For refused writes, the test also asserts that nothing
changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from auditlog.context import disable_auditlog
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import (
    ADMIN,
    BASE_VISITORS,
    EXIT,
    LOGIN,
    MFA,
    OWN_APPS,
    PARTICIPANT_ROLES,
    PORTAL,
    REAUTH,
    STAFF_GROUPS,
    Entry,
    Expected,
    Visit,
    app_matrices,
    everyone,
)


@dataclass
class Representative:
    """An admin or allauth page (not our code: a few examples, not every URL)."""

    expect: dict[str, Expected]
    path: str
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)


# Representative entries for the admin and allauth (not enumerated: they are not our code).
REPRESENTATIVE: dict[str, Representative] = {
    "admin index": Representative(
        {
            "anonymous": "redirect to admin sign in",
            **dict.fromkeys(PARTICIPANT_ROLES, "redirect to admin sign in"),
            "staff_no_mfa": MFA,
            **dict.fromkeys(STAFF_GROUPS, 200),
        },
        path="/admin/",
    ),
    "admin people list": Representative(
        {
            "anonymous": LOGIN,
            **dict.fromkeys(PARTICIPANT_ROLES, "redirect to admin sign in"),
            "staff_no_mfa": MFA,
            **dict.fromkeys(STAFF_GROUPS, 200),
        },
        path="/admin/coprod/person/",
    ),
    "admin invitations list": Representative(
        {
            "anonymous": LOGIN,
            **dict.fromkeys(PARTICIPANT_ROLES, "redirect to admin sign in"),
            "staff_no_mfa": MFA,
            "staff_engagement": 200,
            **{group: 403 for group in STAFF_GROUPS if group != "staff_engagement"},
        },
        path="/admin/coprod/invitation/",
    ),
    "sign in": Representative(
        {
            "anonymous": 200,
            **dict.fromkeys(PARTICIPANT_ROLES, "redirect home"),
            "staff_no_mfa": "redirect home",
            **dict.fromkeys(STAFF_GROUPS, "redirect home"),
        },
        path="/accounts/login/",
    ),
    "language switch": Representative(
        everyone("redirect to sign in page"),
        path="/language/",
        method="post",
        data={"language": "en-gb", "next": "/accounts/login/"},
    ),
    # Changing MFA needs a fresh password: a session from force_login is not fresh.
    "TOTP set-up": Representative(
        {"anonymous": LOGIN, **dict.fromkeys(list(BASE_VISITORS)[1:], REAUTH)},
        path="/accounts/2fa/totp/activate/",
    ),
}


def own_url_names() -> dict[str, str]:
    """Every URL whose view is our own code, namespaced like `portal:home`, → its app."""
    names: dict[str, str] = {}

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # the admin has representative entries above
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                app = getattr(pattern.callback, "__module__", "").split(".")[0]
                if app in OWN_APPS:
                    assert pattern.name, f"{pattern.pattern} has no name"
                    names[f"{namespace}{pattern.name}"] = app

    walk(get_resolver().url_patterns, "")
    return names


def test_every_project_url_is_in_its_apps_matrix():
    urls = own_url_names()
    matrices = app_matrices()

    for app in OWN_APPS:
        expected = sorted(name for name, owner in urls.items() if owner == app)
        declared = matrices[app].entries if app in matrices else {}
        assert sorted(set(expected) - set(declared)) == [], f"{app}: URLs without expectations"
        assert sorted(set(declared) - set(expected)) == [], f"{app}: entries for no URL"


def test_every_case_answers_for_every_kind_of_visitor():
    for app, matrix in app_matrices().items():
        for name, entry in matrix.cases():
            assert set(entry.expect) == set(matrix.all_visitors()), f"{app}: {name} {entry.case}"


def check(response: Any, expected: Expected, settings: Any) -> None:
    location = response.get("Location", "")
    targets = {
        LOGIN: reverse("account_login"),
        MFA: reverse("mfa_activate_totp"),
        PORTAL: reverse("portal:home"),
        ADMIN: reverse("admin:index"),
        EXIT: settings.COPROD_EXIT_URL,
        "redirect to admin sign in": reverse("admin:login"),
        "redirect home": "/",
        "redirect to sign in page": "/accounts/login/",
        REAUTH: reverse("account_reauthenticate"),
    }
    if isinstance(expected, int):
        assert response.status_code == expected, location
    else:
        assert response.status_code == 302
        assert location.split("?")[0] == targets[expected]


def sign_in(client: Any, make_user: Any, kind: str) -> Visit:
    user = make_user()
    if user is not None:
        client.force_login(user)
    return Visit(kind, user)


def matrix_cases() -> list[Any]:
    cases = []
    for app, matrix in app_matrices().items():
        for name, entry in matrix.cases():
            for kind in matrix.all_visitors():
                label = f"{name}[{entry.case}]" if entry.case else name
                cases.append(pytest.param(app, name, entry, kind, id=f"{label}-{kind}"))
    return cases


@pytest.mark.django_db
@pytest.mark.parametrize(("app", "name", "entry", "kind"), matrix_cases())
def test_permission_matrix(app, name, entry: Entry, kind, client, settings):
    # Setting the scene is not what is tested: its rows are not audited (the request is), which
    # keeps the thousands of cases fast.
    with disable_auditlog():
        visit = sign_in(client, app_matrices()[app].all_visitors()[kind], kind)
        kwargs = entry.build(visit)
    before = entry.snapshot(kwargs) if entry.snapshot else None

    url_kwargs = {key: value for key, value in kwargs.items() if not key.startswith("_")}
    response = getattr(client, entry.method)(reverse(name, kwargs=url_kwargs), entry.data)

    expected = entry.expect[kind]
    check(response, expected, settings)
    refused = expected not in (200, 302) or expected in (LOGIN, MFA)
    if entry.snapshot and (refused or entry.never_changes):
        assert entry.snapshot(kwargs) == before, "a refused write changed something"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", BASE_VISITORS)
@pytest.mark.parametrize("name", sorted(REPRESENTATIVE))
def test_permission_matrix_admin_and_allauth(name, kind, client, settings):
    entry = REPRESENTATIVE[name]
    sign_in(client, BASE_VISITORS[kind], kind)

    response = getattr(client, entry.method)(entry.path, entry.data)

    check(response, entry.expect[kind], settings)
