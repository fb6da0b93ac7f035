"""Shared set-up for the library's tests: files, and resources made through the services."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from coprod.models import Person, User
from partnerships.enums import ResourceKind, ResourceStatus
from partnerships.models import Resource, ResourceContributor
from partnerships.services.library import propose_resource, publish_resource
from tests.factories.core import make_user
from tests.factories.partnerships import make_partnerships_staff
from tests.funding.files import PDF

SEARCH_WORDS = {"title": "Interpreters", "summary": "vouchers", "body": "childcare"}


def pdf(name: str = "guide.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def proposed(by: User | None = None, **fields: object) -> Resource:
    """A resource proposed through the service by `by` (a new person if None)."""
    by = by or make_user()
    values = {
        "title": "Paying people fairly",
        "kind": ResourceKind.GUIDE,
        "summary": "How to pay people with lived experience on the day.",
        "body": "Offer cash, vouchers or a bank transfer.",
        "tags": ["Pay"],
        **fields,
    }
    return propose_resource(by=by, **values)  # type: ignore[arg-type]


def published(by: User | None = None, **fields: object) -> Resource:
    resource = proposed(by, **fields)
    publish_resource(resource, by=make_partnerships_staff())
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED
    return resource


def contribute(
    resource: Resource, person: Person, *, credited: bool = False
) -> ResourceContributor:
    """`person` as a contributor (as the staff's edit adds them), with their answer if given."""
    from django.utils import timezone

    return ResourceContributor.objects.create(
        resource=resource,
        person=person,
        credited=credited,
        credit_agreed_at=timezone.now() if credited else None,
    )
