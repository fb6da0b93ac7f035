"""Decisions, barriers and "you said, we did" are read-only in the admin: changes go through the
staff pages, where the rules are (closing an item tells its giver)."""

from __future__ import annotations

import pytest
from django.contrib import admin

from partnerships.models import Barrier, Decision, YouSaidItem
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
