"""Every list page: its number of queries does not grow with its number of rows, and is pinned
(a change that adds a query to a page has to say so here).

Every signed-in request reads its session from the cache (coprod.sessions) and the login with its
person in one query (coprod.auth_backends); staff pages add the MFA check and the permissions
(one query)."""

import pytest

from coprod.enums import ConsentPurpose, NotificationStatus, Role, StaffGroup
from coprod.models import ErasureRequest
from coprod.services.consent import give_consent, withdraw_consent
from tests.factories import InvitationFactory, NotificationFactory, make_staff, make_user
from tests.factories.core import make_person
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_staff_invitation_list_queries(client):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)

    count = assert_queries_do_not_grow(
        client, "/staff/invitations/", lambda: InvitationFactory(invited_by=staff)
    )

    assert count == 4


def test_staff_held_messages_queries(client):
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    count = assert_queries_do_not_grow(
        client,
        "/staff/messages/held/",
        lambda: NotificationFactory(status=NotificationStatus.HELD, hold_reason="paused"),
    )

    assert count == 4


def test_staff_erasure_requests_queries(client):
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    count = assert_queries_do_not_grow(
        client, "/staff/erasure/", lambda: ErasureRequest.objects.create(person=make_person())
    )

    assert count == 4


def test_staff_home_queries(client):
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    count = assert_queries_do_not_grow(
        client, "/staff/", lambda: ErasureRequest.objects.create(person=make_person())
    )

    assert count == 4


def test_portal_home_queries(client):
    user = make_user(roles=[Role.PWLE], consents=[ConsentPurpose.CONTACT])
    client.force_login(user)

    count = assert_queries_do_not_grow(
        client,
        "/portal/",
        lambda: NotificationFactory(person=user.person, status=NotificationStatus.HELD),
    )

    assert count == 2


def test_portal_messages_queries(client):
    user = make_user(roles=[Role.PWLE])
    client.force_login(user)

    count = assert_queries_do_not_grow(
        client, "/portal/messages/", lambda: NotificationFactory(person=user.person)
    )

    assert count == 2


def test_portal_consents_queries_with_consent_history(client):
    user = make_user(roles=[Role.PWLE], consents=[ConsentPurpose.CONTACT])
    client.force_login(user)

    def withdraw_and_give_again():
        withdraw_consent(user.person, ConsentPurpose.CONTACT, by=user)
        give_consent(user.person, ConsentPurpose.CONTACT, by=user)

    count = assert_queries_do_not_grow(client, "/portal/consents/", withdraw_and_give_again)

    assert count == 3


def test_portal_my_information_queries(client):
    user = make_user(roles=[Role.PWLE], consents=[ConsentPurpose.CONTACT])
    client.force_login(user)

    count = assert_queries_do_not_grow(
        client, "/portal/my-information/", lambda: NotificationFactory(person=user.person)
    )

    # The core's 10, and recruitment's part of the file (recruitment.selectors: 3, the receipts:
    # 1, 3 for applications, their histories and referrals made, and 2 for training and
    # onboarding), and funding's 7: proposals with their decisions, and their files (2), panel
    # seats, conflict declarations, reviews (their scores are not read when there are none),
    # meeting availability and attendance; partnerships' 7: practitioner links, memberships,
    # meeting invitations, "you said" input, resources proposed, contributions, self-assessment
    # rounds answered.
    assert count == 32


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/coprod/person/", 7),
        ("/admin/coprod/invitation/", 6),
        ("/admin/coprod/notification/", 6),
    ],
)
def test_admin_core_lists_queries(client, url, expected):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)

    def add_row():
        person = make_user(roles=[Role.PWLE, Role.RESEARCHER]).person
        InvitationFactory(person=person, invited_by=staff)
        NotificationFactory(person=person)

    count = assert_queries_do_not_grow(client, url, add_row)

    assert count == expected
