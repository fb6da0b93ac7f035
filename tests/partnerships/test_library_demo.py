"""The library's demo data: eight published resources of every kind with tags, Ayo named on one
and not on another, Ayo's proposal waiting; safe to run twice; resources in bulk at a scale."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from partnerships.demo.library import AYO_NAMED, AYO_NOT_NAMED, AYO_PROPOSAL, RESOURCES_PER_UNIT
from partnerships.enums import ResourceKind, ResourceStatus
from partnerships.models import Resource, ResourceContributor
from partnerships.selectors.library import published_resources

pytestmark = pytest.mark.django_db


def seed(settings, scale: int = 1) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", scale=scale, stdout=out)
    settings.DEBUG = False
    return out.getvalue()


def test_the_demo_library_has_every_kind_credit_with_consent_and_a_proposal(settings):
    seed(settings)

    published = Resource.objects.filter(status=ResourceStatus.PUBLISHED)
    assert published.count() == 8
    assert set(published.values_list("kind", flat=True)) == set(ResourceKind)
    assert all(resource.tags.exists() and resource.partnership_id for resource in published)
    ayo = ResourceContributor.objects.filter(person__user__email="lee@example.org")
    assert sorted(ayo.values_list("resource__title", "credited")) == sorted(
        [(AYO_NAMED, True), (AYO_NOT_NAMED, False)]
    )
    waiting = Resource.objects.get(status=ResourceStatus.PROPOSED)
    assert (waiting.title, waiting.proposed_by.user.email) == (AYO_PROPOSAL[0], "lee@example.org")
    assert [r.title for r in published_resources(query="interpreters")] == [
        "Working with interpreters"
    ]


def test_seeding_twice_adds_nothing_and_a_scale_adds_resources_in_bulk(settings):
    seed(settings, scale=2)
    counts = (Resource.objects.count(), ResourceContributor.objects.count())

    out = seed(settings, scale=2)

    assert (Resource.objects.count(), ResourceContributor.objects.count()) == counts
    assert "Library at scale" not in out
    scaled = Resource.objects.filter(title__startswith="Demo scale resource")
    assert scaled.count() == RESOURCES_PER_UNIT
    assert scaled.filter(
        status=ResourceStatus.PUBLISHED, tags__isnull=False
    ).distinct().count() == (RESOURCES_PER_UNIT)
