"""Every list page: its number of queries does not grow with its number of rows."""

import pytest

from coprod.enums import ConsentPurpose, NotificationStatus, Role, StaffGroup
from tests.factories import InvitationFactory, NotificationFactory, make_staff, make_user
from tests.queries import assert_queries_do_not_grow


@pytest.mark.django_db
def test_staff_invitation_list_queries_do_not_grow(client):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)

    count = assert_queries_do_not_grow(
        client, "/staff/invitations/", lambda: InvitationFactory(invited_by=staff)
    )

    assert count <= 12


@pytest.mark.django_db
def test_staff_held_messages_queries_do_not_grow(client):
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    count = assert_queries_do_not_grow(
        client,
        "/staff/messages/held/",
        lambda: NotificationFactory(status=NotificationStatus.HELD, hold_reason="paused"),
    )

    assert count <= 12


@pytest.mark.django_db
def test_portal_messages_queries_do_not_grow(client):
    user = make_user(roles=[Role.PWLE])
    client.force_login(user)

    count = assert_queries_do_not_grow(
        client, "/portal/messages/", lambda: NotificationFactory(person=user.person)
    )

    assert count <= 12


@pytest.mark.django_db
def test_portal_consents_queries_do_not_grow_with_consent_history(client):
    user = make_user(roles=[Role.PWLE], consents=[ConsentPurpose.CONTACT])
    client.force_login(user)

    def withdraw_and_give_again():
        from coprod.services.consent import give_consent, withdraw_consent

        withdraw_consent(user.person, ConsentPurpose.CONTACT, by=user)
        give_consent(user.person, ConsentPurpose.CONTACT, by=user)

    count = assert_queries_do_not_grow(client, "/portal/consents/", withdraw_and_give_again)

    assert count <= 12


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/admin/coprod/person/", "/admin/coprod/invitation/", "/admin/coprod/notification/"],
)
def test_admin_core_lists_queries_do_not_grow(client, url):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)

    def add_row():
        person = make_user(roles=[Role.PWLE, Role.RESEARCHER]).person
        InvitationFactory(person=person, invited_by=staff)
        NotificationFactory(person=person)

    assert_queries_do_not_grow(client, url, add_row)
