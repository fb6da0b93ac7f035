"""Permission-matrix entries for the good-practice library (joined in permission_matrix.py).

Portal: published resources (and their files) are for every signed-in person; a proposal is
seen by the person who proposed it and the partnerships team only (404 for everyone else); a
contribution's credit page by the contributor only — nobody can answer for them. Staff pages:
the partnerships team (other staff and participants: 403); a refused write changes nothing."""

from __future__ import annotations

from typing import Any

from partnerships.enums import ResourceKind, ResourceStatus
from partnerships.models import Resource, ResourceContributor
from tests.factories.core import make_person
from tests.factories.partnerships import ResourceFactory
from tests.matrix import Entry, Visit
from tests.partnerships.library_support import contribute, pdf
from tests.partnerships.permission_matrix import expect

# Anyone signed in.
SIGNED_IN = expect(participants=200, staff=200)
# The visitor's own proposal or contribution (every signed-in kind has a person of their own).
OWN = SIGNED_IN
# Someone else's proposal: the partnerships team only.
TEAM_ONLY = expect(staff_partnerships=200)
# Someone else's contribution: nobody.
NOBODY = expect()
# Writes by everyone signed in.
SIGNED_IN_WRITE = expect(participants=302, staff=302)
# Staff pages of the library: the partnerships team; everyone else signed in is refused.
STAFF = expect(participants=403, staff=200, other_staff=403)
STAFF_WRITE = expect(participants=403, staff=302, other_staff=403)


def _with_file(resource: Resource) -> Resource:
    resource.file.save("guide.pdf", pdf(), save=False)
    resource.file_name = "guide.pdf"
    resource.save()
    return resource


def published(visit: Visit) -> dict[str, Any]:
    return {"resource_id": _with_file(ResourceFactory()).pk}


def someone_elses_proposal(visit: Visit) -> dict[str, Any]:
    resource = ResourceFactory(
        status=ResourceStatus.PROPOSED, published_at=None, proposed_by=make_person()
    )
    return {"resource_id": _with_file(resource).pk}


def own_proposal(visit: Visit) -> dict[str, Any]:
    resource = ResourceFactory(
        status=ResourceStatus.PROPOSED,
        published_at=None,
        proposed_by=visit.person or make_person(),
    )
    return {"resource_id": _with_file(resource).pk}


def own_contribution(visit: Visit) -> dict[str, Any]:
    contribution = contribute(ResourceFactory(), visit.person or make_person())
    return {"contribution_id": contribution.pk}


def someone_elses_contribution(visit: Visit) -> dict[str, Any]:
    return {"contribution_id": contribute(ResourceFactory(), make_person()).pk}


def credit_kept(kwargs: dict[str, Any]) -> Any:
    return list(
        ResourceContributor.objects.filter(pk=kwargs["contribution_id"]).values_list(
            "credited", "credit_agreed_at"
        )
    )


def resources_kept(kwargs: dict[str, Any]) -> Any:
    return sorted(
        Resource.objects.values_list("pk", "title", "status", "decline_reason", "summary")
    )


def waiting(visit: Visit) -> dict[str, Any]:
    resource = ResourceFactory(
        status=ResourceStatus.PROPOSED, published_at=None, proposed_by=make_person()
    )
    return {"resource_id": resource.pk}


PROPOSAL = {
    "title": "Matrix proposal",
    "kind": ResourceKind.LESSONS,
    "summary": "What we learned.",
    "body": "Meet in the evening.",
    "credit": "no",
}
EDIT = {
    "title": "Edited title",
    "kind": ResourceKind.GUIDE,
    "summary": "Edited summary.",
    "body": "Edited text.",
    "tags": "pay",
}

ENTRIES = {
    "partnerships_library:library": Entry(SIGNED_IN, build=lambda visit: published(visit) and {}),
    "partnerships_library:propose": [
        Entry(SIGNED_IN, case="the form"),
        Entry(
            SIGNED_IN_WRITE,
            case="sending",
            method="post",
            data=PROPOSAL,
            snapshot=resources_kept,
        ),
    ],
    "partnerships_library:proposals": Entry(
        SIGNED_IN, build=lambda visit: own_proposal(visit) and {}
    ),
    "partnerships_library:resource": [
        Entry(SIGNED_IN, build=published, case="published"),
        Entry(OWN, build=own_proposal, case="the visitor's own proposal"),
        Entry(TEAM_ONLY, build=someone_elses_proposal, case="someone else's proposal"),
    ],
    "partnerships_library:file": [
        Entry(SIGNED_IN, build=published, case="published"),
        Entry(OWN, build=own_proposal, case="the visitor's own proposal"),
        Entry(TEAM_ONLY, build=someone_elses_proposal, case="someone else's proposal"),
    ],
    "partnerships_library:credit": [
        Entry(OWN, build=own_contribution, case="the visitor's own"),
        Entry(NOBODY, build=someone_elses_contribution, case="someone else's"),
        Entry(
            SIGNED_IN_WRITE,
            build=own_contribution,
            case="answering for themselves",
            method="post",
            data={"credit": "yes"},
            snapshot=credit_kept,
        ),
        Entry(
            NOBODY,
            build=someone_elses_contribution,
            case="answering for someone else",
            method="post",
            data={"credit": "yes"},
            snapshot=credit_kept,
            never_changes=True,
        ),
    ],
    "partnerships_library_staff:queue": Entry(STAFF, build=lambda visit: waiting(visit) and {}),
    "partnerships_library_staff:published": Entry(
        STAFF, build=lambda visit: published(visit) and {}
    ),
    "partnerships_library_staff:resource": Entry(STAFF, build=waiting),
    "partnerships_library_staff:publish": Entry(
        STAFF_WRITE, build=waiting, method="post", snapshot=resources_kept
    ),
    "partnerships_library_staff:decline": [
        Entry(STAFF, build=waiting, case="the form"),
        Entry(
            STAFF_WRITE,
            build=waiting,
            case="declining",
            method="post",
            data={"reason": "It names a person."},
            snapshot=resources_kept,
        ),
    ],
    "partnerships_library_staff:edit": [
        Entry(STAFF, build=waiting, case="the form"),
        Entry(
            STAFF_WRITE,
            build=waiting,
            case="saving",
            method="post",
            data=EDIT,
            snapshot=resources_kept,
        ),
    ],
}
