from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.utils import timezone

from coprod.audit import SystemActor
from coprod.enums import (
    ConsentPurpose,
    ContactChannel,
    InvitationStatus,
    NotificationStatus,
    Role,
    RoleGrantSource,
    StaffGroup,
)
from coprod.models import (
    ConsentText,
    Invitation,
    Notification,
    Person,
    RoleGrant,
    SafeContactPreferences,
    User,
    hash_token,
    london_today,
)
from coprod.services.consent import give_consent

TEST_PASSWORD = "correct horse battery staple"
# Base32 TOTP secret for staff in tests.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# `by` for services a test calls when who acts does not matter to it: audited like a task's work.
TEST_ACTOR = SystemActor("test")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    chosen_name = factory.Sequence(lambda n: f"Person {n}")
    generated_name = factory.Sequence(lambda n: f"Member {1000 + n}")
    safe_contact = factory.RelatedFactory(
        "tests.factories.core.SafeContactFactory", factory_related_name="person"
    )


class SafeContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafeContactPreferences

    channels = factory.LazyFunction(lambda: [ContactChannel.EMAIL])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    person = factory.SubFactory(PersonFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)
            self.save()


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant

    person = factory.SubFactory(PersonFactory)
    role = Role.PWLE
    starts_on = factory.LazyFunction(london_today)
    source = RoleGrantSource.GRANTED


class ConsentTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentText

    purpose = ConsentPurpose.CONTACT
    version = factory.Sequence(lambda n: 100 + n)
    title = "Being contacted"
    body = "We may contact you."


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    person = factory.SubFactory(PersonFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.PWLE
    token_hash = factory.Sequence(lambda n: hash_token(f"test-token-{n}"))
    status = InvitationStatus.PENDING
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    invited_by = factory.SubFactory(UserFactory, is_staff=True)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    kind = "test"
    person = factory.SubFactory(PersonFactory)
    content = factory.LazyFunction(
        lambda: {
            "full": {"subject": "Full subject", "body": "Full body"},
            "neutral": {"subject": "Neutral subject", "body": "Neutral body"},
        }
    )
    status = NotificationStatus.QUEUED


def make_person(
    *, roles: Iterable[Role] = (), consents: Iterable[ConsentPurpose] = (), **fields: object
) -> Person:
    """A person holding `roles` from today, with consent given for `consents`."""
    person = PersonFactory(**fields)
    for role in roles:
        RoleGrantFactory(person=person, role=role)
    for purpose in consents:
        give_consent(person, purpose, by=TEST_ACTOR)
    return person


def make_user(
    *, roles: Iterable[Role] = (), consents: Iterable[ConsentPurpose] = (), **fields: object
) -> User:
    """A signed-up, verified login for a person holding `roles`."""
    person = make_person(roles=roles, consents=consents)
    return UserFactory(person=person, **fields)


def make_staff(*groups: StaffGroup, mfa: bool = True, **fields: object) -> User:
    """A staff login in `groups`, with a TOTP authenticator unless `mfa` is False."""
    user = UserFactory(is_staff=True, **fields)
    user.groups.set(Group.objects.filter(name__in=[str(group) for group in groups]))
    if mfa:
        TOTP.activate(user, TOTP_SECRET)
    assert Authenticator.objects.filter(user=user).exists() == mfa
    return user


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows now for `secret` (freeze time around its use, so it
    cannot roll over between computing it and posting it)."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def sign_in(client: object, email: str, password: str = TEST_PASSWORD) -> object:
    """Post the allauth sign-in form, as a person would; returns the response."""
    return client.post("/accounts/login/", {"login": email, "password": password})  # type: ignore[attr-defined]


def make_superuser(**fields: object) -> User:
    """A staff superuser with TOTP set up (only superusers may change logins in the admin)."""
    return make_staff(is_superuser=True, **fields)


def make_reachable_person(*, email: str = "sam@example.org", **prefs: object) -> Person:
    """A PWLE the outbox can email: consent to be contacted, a contact email, and safe-contact
    preferences (email, any time, neutral wording) changed by `prefs`."""
    person = make_person(roles=[Role.PWLE], consents=[ConsentPurpose.CONTACT], contact_email=email)
    SafeContactPreferences.objects.filter(person=person).update(**prefs)
    return person


def backdate_consent_texts() -> None:
    """The seeded consent texts are published when the test database is made: backdate them, so a
    test can travel to any moment (time_machine) and still find them current."""
    from datetime import UTC, datetime

    ConsentText.objects.update(published_at=datetime(2000, 1, 1, tzinfo=UTC))
