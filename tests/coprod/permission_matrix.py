"""The core's URLs in the permission matrix (see tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from guardian.shortcuts import assign_perm

from coprod.enums import NotificationStatus, StaffGroup
from coprod.models import ErasureRequest, Invitation, Notification, Person, hash_token
from tests.factories import InvitationFactory, NotificationFactory, make_person, make_staff
from tests.matrix import (
    ADMIN,
    EXIT,
    LOGIN,
    MFA,
    PARTICIPANT_ROLES,
    PORTAL,
    STAFF_GROUPS,
    Entry,
    Matrix,
    Visit,
    everyone,
    signed_in,
    staff_page,
)

# Funding staff who were given one invitation to look at (a per-object grant through
# django-guardian): they see that invitation, and may not change it.
GRANTED = "staff_with_a_grant"


def _granted_staff():
    return make_staff(StaffGroup.FUNDING)


# Staff who may look at held messages and erasure requests but not act on them, nor read
# contact details: the "may see but not act" answers (403) of those pages.
VIEW_ONLY = "staff_view_only"


def _view_only_staff():
    staff = make_staff()
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="coprod",
            codename__in=["view_erasurerequest", "view_notification"],
        )
    )
    return staff


def invitation(visit: Visit) -> dict[str, Any]:
    """Someone else's invitation; the granted visitor holds a view grant on it."""
    created = InvitationFactory()
    if visit.kind == GRANTED:
        assign_perm("coprod.view_invitation", visit.user, created)
    return {"pk": created.pk}


def own_invitation(visit: Visit) -> dict[str, Any]:
    """An invitation for the visitor's own person record."""
    if visit.person is None:
        return {"pk": InvitationFactory().pk}
    return {"pk": InvitationFactory(person=visit.person).pk}


def held_message(visit: Visit) -> dict[str, Any]:
    return {"pk": NotificationFactory(status=NotificationStatus.HELD, hold_reason="paused").pk}


def own_held_message(visit: Visit) -> dict[str, Any]:
    person = visit.person or NotificationFactory().person
    notification = NotificationFactory(
        person=person, status=NotificationStatus.HELD, hold_reason="paused"
    )
    return {"pk": notification.pk}


def erasure(visit: Visit) -> dict[str, Any]:
    """Someone else's request to delete their information."""
    return {"pk": ErasureRequest.objects.create(person=make_person(chosen_name="Kept")).pk}


def own_erasure(visit: Visit) -> dict[str, Any]:
    person = visit.person or make_person()
    return {"pk": ErasureRequest.objects.create(person=person).pk}


def someone_elses_pending_erasure(visit: Visit) -> dict[str, Any]:
    """No URL kwargs (the portal acts on the visitor's own request), but another person's
    request exists: it must stay untouched."""
    other = ErasureRequest.objects.create(person=make_person(chosen_name="Kept"))
    return {"_other": other.pk}


def erasure_state(kwargs: dict[str, Any]) -> Any:
    pk = kwargs.get("pk", kwargs.get("_other"))
    request = ErasureRequest.objects.get(pk=pk)
    return request.status, Person.objects.get(pk=request.person_id).chosen_name


def invitation_state(kwargs: dict[str, Any]) -> Any:
    return Invitation.objects.filter(pk=kwargs["pk"]).values_list("status", "token_hash").get()


def notification_state(kwargs: dict[str, Any]) -> Any:
    return Notification.objects.filter(pk=kwargs["pk"]).values_list("status", "handled_note").get()


def with_granted(expect: dict[str, Any], granted: Any, view_only: Any = None) -> dict[str, Any]:
    """The app's own kinds of visitor: `view_only` answers like `granted` unless given."""
    return {**expect, GRANTED: granted, VIEW_ONLY: granted if view_only is None else view_only}


def engagement_object(*, allowed: Any, granted: Any, view_only: Any = 404) -> dict[str, Any]:
    """A staff page about one object: the engagement team may act; other visitors do not see it
    (404), except the app's own kinds of visitor."""
    return with_granted(
        staff_page(allowed=allowed, other_staff=404, participants=404),
        granted=granted,
        view_only=view_only,
    )


