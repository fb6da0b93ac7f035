"""Re-encrypt every encrypted value in the database with the first key of
COPROD_FIELD_ENCRYPTION_KEY, so that the other keys can then be removed (deploy/README.md).

Covers every EncryptedTextField and EncryptedJSONField of every installed model, found at run time,
and allauth's MFA authenticators, whose TOTP secret and recovery-code seed are encrypted inside
their JSON `data` (coprod.adapters.MFAAdapter). Rows are read and written in batches, each batch
locked while it is rewritten, with bulk updates: no save(), so no signals and no audit entries. A
value already under the first key is left alone, so the command can be run again, or resumed after
an interruption, and then reports nothing to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models.functions import Cast

from coprod import crypto
from coprod.fields import EncryptedJSONField, EncryptedTextField

ENCRYPTED_FIELDS = (EncryptedTextField, EncryptedJSONField)
# Keys of Authenticator.data that hold encrypted text (a string, or a list of strings).
AUTHENTICATOR_SECRETS = ("secret", "seed", "migrated_codes")


def encrypted_fields() -> Iterator[tuple[type[models.Model], list[str]]]:
    """Each model with encrypted columns, and their names; each column once (on the model that
    declares it, not on proxies or multi-table children)."""
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        names = [
            field.attname
            for field in model._meta.local_concrete_fields
            if isinstance(field, ENCRYPTED_FIELDS)
        ]
        if names:
            yield model, names


def _batches(queryset: models.QuerySet, batch_size: int) -> Iterator[list[Any]]:
    """Rows by primary key, one locked batch at a time, each inside its own transaction."""
    last_pk = None
    while True:
        with transaction.atomic():
            batch = queryset.order_by("pk")
            if last_pk is not None:
                batch = batch.filter(pk__gt=last_pk)
            rows = list(batch.select_for_update()[:batch_size])
            if not rows:
                return
            yield rows
        last_pk = rows[-1][0] if isinstance(rows[-1], tuple) else rows[-1].pk


class Counts:
    def __init__(self) -> None:
        self.rotated = 0
        self.current = 0

    def __str__(self) -> str:
        return f"{self.rotated} re-encrypted, {self.current} already under the first key"


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value with the first key in COPROD_FIELD_ENCRYPTION_KEY. "
        "Safe to run again; reports how many values it re-encrypted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        try:
            for model, names in encrypted_fields():
                for name, counts in self._rotate_columns(model, names, batch_size).items():
                    self.stdout.write(f"{model._meta.label}.{name}: {counts}")
            self.stdout.write(f"mfa.Authenticator.data: {self._rotate_authenticators(batch_size)}")
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error

    def _rotate_columns(
        self, model: type[models.Model], names: list[str], batch_size: int
    ) -> dict[str, Counts]:
        counts = {name: Counts() for name in names}
        # The stored tokens, as text: reading the fields themselves would decrypt them.
        raw = {f"raw_{name}": Cast(name, output_field=models.TextField()) for name in names}
        rows = model._base_manager.annotate(**raw).values_list("pk", *raw)
        for batch in _batches(rows, batch_size):
            changed: dict[str, list[models.Model]] = {name: [] for name in names}
            for pk, *tokens in batch:
                for name, token in zip(names, tokens, strict=True):
                    if not token:
                        continue
                    new_token = crypto.reencrypt(token)
                    if new_token is None:
                        counts[name].current += 1
                        continue
                    counts[name].rotated += 1
                    row = model(pk=pk)
                    # An expression is written as it is, not encrypted again by the field.
                    setattr(row, name, models.Value(new_token, output_field=models.TextField()))
                    changed[name].append(row)
            for name, changed_rows in changed.items():
                if changed_rows:
                    model._base_manager.bulk_update(changed_rows, [name])
        return counts

    def _rotate_authenticators(self, batch_size: int) -> Counts:
        counts = Counts()
        authenticators = Authenticator.objects.only("pk", "data")
        for batch in _batches(authenticators, batch_size):
            changed = []
            for authenticator in batch:
                if self._rotate_secrets(authenticator.data, counts):
                    changed.append(authenticator)
            if changed:
                Authenticator.objects.bulk_update(changed, ["data"])
        return counts

    @staticmethod
    def _rotate_secrets(data: dict[str, Any], counts: Counts) -> bool:
        """Re-encrypt the secrets in one authenticator's data in place; True if any changed."""

        def rotated(token: str) -> str:
            new_token = crypto.reencrypt(token)
            if new_token is None:
                counts.current += 1
                return token
            counts.rotated += 1
            return new_token

        before = dict(data)
        for key in AUTHENTICATOR_SECRETS:
            value = data.get(key)
            if isinstance(value, str) and value:
                data[key] = rotated(value)
            elif isinstance(value, list):
                data[key] = [rotated(token) for token in value]
        return data != before
