"""Every URL × every kind of visitor → the expected answer.

`test_every_project_url_is_in_the_matrix` fails when a URL of our own apps has no entry here, so
no page ships without its access rules being tested. Admin and allauth URLs have a few
representative entries. For refused writes, the test also asserts that nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coprod.enums import NotificationStatus
from coprod.models import Invitation, Notification, hash_token
from tests.conftest import PARTICIPANT_ROLES, STAFF_GROUPS, VISITORS
from tests.factories import InvitationFactory, NotificationFactory

OWN_PACKAGES = ("coprod.", "partnerships.", "recruitment.", "funding.")
LOGIN = "redirect to sign in"
MFA = "redirect to MFA set-up"
PORTAL = "redirect to portal"
ADMIN = "redirect to admin"
EXIT = "redirect to exit site"
REAUTH = "redirect to re-authenticate"
Expect = dict[str, int | str]


@dataclass
class Entry:
    expect: Expect
    kwargs: Callable[[], dict[str, Any]] = dict
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
    # For writes: a snapshot of what must not change when the write is refused.
    snapshot: Callable[[dict[str, Any]], Any] | None = None
    path: str | None = None  # for representative admin/allauth entries


def signed_in(status: int | str) -> Expect:
    """Any signed-in person; staff are first sent to set up MFA if they have not."""
    return {
        "anonymous": LOGIN,
        **dict.fromkeys(PARTICIPANT_ROLES, status),
        "staff_no_mfa": MFA,
        **dict.fromkeys(STAFF_GROUPS, status),
    }


def staff_page(
    *,
    engagement: int | str,
    other_staff: int | str = 403,
    participants: int | str = 403,
) -> Expect:
    return {
        "anonymous": LOGIN,
        **dict.fromkeys(PARTICIPANT_ROLES, participants),
        "staff_no_mfa": MFA,
        "staff_engagement": engagement,
        **{group: other_staff for group in STAFF_GROUPS if group != "staff_engagement"},
    }


def everyone(status: int | str) -> Expect:
    return dict.fromkeys(VISITORS, status)


def invitation_kwargs() -> dict[str, Any]:
    return {"pk": InvitationFactory().pk}


def held_message_kwargs() -> dict[str, Any]:
    notification = NotificationFactory(status=NotificationStatus.HELD, hold_reason="paused")
    return {"pk": notification.pk}


def invitation_state(kwargs: dict[str, Any]) -> Any:
    return Invitation.objects.filter(pk=kwargs["pk"]).values_list("status", "token_hash").get()


def notification_state(kwargs: dict[str, Any]) -> Any:
    return Notification.objects.filter(pk=kwargs["pk"]).values_list("status", "handled_note").get()


MATRIX: dict[str, Entry] = {
    # Public.
    "home": Entry(
        {
            "anonymous": LOGIN,
            **dict.fromkeys(PARTICIPANT_ROLES, PORTAL),
            "staff_no_mfa": MFA,
            **dict.fromkeys(STAFF_GROUPS, ADMIN),
        }
    ),
    "healthz": Entry(everyone(200)),
    "exit": Entry(everyone(EXIT)),
    "accept_invitation": Entry(
        {**everyone(200), "staff_no_mfa": MFA},
        kwargs=lambda: {"token": InvitationFactory(token_hash=hash_token("matrix")) and "matrix"},
    ),
    # Portal: a person's own records only.
    "portal:home": Entry(signed_in(200)),
    "portal:profile": Entry(signed_in(200)),
    "portal:contact": Entry(signed_in(200)),
    "portal:consents": Entry(signed_in(200)),
    "portal:consent": Entry(signed_in(200), kwargs=lambda: {"purpose": "contact"}),
    "portal:involvement": Entry(signed_in(200)),
    "portal:messages": Entry(signed_in(200)),
    "portal:support": Entry(signed_in(200)),
    # Staff pages.
    "staff:home": Entry(staff_page(engagement=200, other_staff=200)),
    "staff:invitations": Entry(staff_page(engagement=200)),
    "staff:invitation_create": Entry(staff_page(engagement=200)),
    "staff:invitation_detail": Entry(
        staff_page(engagement=200, other_staff=404, participants=404), kwargs=invitation_kwargs
    ),
    "staff:invitation_new_link": Entry(
        staff_page(engagement=302, other_staff=404, participants=404),
        kwargs=invitation_kwargs,
        method="post",
        data={"send_email": "no"},
        snapshot=invitation_state,
    ),
    "staff:invitation_revoke": Entry(
        staff_page(engagement=302, other_staff=404, participants=404),
        kwargs=invitation_kwargs,
        method="post",
        snapshot=invitation_state,
    ),
    "staff:held_messages": Entry(staff_page(engagement=200)),
    "staff:message_handle": Entry(
        staff_page(engagement=302, other_staff=404, participants=404),
        kwargs=held_message_kwargs,
        method="post",
        data={"note": "Phoned them on their safe number."},
        snapshot=notification_state,
    ),
}

# Representative entries for the admin and allauth (not enumerated: they are not our code).
REPRESENTATIVE: dict[str, Entry] = {
    "admin index": Entry(
        {
            "anonymous": "redirect to admin sign in",
            **dict.fromkeys(PARTICIPANT_ROLES, "redirect to admin sign in"),
            "staff_no_mfa": MFA,
            **dict.fromkeys(STAFF_GROUPS, 200),
        },
        path="/admin/",
    ),
    "admin people list": Entry(
        {
            "anonymous": LOGIN,
            **dict.fromkeys(PARTICIPANT_ROLES, "redirect to admin sign in"),
            "staff_no_mfa": MFA,
            **dict.fromkeys(STAFF_GROUPS, 200),
        },
        path="/admin/coprod/person/",
    ),
    "admin invitations list": Entry(
        {
            "anonymous": LOGIN,
            **dict.fromkeys(PARTICIPANT_ROLES, "redirect to admin sign in"),
            "staff_no_mfa": MFA,
            "staff_engagement": 200,
            **{group: 403 for group in STAFF_GROUPS if group != "staff_engagement"},
        },
        path="/admin/coprod/invitation/",
    ),
    "sign in": Entry(
        {
            "anonymous": 200,
            **dict.fromkeys(PARTICIPANT_ROLES, "redirect home"),
            "staff_no_mfa": "redirect home",
            **dict.fromkeys(STAFF_GROUPS, "redirect home"),
        },
        path="/accounts/login/",
    ),
    "language switch": Entry(
        everyone("redirect to sign in page"),
        path="/language/",
        method="post",
        data={"language": "en-gb", "next": "/accounts/login/"},
    ),
    # Changing MFA needs a fresh password: a session from force_login is not fresh.
    "TOTP set-up": Entry(
        {"anonymous": LOGIN, **dict.fromkeys(VISITORS[1:], REAUTH)},
        path="/accounts/2fa/totp/activate/",
    ),
}


def own_url_names() -> set[str]:
    """Names of every URL whose view is our own code, namespaced like `portal:home`."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # the admin has representative entries below
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                module = getattr(pattern.callback, "__module__", "")
                if module.startswith(OWN_PACKAGES):
                    assert pattern.name, f"{pattern.pattern} has no name"
                    names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_project_url_is_in_the_matrix():
    names = own_url_names()

    assert sorted(names - set(MATRIX)) == [], "URLs without permission expectations"
    assert sorted(set(MATRIX) - names) == [], "expectations for URLs that do not exist"
    for name, entry in MATRIX.items():
        assert set(entry.expect) == set(VISITORS), f"{name} lacks a visitor"


def check(response: Any, expected: int | str, settings: Any) -> None:
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


def run(entry: Entry, path: str, visitor: str, visitor_client: Any, settings: Any) -> None:
    client, _user = visitor_client(visitor)
    kwargs = {}
    url = path
    if entry.path is None:
        kwargs = entry.kwargs()
        url = reverse(path, kwargs=kwargs)
    before = entry.snapshot(kwargs) if entry.snapshot else None

    response = getattr(client, entry.method)(url, entry.data)

    expected = entry.expect[visitor]
    check(response, expected, settings)
    refused = expected not in (200, 302) or expected in (LOGIN, MFA)
    if entry.snapshot and refused:
        assert entry.snapshot(kwargs) == before, "a refused write changed something"


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(name, visitor, visitor_client, settings):
    run(MATRIX[name], name, visitor, visitor_client, settings)


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("name", sorted(REPRESENTATIVE))
def test_permission_matrix_admin_and_allauth(name, visitor, visitor_client, settings):
    entry = REPRESENTATIVE[name]

    run(entry, entry.path, visitor, visitor_client, settings)
