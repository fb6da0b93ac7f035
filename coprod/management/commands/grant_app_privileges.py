"""Give the application's PostgreSQL role exactly what the running app needs, after `migrate`.

The web, worker and beat containers connect as an app role that owns nothing: it may read and write
rows (SELECT, INSERT, UPDATE, DELETE) and use sequences, and nothing else: no DDL, no TRUNCATE.
The audit log (django-auditlog's table) is append-only for it: it may add entries but not change
or delete them, not even clear their actor. So logins are never deleted (Django would clear the
actor of their entries, on_delete=SET_NULL): a person's erasure empties their login instead
(coprod.services.rights), and the admin offers no deletion of logins or people.

Run by the one-shot `migrate` service as the owner role after every `migrate`, so new tables are
covered. Idempotent: it revokes everything from the role and grants again, in one transaction.
"""

from __future__ import annotations

import os
from typing import Any

from auditlog.models import LogEntry
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from psycopg2 import sql

ROW_PRIVILEGES = sql.SQL("SELECT, INSERT, UPDATE, DELETE")

# An earlier version let the app role clear an entry's actor, guarded by this trigger.
DROP_OLD_TRIGGER = "DROP TRIGGER IF EXISTS coprod_audit_actor_only_cleared ON {table}"


class Command(BaseCommand):
    help = (
        "Grant the app's database role row access to every table, append-only access to the "
        "audit log, and nothing else. Run after migrate, as the owner of the tables."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--role",
            default=os.environ.get("COPROD_DB_APP_ROLE", ""),
            help="The app's role (default: the COPROD_DB_APP_ROLE environment variable).",
        )

    def handle(self, *args: Any, role: str, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are a PostgreSQL feature; this database is not.")
        if not role:
            raise CommandError("Name the app's role with --role or COPROD_DB_APP_ROLE.")
        app = sql.Identifier(role)
        audit = sql.Identifier(LogEntry._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            schema = sql.Identifier(cursor.fetchone()[0])
            statements = [
                sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(schema, app),
                sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(schema, app),
                sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, app),
                sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA {} TO {}").format(
                    ROW_PRIVILEGES, schema, app
                ),
                sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(schema, app),
                sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(audit, app),
                sql.SQL(DROP_OLD_TRIGGER).format(table=audit),
            ]
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"{role}: rows of every table, append-only {LogEntry._meta.db_table}, no DDL."
        )
