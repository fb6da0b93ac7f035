"""Model fields whose values are encrypted at rest."""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from coprod import crypto


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token. Not searchable or sortable, by design: restricted data."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)


class EncryptedJSONField(models.TextField):
    """A JSON value stored as a Fernet token."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None
        return json.loads(crypto.decrypt(value))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return crypto.encrypt(json.dumps(value))

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj))


ENCRYPTED_FIELDS = (EncryptedTextField, EncryptedJSONField)


def without_encrypted(queryset: models.QuerySet, *relations: str) -> models.QuerySet:
    """`queryset` with the encrypted columns of its model, and of each related model named in
    `relations` (as for select_related), left unread: for lists, which show none of them.
    Decrypting is the costliest part of reading a row (a person has five such fields); a list of
    50 invitations with their people read and decrypted 550 tokens it never showed."""
    names = []
    for relation in ("", *relations):
        model = queryset.model
        for step in filter(None, relation.split("__")):
            model = model._meta.get_field(step).related_model
        prefix = f"{relation}__" if relation else ""
        names += [
            f"{prefix}{field.name}"
            for field in model._meta.concrete_fields
            if isinstance(field, ENCRYPTED_FIELDS)
        ]
    return queryset.defer(*names)
