"""The library in the admin: resources read-only (publishing goes through the staff pages, which
tell the proposer), contributors shown by display name with their answer and never switched on
here; tags named here."""

from __future__ import annotations

import pytest
from django.contrib import admin

from coprod.admin.restrictions import RestrictedLookupsMixin
from partnerships.models import Resource, ResourceContributor, Tag
from tests.factories.core import make_person
from tests.factories.partnerships import make_partnerships_staff
from tests.partnerships.library_support import contribute, published
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_a_resource_shows_its_contributors_read_only_by_display_name(client):
    resource = published(title="Shared guide")
    contribute(resource, make_person(chosen_name="Tendai", legal_name="Tendai Legal"))
    client.force_login(make_partnerships_staff())

    response = client.get(f"/admin/partnerships/resource/{resource.pk}/change/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "Tendai" in page
    assert "Tendai Legal" not in page
    assert 'name="contributors-0-credited"' not in page
    assert 'name="title"' not in page


def test_a_resources_admin_page_reads_its_contributors_in_a_fixed_number_of_queries(client):
    resource = published(title="Shared guide")
    client.force_login(make_partnerships_staff())

    count = assert_queries_do_not_grow(
        client,
        f"/admin/partnerships/resource/{resource.pk}/change/",
        lambda: contribute(resource, make_person(), credited=True),
    )

    # The session's login; its authenticator (MFA); the resource; the staff's permissions; its
    # contributors with their person; its tags; who proposed it.
    assert count == 7


def test_a_post_to_the_admin_changes_no_resource_or_credit(client):
    resource = published(title="Shared guide")
    contribution = contribute(resource, make_person())
    client.force_login(make_partnerships_staff())

    response = client.post(
        f"/admin/partnerships/resource/{resource.pk}/change/",
        {
            "title": "Changed",
            "contributors-TOTAL_FORMS": "1",
            "contributors-INITIAL_FORMS": "1",
            "contributors-0-id": contribution.pk,
            "contributors-0-credited": "on",
        },
    )

    assert response.status_code == 403
    assert Resource.objects.get(pk=resource.pk).title == "Shared guide"
    assert ResourceContributor.objects.get(pk=contribution.pk).credited is False


def test_the_librarys_admins_refuse_hidden_lookups():
    ours = [admin.site._registry[model] for model in (Tag, Resource)]

    assert all(isinstance(model_admin, RestrictedLookupsMixin) for model_admin in ours)
