"""Decisions, barriers and "you said, we did" in the admin: read-only. Adding, changing,
resolving a tension, dealing with a barrier and closing an item (which tells the giver) go
through the staff pages and partnerships.services, where the rules are."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from coprod.admin.restrictions import RestrictedLookupsMixin, restrict_lookups
from coprod.models import Person
from partnerships.models import Barrier, Decision, YouSaidItem


class ReadOnlyAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "partnership", "decided_on", "tension_status"]
    list_filter = ["tension_status"]
    list_select_related = ["partnership"]
    date_hierarchy = "decided_on"


@admin.register(Barrier)
class BarrierAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "partnership", "kind", "status", "raised_on", "addressed_on"]
    list_filter = ["status", "kind"]
    list_select_related = ["partnership"]


@admin.register(YouSaidItem)
class YouSaidItemAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "partnership", "said_on", "status", "anonymous", "keep_words"]
    list_filter = ["status", "anonymous"]
    list_select_related = ["partnership"]
    exclude = ["given_by"]


def _nobody(user: Any) -> bool:
    return False


# Who said it is not shown, nor found by a filter (`?given_by=<person>` listing a person's items,
# `?you_said_items=<item>` listing an item's giver): that would name an anonymous giver.
restrict_lookups(YouSaidItem, ["given_by"], visible_to=_nobody)
restrict_lookups(Person, ["you_said_items"], visible_to=_nobody)
