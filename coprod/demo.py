"""The core's demo data (coprod.doors.DemoData, run by `manage.py seed_demo`): one account per
role plus a staff member, and at a scale, many more people with roles, consent and messages.
Development only: the demo accounts share one published password."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from coprod.doors import DemoRun
from coprod.enums import (
    ConsentPurpose,
    ContactChannel,
    ErasureStatus,
    HoldReason,
    MessageDetail,
    NotificationStatus,
    Role,
    RoleGrantSource,
    StaffGroup,
)
from coprod.models import (
    ConsentRecord,
    ErasureRequest,
    Invitation,
    Notification,
    Person,
    RoleGrant,
    SafeContactPreferences,
    User,
    hash_token,
    london_today,
)
from coprod.selectors import current_consent_text
from coprod.services.consent import give_consent
from coprod.services.contact import update_safe_contact
from coprod.services.people import create_person, create_user_for_person
from coprod.services.roles import grant_role, promote_to_lee

DEMO_PASSWORD = "coprod-demo-pass"  # noqa: S105  (printed in the README on purpose)
# Base32 TOTP secret of the demo staff member, printed in the README so a newcomer can add it to
# an authenticator app. Tests compute codes from it.
DEMO_TOTP_SECRET = "MNXXA4TPMQWWIZLNN4WXG5DBMZTC23LG"  # noqa: S105
STAFF_EMAIL = "staff@example.org"

DEMO_PEOPLE = [
    # email, display name, roles
    ("pwle@example.org", "Robin", [Role.PWLE]),
    ("lee@example.org", "Ayo", [Role.PWLE, Role.LEE]),
    ("researcher@example.org", "Dr Kim", [Role.RESEARCHER]),
    ("policymaker@example.org", "Jo", [Role.POLICYMAKER]),
    ("practitioner@example.org", "Alex (support worker)", [Role.PRACTITIONER]),
]

# At a scale, each unit adds this many people (as many as the demo accounts), a third of them
# with a login, and this many messages for the demo LEE (so their messages page is full).
PEOPLE_PER_UNIT = 6
LEE_MESSAGES_PER_UNIT = 5
SCALE_ROLES = [Role.PWLE, Role.LEE, Role.RESEARCHER, Role.POLICYMAKER, Role.PRACTITIONER]
# Generated names of scale people have 7 digits: new_generated_name never draws 7 digits.
SCALE_NAME_BASE = 9_000_000


def demo_user(email: str) -> User:
    """A demo account, for other apps' demo data (`demo_user("lee@example.org")`)."""
    return User.objects.select_related("person").get(email=email)


def seed(run: DemoRun) -> None:
    """The demo accounts, then `run.scale` times as many people. Safe to run again: existing
    accounts get the demo password back, and only missing people are added."""
    staff = _account(STAFF_EMAIL, "Sam (staff)", staff=True)
    for email, name, roles in DEMO_PEOPLE:
        user = _account(email, name, staff=False)
        _roles(user, roles, staff)
        _consents_and_contact(user)
    run.report(f"Demo accounts ready (password: {DEMO_PASSWORD}).")
    if run.scale > 1:
        added = _scale_people(PEOPLE_PER_UNIT * (run.scale - 1))
        messages = _scale_messages(demo_user("lee@example.org").person, run.scale)
        listed = _scale_staff_lists(staff, run.scale)
        run.report(
            f"Scale {run.scale}: {added} people, {messages} messages and {listed} invitations, "
            "held messages and requests to delete information added."
        )


def _account(email: str, name: str, *, staff: bool) -> User:
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


def _roles(user: User, roles: list[Role], staff: User) -> None:
    person = user.person
    for role in roles:
        if person.holds_role(role):
            continue
        if role == Role.LEE:
            promote_to_lee(person, by=staff, note="Demo data")
        elif role == Role.RESEARCHER:
            grant_role(person, role, by=user, source=RoleGrantSource.SELF_SIGNUP)
        else:
            grant_role(person, role, by=staff, note="Demo data")


def _consents_and_contact(user: User) -> None:
    for purpose in (ConsentPurpose.CONTACT, ConsentPurpose.TAKING_PART):
        give_consent(user.person, purpose, by=user)
    update_safe_contact(
        user.person,
        by=user,
        confirm=True,
        channels=[ContactChannel.EMAIL],
        message_detail=MessageDetail.NEUTRAL,
    )


