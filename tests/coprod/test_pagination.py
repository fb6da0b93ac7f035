"""Long lists come a page at a time (coprod.pagination): the staff lists 50 rows to a page; and a
list reads no encrypted column it does not show (coprod.fields.without_encrypted)."""

import re

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from coprod.enums import NotificationStatus, StaffGroup
from coprod.models import Person
from coprod.pagination import LAST_POSSIBLE_PAGE, page_number, page_of
from tests.factories import InvitationFactory, NotificationFactory, make_staff
from tests.factories.core import make_person

pytestmark = pytest.mark.django_db


def test_staff_lists_come_fifty_to_a_page_with_links_between_pages(client):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    for _ in range(55):
        InvitationFactory(invited_by=staff)
        NotificationFactory(status=NotificationStatus.HELD, hold_reason="paused")
    client.force_login(staff)

    for path in ("/staff/invitations/", "/staff/messages/held/"):
        first = client.get(path).content.decode()
        second = client.get(f"{path}?page=2").content.decode()

        rows = [len(re.findall(r'<tr class="govuk-table__row">', page)) for page in (first, second)]
        assert rows == [51, 6], path  # with the heading row
        assert 'href="?page=2" rel="next"' in first
        assert 'href="?page=1" rel="prev"' in second
        assert 'rel="next"' not in second
        assert client.get(f"{path}?page=3").status_code == 404


@pytest.mark.parametrize(("asked", "number"), [("", 1), ("2", 2), ("0", 1), ("-4", 1), ("two", 1)])
def test_a_page_number_that_is_not_a_page_is_the_first(asked, number):
    request = RequestFactory().get("/", {"page": asked} if asked else {})

    assert page_number(request) == number


def test_a_page_past_any_real_list_is_not_found_before_the_database_is_asked():
    request = RequestFactory().get("/", {"page": str(LAST_POSSIBLE_PAGE + 1)})

    with pytest.raises(Http404):
        page_of(request, Person.objects.order_by("pk"), per_page=10)


def test_a_page_reads_one_row_more_than_it_shows(django_assert_num_queries):
    for _ in range(3):
        make_person()
    request = RequestFactory().get("/", {"page": "1"})

    with django_assert_num_queries(1):
        page = page_of(request, Person.objects.order_by("pk"), per_page=2)

    assert (len(page.items), page.previous, page.next) == (2, None, 2)


@pytest.mark.parametrize(
    ("path", "make_row", "list_query"),
    [
        (
            "/staff/invitations/",
            lambda staff: InvitationFactory(invited_by=staff),
            'FROM "coprod_invitation"',
        ),
        (
            "/staff/messages/held/",
            lambda staff: NotificationFactory(status=NotificationStatus.HELD, hold_reason="paused"),
            'FROM "coprod_notification"',
        ),
        ("/admin/coprod/person/", lambda staff: make_person(), 'FROM "coprod_person" ORDER BY'),
    ],
)
def test_lists_leave_restricted_fields_unread(client, path, make_row, list_query):
    """Decrypting fields no column shows was the costliest part of a list (docs/performance.md)."""
    staff = make_staff(StaffGroup.ENGAGEMENT)
    make_row(staff)
    client.force_login(staff)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200

    # The list's own query; the signed-in login's own person is read whole, as on every page.
    lists = [q["sql"] for q in queries if list_query in q["sql"]]
    assert len(lists) == 1, path
    read = lists[0]
    for column in ("legal_name", "access_needs", "postal_address", '"content"', "safety_notes"):
        assert column not in read, (path, column)