def portal(status: Any) -> dict[str, Any]:
    return with_granted(signed_in(status), status)


MATRIX = Matrix(
    visitors={GRANTED: _granted_staff, VIEW_ONLY: _view_only_staff},
    entries={
        # Public.
        "home": Entry(
            with_granted(
                {
                    "anonymous": LOGIN,
                    **dict.fromkeys(PARTICIPANT_ROLES, PORTAL),
                    "staff_no_mfa": MFA,
                    **dict.fromkeys(STAFF_GROUPS, ADMIN),
                },
                ADMIN,
            )
        ),
        "healthz": Entry(with_granted(everyone(200), 200)),
        "exit": Entry(with_granted(everyone(EXIT), EXIT)),
        "accept_invitation": Entry(
            with_granted({**everyone(200), "staff_no_mfa": MFA}, 200),
            build=lambda visit: {
                "token": InvitationFactory(token_hash=hash_token("matrix")) and "matrix"
            },
        ),
        # Portal: a person's own records only, with no object id to guess.
        "portal:home": Entry(portal(200)),
        "portal:profile": Entry(portal(200)),
        "portal:contact": Entry(portal(200)),
        "portal:consents": Entry(portal(200)),
        "portal:consent": Entry(portal(200), build=lambda visit: {"purpose": "contact"}),
        "portal:involvement": Entry(portal(200)),
        "portal:messages": Entry(portal(200)),
        "portal:support": Entry(portal(200)),
        "portal:my_data": Entry(portal(200)),
        "portal:my_data_download": Entry(portal(200)),
        "portal:leave": Entry(portal(200)),
        "portal:leave_confirm": Entry(portal(200), data={"choice": "erase"}),
        "portal:erasure_cancel": Entry(
            portal(302),
            build=someone_elses_pending_erasure,
            method="post",
            snapshot=erasure_state,
            never_changes=True,
            case="someone else's request exists",
        ),
        # Staff pages.
        "staff:home": Entry(with_granted(staff_page(allowed=200, other_staff=200), granted=200)),
        "staff:invitations": Entry(with_granted(staff_page(allowed=200), granted=403)),
        "staff:invitation_create": Entry(with_granted(staff_page(allowed=200), granted=403)),
        "staff:invitation_detail": [
            Entry(
                engagement_object(allowed=200, granted=200),
                build=invitation,
                case="someone else's",
            ),
            Entry(
                engagement_object(allowed=200, granted=404),
                build=own_invitation,
                case="the visitor's own",
            ),
        ],
        "staff:invitation_new_link": Entry(
            engagement_object(allowed=200, granted=403),
            build=invitation,
            method="post",
            data={"send_email": "no"},
            snapshot=invitation_state,
        ),
        "staff:invitation_revoke": Entry(
            engagement_object(allowed=302, granted=403),
            build=invitation,
            method="post",
            snapshot=invitation_state,
        ),
        "staff:held_messages": Entry(with_granted(staff_page(allowed=200), granted=403)),
        "staff:erasure_requests": Entry(
            with_granted(staff_page(allowed=200), granted=403, view_only=200)
        ),
        "staff:erasure_request": [
            Entry(
                engagement_object(allowed=200, granted=404, view_only=200),
                build=erasure,
                case="someone else's",
            ),
            Entry(
                engagement_object(allowed=200, granted=404, view_only=200),
                build=own_erasure,
                case="the visitor's own",
            ),
            Entry(
                engagement_object(allowed=302, granted=404, view_only=403),
                build=erasure,
                method="post",
                data={"reason": "Asked in the portal.", "confirm": "on"},
                snapshot=erasure_state,
                case="carry it out",
            ),
        ],
        "staff:message_handle": [
            Entry(
                engagement_object(allowed=302, granted=404, view_only=403),
                build=held_message,
                method="post",
                data={"note": "Phoned them on their safe number."},
                snapshot=notification_state,
                case="someone else's",
            ),
            Entry(
                engagement_object(allowed=302, granted=404, view_only=403),
                build=own_held_message,
                method="post",
                data={"note": "Phoned them on their safe number."},
                snapshot=notification_state,
                case="the visitor's own",
            ),
        ],
    },
)
