"""A GIN index for the library's full-text search, on PostgreSQL only (SQLite has no such index
and uses the plain fallback).

The index is on the very expression the search matches against
(partnerships.selectors.library.search_vector: title A, summary B, text C, the "english"
configuration), built here by Django from that expression so that the two compile to the same
SQL; PostgreSQL uses an expression index only for an identical expression. Measured before
adding it: a search over 30,000 resources took about 6 s as a sequential scan.
tests/partnerships/test_library_search.py checks that the search uses it.

The model's state does not change (no `indexes` entry): the index is the database's business."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "partnerships_resource_search"


def _index() -> GinIndex:
    # Frozen here: if the selector's expression ever changes, a new migration replaces this.
    expression = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )
    return GinIndex(expression, name=INDEX_NAME)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("partnerships", "Resource"), _index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("partnerships", "Resource"), _index())


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0002_staff_group_permissions")]

    operations = [migrations.RunPython(add_index, remove_index)]
