"""Demo data for `make run`: one account per role plus a staff member. Development only."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from coprod.enums import (
    ConsentPurpose,
    ContactChannel,
    MessageDetail,
    Role,
    RoleGrantSource,
    StaffGroup,
)
from coprod.models import Person, User
from coprod.services.consent import give_consent
from coprod.services.contact import update_safe_contact
from coprod.services.people import create_person, create_user_for_person
from coprod.services.roles import grant_role, promote_to_lee

DEMO_PASSWORD = "coprod-demo-pass"  # noqa: S105  (printed in the README on purpose)
# Base32 TOTP secret of the demo staff member, printed in the README so a newcomer can add it to
# an authenticator app. Tests compute codes from it.
DEMO_TOTP_SECRET = "MNXXA4TPMQWWIZLNN4WXG5DBMZTC23LG"  # noqa: S105

DEMO_PEOPLE = [
    # email, display name, roles, staff
    ("staff@example.org", "Sam (staff)", [], True),
    ("pwle@example.org", "Robin", [Role.PWLE], False),
    ("lee@example.org", "Ayo", [Role.PWLE, Role.LEE], False),
    ("researcher@example.org", "Dr Kim", [Role.RESEARCHER], False),
    ("policymaker@example.org", "Jo", [Role.POLICYMAKER], False),
    ("practitioner@example.org", "Alex (support worker)", [Role.PRACTITIONER], False),
]


class Command(BaseCommand):
    help = "Create the demo accounts (DEBUG only). Safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it creates known passwords.")
        with transaction.atomic():
            staff = self._user("staff@example.org", "Sam (staff)", staff=True)
            for email, name, roles, is_staff in DEMO_PEOPLE:
                user = staff if is_staff else self._user(email, name, staff=False)
                self._roles(user.person, roles, staff)
                if not is_staff:
                    self._consents_and_contact(user)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts ready (password: {DEMO_PASSWORD})."))

    def _user(self, email: str, name: str, *, staff: bool) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            person = create_person(chosen_name=name)
            user = create_user_for_person(
                person, email=email, password=DEMO_PASSWORD, email_verified=True, is_staff=staff
            )
        else:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        if staff:
            user.groups.set(Group.objects.filter(name__in=StaffGroup.values))
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
        return user

    def _roles(self, person: Person, roles: list[Role], staff: User) -> None:
        for role in roles:
            if person.holds_role(role):
                continue
            if role == Role.LEE:
                promote_to_lee(person, by=staff, note="Demo data")
            elif role == Role.RESEARCHER:
                grant_role(person, role, by=None, source=RoleGrantSource.SELF_SIGNUP)
            else:
                grant_role(person, role, by=staff, note="Demo data")

    def _consents_and_contact(self, user: User) -> None:
        for purpose in (ConsentPurpose.CONTACT, ConsentPurpose.TAKING_PART):
            give_consent(user.person, purpose, by=user)
        update_safe_contact(
            user.person,
            by=user,
            confirm=True,
            channels=[ContactChannel.EMAIL],
            message_detail=MessageDetail.NEUTRAL,
        )
