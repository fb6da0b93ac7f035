"""The app's least-privilege PostgreSQL role (grant_app_privileges): rows, append-only audit log.

These run against real PostgreSQL (as CI does) and are skipped on SQLite, which has no roles.
"""

from __future__ import annotations

import io
import os
import secrets
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import ProgrammingError, connection, transaction
from psycopg2 import sql

from coprod.enums import Role
from coprod.models import Person, RoleGrant, User
from tests.factories.core import make_person, make_user

pytestmark = pytest.mark.django_db

INIT_ROLES = Path(__file__).resolve().parents[2] / "deploy" / "postgres" / "init-roles.sh"


@pytest.fixture
def app_role():
    """A throwaway role given the app's privileges (dropped with the test's transaction)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no roles or grants")
    role = f"coprod_test_app_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    out = io.StringIO()
    call_command("grant_app_privileges", "--role", role, stdout=out)
    return role


@contextmanager
def acting_as(role):
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def refused(statement):
    """The database error a statement raises (inside a savepoint, so the test can go on)."""
    with pytest.raises(ProgrammingError) as error, transaction.atomic():
        statement()
    return str(error.value)


def new_audit_entry(**fields):
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Person),
        object_pk="1",
        object_repr="person #1",
        action=LogEntry.Action.CREATE,
        changes={},
        **fields,
    )


def test_app_role_can_add_audit_entries_but_not_change_or_delete_them(app_role):
    with acting_as(app_role):
        entry = new_audit_entry()
        written = LogEntry.objects.get(pk=entry.pk).object_repr
        changed = refused(lambda: LogEntry.objects.filter(pk=entry.pk).update(object_repr="x"))
        deleted = refused(lambda: LogEntry.objects.filter(pk=entry.pk).delete())
        truncated = refused(lambda: connection.cursor().execute("TRUNCATE auditlog_logentry"))

    assert "permission denied for table auditlog_logentry" in changed
    assert "permission denied for table auditlog_logentry" in deleted
    assert "permission denied for table auditlog_logentry" in truncated
    assert LogEntry.objects.get(pk=entry.pk).object_repr == written


def test_app_role_cannot_clear_or_change_an_audit_entry_actor(app_role):
    actor, someone_else = make_user(), make_user()
    entry = new_audit_entry(actor=actor)

    with acting_as(app_role):
        reattributed = refused(
            lambda: LogEntry.objects.filter(pk=entry.pk).update(actor=someone_else)
        )
        cleared = refused(lambda: LogEntry.objects.filter(pk=entry.pk).update(actor=None))

    assert "permission denied for table auditlog_logentry" in reattributed
    assert "permission denied for table auditlog_logentry" in cleared
    assert LogEntry.objects.get(pk=entry.pk).actor_id == actor.pk


def test_app_role_can_erase_a_person_without_touching_the_audit_log(app_role):
    from coprod.enums import StaffGroup
    from coprod.services.people import update_profile
    from coprod.services.rights import erase_person, request_erasure
    from tests.factories.core import make_staff

    member, staff = make_user(roles=[Role.PWLE]), make_staff(StaffGroup.ENGAGEMENT)
    update_profile(member.person, by=member, pronouns="they/them")
    entries = LogEntry.objects.count()

    with acting_as(app_role):
        erase_person(request_erasure(member.person, by=member), by=staff, reason="Asked.")

    assert LogEntry.objects.count() > entries
    assert LogEntry.objects.filter(actor=member).exists()


def test_app_role_reads_and_writes_ordinary_tables(app_role):
    with acting_as(app_role):
        person = make_person(roles=[Role.PWLE], legal_name="Amina Okafor")
        Person.objects.filter(pk=person.pk).update(chosen_name="Amina")
        user = make_user(roles=[Role.LEE])
        RoleGrant.objects.filter(person=user.person).delete()

    assert Person.objects.get(pk=person.pk).chosen_name == "Amina"
    assert Person.objects.get(pk=person.pk).legal_name == "Amina Okafor"
    assert RoleGrant.objects.filter(person=user.person).exists() is False


def test_deleting_a_login_is_refused_by_the_database_and_not_offered_in_the_admin(app_role, rf):
    from django.contrib import admin

    from coprod.admin import PersonAdmin, UserAdmin

    user = make_user(roles=[Role.LEE])
    request = rf.get("/")
    request.user = make_user(is_staff=True, is_superuser=True)

    with acting_as(app_role):
        deleted = refused(lambda: User.objects.filter(pk=user.pk).delete())

    assert "permission denied for table auditlog_logentry" in deleted
    assert UserAdmin(User, admin.site).has_delete_permission(request) is False
    assert PersonAdmin(Person, admin.site).has_delete_permission(request) is False


def test_app_role_cannot_change_the_schema(app_role):
    with acting_as(app_role):
        created = refused(lambda: connection.cursor().execute("CREATE TABLE coprod_x (id int)"))
        dropped = refused(lambda: connection.cursor().execute("DROP TABLE coprod_person CASCADE"))

    assert "permission denied for schema public" in created
    assert "must be owner of table coprod_person" in dropped


def test_granting_twice_gives_the_same_privileges(app_role):
    def privileges():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name, privilege_type FROM information_schema.role_table_grants "
                "WHERE grantee = %s ORDER BY 1, 2",
                [app_role],
            )
            return cursor.fetchall()

    before = privileges()

    call_command("grant_app_privileges", "--role", app_role, stdout=io.StringIO())

    assert privileges() == before
    assert ("auditlog_logentry", "INSERT") in before
    assert ("auditlog_logentry", "UPDATE") not in before
    assert ("coprod_person", "UPDATE") in before


def test_init_script_hands_a_new_database_to_the_owner_and_lets_the_app_in_idempotently():
    if connection.vendor != "postgresql" or shutil.which("psql") is None:
        pytest.skip("needs PostgreSQL and psql")
    suffix = secrets.token_hex(4)
    database, owner, app = f"coprod_init_{suffix}", f"owner_{suffix}", f"app_{suffix}"
    server = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": server["HOST"] or "",
        "PGPORT": str(server["PORT"] or 5432),
        "PGPASSWORD": server["PASSWORD"] or "",
        "POSTGRES_USER": server["USER"],
        "POSTGRES_DB": database,
        "COPROD_DB_OWNER": owner,
        "COPROD_DB_APP_ROLE": app,
        "COPROD_DB_OWNER_PASSWORD": "owner's password",
        "COPROD_DB_APP_PASSWORD": 'app "password"',
    }

    def psql(query, dbname="postgres"):
        """Run `query`, with :'database', :'owner' and :'app' quoted by psql; the result's words."""
        names = [
            f"--set={name}={value}"
            for name, value in (("database", database), ("owner", owner), ("app", app))
        ]
        return subprocess.run(  # noqa: S603
            ["psql", "-X", "-tA", "-U", server["USER"], "-d", dbname, *names],  # noqa: S607
            input=query,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout.split()

    psql('CREATE DATABASE :"database"')
    try:
        for _ in range(2):
            subprocess.run(  # noqa: S603
                ["sh", str(INIT_ROLES)],  # noqa: S607
                env=env,
                capture_output=True,
                timeout=60,
                check=True,
            )
        roles = psql(
            "SELECT rolname, rolcanlogin, rolsuper FROM pg_roles "
            "WHERE rolname IN (:'owner', :'app') ORDER BY 1"
        )
        database_owner = psql(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = :'database'"
        )
        may_connect = psql(
            "SELECT has_database_privilege(:'app', :'database', 'CONNECT'), "
            "has_database_privilege('public', :'database', 'CONNECT'), "
            "has_schema_privilege(:'app', 'public', 'CREATE')",
            dbname=database,
        )
    finally:
        psql('DROP DATABASE IF EXISTS :"database"')
        psql('DROP ROLE IF EXISTS :"owner", :"app"')

    assert roles == [f"{app}|t|f", f"{owner}|t|f"]
    assert database_owner == [owner]
    assert may_connect == ["t|f|f"]