def _scale_people(count: int) -> int:
    """`count` people beyond the demo accounts, in bulk: roles, consent to be contacted and to
    take part, confirmed email-only contact preferences, and a login for every third."""
    names = [f"Member {SCALE_NAME_BASE + index}" for index in range(count)]
    existing = set(
        Person.objects.filter(generated_name__in=names).values_list("generated_name", flat=True)
    )
    missing = [(index, name) for index, name in enumerate(names) if name not in existing]
    if not missing:
        return 0
    now, today = timezone.now(), london_today()
    Person.objects.bulk_create(
        Person(chosen_name=f"Demo person {index + 1}", generated_name=name)
        for index, name in missing
    )
    people = {
        person.generated_name: person
        for person in Person.objects.filter(generated_name__in=[name for _i, name in missing])
    }
    texts = [current_consent_text(purpose) for purpose in ConsentPurpose]
    password = make_password(DEMO_PASSWORD)
    grants, prefs, consents, users = [], [], [], []
    for index, name in missing:
        person = people[name]
        role = SCALE_ROLES[index % len(SCALE_ROLES)]
        for held in [Role.PWLE, Role.LEE] if role == Role.LEE else [role]:
            grants.append(RoleGrant(person=person, role=held, starts_on=today, note="Demo data"))
        prefs.append(
            SafeContactPreferences(person=person, channels=[ContactChannel.EMAIL], confirmed_at=now)
        )
        consents += [
            ConsentRecord(person=person, text=text, purpose=text.purpose)
            for text in texts[:2]
            if text is not None
        ]
        if index % 3 == 0:
            users.append(
                User(
                    email=f"demo{SCALE_NAME_BASE + index}@example.org",
                    person=person,
                    password=password,
                )
            )
    RoleGrant.objects.bulk_create(grants)
    SafeContactPreferences.objects.bulk_create(prefs)
    ConsentRecord.objects.bulk_create(consents)
    User.objects.bulk_create(users)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=True)
        for user in User.objects.filter(email__in=[user.email for user in users])
    )
    return len(missing)


def _scale_messages(person: Person, scale: int) -> int:
    """Sent messages for `person`, so their messages page is measured full."""
    keys = [f"demo:{person.pk}:{index}" for index in range(LEE_MESSAGES_PER_UNIT * scale)]
    existing = set(
        Notification.objects.filter(idempotency_key__in=keys).values_list(
            "idempotency_key", flat=True
        )
    )
    content = {
        variant: {"subject": "A message from the demo", "body": "Nothing to do: demo data."}
        for variant in MessageDetail.values
    }
    now = timezone.now()
    created = Notification.objects.bulk_create(
        Notification(
            idempotency_key=key,
            kind="demo",
            person=person,
            content=content,
            status=NotificationStatus.SENT,
            sent_at=now,
            sent_variant=MessageDetail.NEUTRAL,
        )
        for key in keys
        if key not in existing
    )
    return len(created)


def _scale_staff_lists(staff: User, scale: int) -> int:
    """Rows for the staff lists, so that they are measured full: per unit of scale an invitation
    and a held message, and per five units a waiting request to delete someone's information,
    each for one of the people added by `_scale_people`. Only missing rows are added."""
    count = scale - 1
    people = list(
        Person.objects.filter(
            generated_name__in=[f"Member {SCALE_NAME_BASE + index}" for index in range(count)]
        ).order_by("generated_name")
    )
    tokens = {hash_token(f"demo-invitation-{person.pk}"): person for person in people}
    have = set(
        Invitation.objects.filter(token_hash__in=tokens).values_list("token_hash", flat=True)
    )
    expires = timezone.now() + timedelta(days=14)
    invitations = Invitation.objects.bulk_create(
        Invitation(
            person=person,
            email=f"invited{person.pk}@example.org",
            role=Role.PWLE,
            token_hash=token,
            expires_at=expires,
            invited_by=staff,
        )
        for token, person in tokens.items()
        if token not in have
    )
    keys = {f"demo-held:{person.pk}": person for person in people}
    have = set(
        Notification.objects.filter(idempotency_key__in=keys).values_list(
            "idempotency_key", flat=True
        )
    )
    content = {
        variant: {"subject": "A held demo message", "body": "Nothing to do: demo data."}
        for variant in MessageDetail.values
    }
    held = Notification.objects.bulk_create(
        Notification(
            idempotency_key=key,
            kind="demo",
            person=person,
            content=content,
            status=NotificationStatus.HELD,
            hold_reason=HoldReason.NO_SAFE_CHANNEL,
        )
        for key, person in keys.items()
        if key not in have
    )
    asking = people[::5]
    have = set(
        ErasureRequest.objects.filter(person__in=asking, status=ErasureStatus.PENDING).values_list(
            "person_id", flat=True
        )
    )
    requests = ErasureRequest.objects.bulk_create(
        ErasureRequest(person=person) for person in asking if person.pk not in have
    )
    return len(invitations) + len(held) + len(requests)
