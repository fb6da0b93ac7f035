"""`manage.py seed_demo`: the demo accounts for `make run`, development only."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.core.management.base import CommandError

from coprod import crypto
from coprod.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from coprod.enums import Role, StaffGroup
from coprod.models import ConsentRecord, Person, RoleGrant, SafeContactPreferences, User

pytestmark = pytest.mark.django_db

DEMO_EMAILS = [
    "lee@example.org",
    "policymaker@example.org",
    "practitioner@example.org",
    "pwle@example.org",
    "researcher@example.org",
    "staff@example.org",
]
COUNTED = [
    User,
    Person,
    RoleGrant,
    ConsentRecord,
    SafeContactPreferences,
    EmailAddress,
    Authenticator,
]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        seed()

    assert User.objects.count() == 0


def test_seed_demo_creates_the_six_accounts_with_the_demo_password(settings):
    settings.DEBUG = True

    output = seed()

    users = list(User.objects.order_by("email"))
    assert [user.email for user in users] == DEMO_EMAILS
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 6
    assert output == f"Demo accounts ready (password: {DEMO_PASSWORD}).\n"


def test_seed_demo_staff_is_in_every_group_with_totp_and_not_superuser(settings):
    settings.DEBUG = True

    seed()

    staff = User.objects.get(email="staff@example.org")
    totp = Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP)
    assert (staff.is_staff, staff.is_superuser) == (True, False)
    assert set(staff.groups.values_list("name", flat=True)) == set(StaffGroup.values)
    assert crypto.decrypt(totp.data["secret"]) == DEMO_TOTP_SECRET
    assert User.objects.filter(is_staff=True).count() == 1


def test_seed_demo_gives_each_participant_their_roles(settings):
    settings.DEBUG = True

    seed()

    roles = {
        user.email: sorted(user.person.current_roles)
        for user in User.objects.filter(is_staff=False).select_related("person")
    }
    assert roles == {
        "pwle@example.org": [Role.PWLE],
        "lee@example.org": [Role.LEE, Role.PWLE],
        "researcher@example.org": [Role.RESEARCHER],
        "policymaker@example.org": [Role.POLICYMAKER],
        "practitioner@example.org": [Role.PRACTITIONER],
    }


def test_seed_demo_run_twice_creates_nothing_new(settings):
    settings.DEBUG = True
    seed()
    first = row_counts()
    pwle = User.objects.get(email="pwle@example.org")
    pwle.set_unusable_password()
    pwle.save()

    seed()

    assert row_counts() == first
    assert User.objects.get(email="pwle@example.org").check_password(DEMO_PASSWORD) is True


def test_seed_demo_audit_rows_name_who_or_what_acted(settings):
    from auditlog.models import LogEntry

    settings.DEBUG = True

    seed()

    rows = LogEntry.objects.all()
    assert rows.filter(cid="command:seed_demo").exists()
    assert rows.filter(actor__isnull=True).exclude(cid="command:seed_demo").count() == 0
