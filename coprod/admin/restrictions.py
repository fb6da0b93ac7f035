"""Filters in admin lists never reach restricted or encrypted fields (for every ModelAdmin)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest

from coprod.fields import ENCRYPTED_FIELDS, EncryptedJSONField, EncryptedTextField
from coprod.models import (
    Person,
    SafeContactPreferences,
    User,
)
from coprod.permissions import may_see_contact_details, may_see_legal_name

# Every field of the model, and any lookup that reaches the model through a relation.
ALL_FIELDS = "__all__"

_RESTRICTED: dict[type[models.Model], list[tuple[str | frozenset[str], Callable[[Any], bool]]]] = {}


def restrict_lookups(
    model: type[models.Model],
    fields: Iterable[str] | str,
    *,
    visible_to: Callable[[Any], bool],
) -> None:
    """Declare restricted fields of `model` (names, or ALL_FIELDS) and who may see them:
    `visible_to(user)`, a predicate from the app's permissions module. Admin lists refuse to filter
    on them, through any relation, for everyone else, and leave them out of the list filters.

    Later apps declare theirs in their admin.py, next to the ModelAdmin (which uses
    RestrictedLookupsMixin), e.g.
    `restrict_lookups(Claim, ["payment_details"], visible_to=may_see_payment_details)`.
    Encrypted fields need no declaration: nobody filters on them."""
    names = fields if fields == ALL_FIELDS else frozenset(fields)
    _RESTRICTED.setdefault(model, []).append((names, visible_to))


def _restricted_for(model: type[models.Model], name: str, user: Any) -> bool:
    return any(
        (names == ALL_FIELDS or name in names) and not (user is not None and visible_to(user))
        for names, visible_to in _RESTRICTED.get(model, ())
    )


def touches_hidden_field(model: type[models.Model], lookup: str, user: Any) -> bool:
    """Does the filter `lookup` (e.g. "safe_contact__channels__contains") touch an encrypted field,
    or a restricted field that `user` may not see, on any model along its path?"""
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a transform or a lookup ("contains"): the fields end here
        if isinstance(field, EncryptedTextField | EncryptedJSONField):
            return True
        if _restricted_for(model, field.name, user):
            return True
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
        if _restricted_for(model, ALL_FIELDS, user):
            return True
    return False


class RestrictedLookupsMixin:
    """For every ModelAdmin. Filtering an encrypted field only leaks: every Fernet token starts
    with "gAAAAA", so `?legal_name__startswith=g` would list who has a legal name on file. And
    filtering a restricted field (`?access_needs__isnull=False`, `?user__email__startswith=a`)
    tells staff who may not see it something about its value. Django answers such a lookup with
    400; list filters on them are not offered. Declare restricted fields with restrict_lookups."""

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        user = getattr(request, "user", None)
        if touches_hidden_field(self.model, lookup, user):  # type: ignore[attr-defined]
            return False
        return super().lookup_allowed(lookup, value, request)  # type: ignore[misc]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        """On the list page, the model's encrypted fields are left unread unless a column shows
        them: decrypting a hundred rows' restricted fields nobody sees was a fifth of the page."""
        queryset = super().get_queryset(request)  # type: ignore[misc]
        match = getattr(request, "resolver_match", None)
        if match is None or not (match.url_name or "").endswith("_changelist"):
            return queryset
        shown = set(self.list_display)  # type: ignore[attr-defined]
        return queryset.defer(
            *(
                field.name
                for field in self.model._meta.concrete_fields  # type: ignore[attr-defined]
                if isinstance(field, ENCRYPTED_FIELDS) and field.name not in shown
            )
        )

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        return [
            list_filter
            for list_filter in super().get_list_filter(request)  # type: ignore[misc]
            if not _filters_hidden_field(self.model, list_filter, request.user)  # type: ignore[attr-defined]
        ]


def _filters_hidden_field(model: type[models.Model], list_filter: Any, user: Any) -> bool:
    path = list_filter[0] if isinstance(list_filter, list | tuple) else list_filter
    return isinstance(path, str) and touches_hidden_field(model, path, user)


restrict_lookups(Person, Person.RESTRICTED_FINANCE_FIELDS, visible_to=may_see_legal_name)
restrict_lookups(Person, Person.RESTRICTED_ENGAGEMENT_FIELDS, visible_to=may_see_contact_details)
# The sign-in email is a contact detail too.
restrict_lookups(User, ["email"], visible_to=may_see_contact_details)
# Restricted as a whole: also who supports whom (Person.supported_people).
restrict_lookups(SafeContactPreferences, ALL_FIELDS, visible_to=may_see_contact_details)
