"""Decisions, barriers and "you said, we did" are read-only in the admin: changes go through the
staff pages, where the rules are (closing an item tells its giver)."""

from __future__ import annotations

import pytest
from django.contrib import admin

from partnerships.models import Barrier, Decision, YouSaidItem
from tests.factories.core import make_person, make_superuser
from tests.factories.partnerships import (
    BarrierFactory,
    DecisionFactory,
    YouSaidItemFactory,
    make_partnerships_staff,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "factory"),
    [(Decision, DecisionFactory), (Barrier, BarrierFactory), (YouSaidItem, YouSaidItemFactory)],
)
def test_the_team_sees_the_records_in_the_admin_but_cannot_change_them(client, model, factory):
    record = factory()
    client.force_login(make_partnerships_staff())
    base = f"/admin/partnerships/{model._meta.model_name}/"

    listed = client.get(base)
    opened = client.get(f"{base}{record.pk}/change/")
    added = client.get(f"{base}add/")
    posted = client.post(f"{base}{record.pk}/change/", {})

    assert (listed.status_code, opened.status_code, added.status_code, posted.status_code) == (
        200,
        200,
        403,
        403,
    )
    model_admin = admin.site._registry[model]
    assert model_admin.has_change_permission(listed.wsgi_request, record) is False


@pytest.mark.parametrize(
    ("path", "lookup"),
    [
        ("partnerships/yousaiditem", "given_by"),
        ("partnerships/yousaiditem", "given_by__id__exact"),
        ("coprod/person", "you_said_items"),
    ],
)
def test_the_admin_does_not_link_an_anonymous_item_to_its_giver_by_a_filter(client, path, lookup):
    giver = make_person(chosen_name="Zainab Quietname")
    item = YouSaidItemFactory(given_by=giver, anonymous=True, said="Quiet words.")
    client.force_login(make_superuser())
    value = giver.pk if path.startswith("partnerships") else item.pk

    response = client.get(f"/admin/{path}/", {lookup: value})

    assert response.status_code == 400
    assert "Quiet" not in response.content.decode()
