"""Every page `make bench` measures (bench/pages.py): its number of queries is pinned, and is the
same with the demo data at scale 1 and at scale 100 (`seed_demo --scale 100`).

A page that joins the benchmark must be pinned here; a change that adds a query to a page has to
say so here."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from bench.pages import ACCOUNTS, PAGES
from coprod.models import User
from partnerships.demo.base import FIRST
from partnerships.models import Partnership
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

# Every signed-in page: the login with its person (1; the session is read from the cache).
# The navigation's roles (only PWLE and LEE see "Paid work") are kept in the session
# (coprod.doors.current_roles): read on a session's first page, not on the pages measured here.
# Staff pages add the MFA check (1) and the login's permissions, direct and through groups (1).
EXPECTED = {
    "/portal/": 2,
    "/portal/messages/": 2,
    "/portal/consents/": 3,
    "/portal/contact/": 2,
    "/portal/profile/": 1,
    "/portal/involvement/": 1,
    "/portal/support/": 2,
    # The core's part (10) and recruitment's (9: eligibility, engagements with claims, histories,
    # receipts; applications with their opportunity, their histories, referrals made; training,
    # onboarding).
    # Funding's (8): proposals with their files (2), panel seats, conflict declarations, reviews
    # with their scores (2), meeting availability and attendance.
    # Partnerships' (7): practitioner links, memberships, meeting invitations, "you said",
    # resources proposed, contributions, self-assessments answered.
    "/portal/my-information/": 33,
    # A page of their engagements with their claims (1).
    "/portal/paid-work/": 2,
    # With the counts beside its links: requests to erase (1), library proposals waiting (1),
    # "you said, we did" items open too long (1).
    "/staff/": 6,
    "/staff/invitations/": 4,
    "/staff/messages/held/": 4,
    "/staff/erasure/": 4,
    "/admin/coprod/person/": 7,
    # Their onboarding with how they want to be paid (1), their training (1).
    "/portal/getting-started/": 3,
    # A page of opportunities with their applications counted by state (1).
    "/staff/recruitment/opportunities/": 4,
    # A page of claims with their engagements and people (1).
    "/staff/recruitment/claims/": 4,
    # The open opportunities offered to them, each with their own application's status (1).
    "/portal/opportunities/": 2,
    # A page of their applications with the opportunities (1).
    "/portal/opportunities/applications/": 2,
    # A page of the practitioner's referrals with the opportunities and people (1).
    "/portal/opportunities/referrals/": 2,
    # Funding: a page of open calls (1); a page of the LEE's reviews with progress counted (1);
    # their seats (1); their meeting polls (1); a page of calls with proposals counted (1); of
    # panels (1); of calls with results (1).
    "/portal/funding/": 2,
    "/portal/funding/reviews/": 2,
    "/portal/funding/panel/": 2,
    "/portal/funding/meetings/": 2,
    "/staff/funding/calls/": 4,
    "/staff/funding/panels/": 4,
    "/staff/funding/results/": 4,
    # The library: the tags for the filter (1), a page of resources with their partnership (1),
    # their tags (1), their named contributors (1); staff's queue with its proposals (1) and
    # their tags (1).
    "/portal/library/?q=meetings+childcare&tag=meetings": 5,
    "/staff/library/": 5,
    # Partnerships: the LEE's partnerships with their role (1); the overview's page of
    # partnerships with members counted and last change (1), its count (1) and the open
    # barriers by kind (1); the rounds of every partnership (1).
    "/portal/partnerships/": 2,
    "/staff/partnerships/": 5,
    "/staff/partnerships/assessment/": 4,
}

# Pages of one object (their address holds its id): the first demo partnership's, as the demo
# LEE (a member) and staff, pinned the same way at scale 1 and 100.
OBJECT_PAGES = {
    "portal partnership page": ("lee", "partnerships_portal:partnership"),
    "portal self-assessment results": ("lee", "partnerships_assessment:results"),
    "portal decisions": ("lee", "partnerships_decisions:list"),
    "portal you said, we did": ("lee", "partnerships_you_said:list"),
    "staff partnership page": ("staff", "partnerships_staff:partnership"),
    "staff self-assessment rounds": ("staff", "partnerships_assessment_staff:rounds"),
}
OBJECT_EXPECTED = {
    "portal partnership page": 5,
    "portal self-assessment results": 4,
    "portal decisions": 3,
    "portal you said, we did": 3,
    "staff partnership page": 7,
    "staff self-assessment rounds": 6,
}


def seed(settings, scale: int) -> None:
    settings.DEBUG = True
    call_command("seed_demo", scale=scale, stdout=StringIO())
    settings.DEBUG = False


def counts(client) -> dict[str, int]:
    found = {}
    for account in {page.account for page in PAGES}:
        client.force_login(User.objects.get(email=ACCOUNTS[account].email))
        for page in (page for page in PAGES if page.account == account):
            assert client.get(page.path).status_code == 200, page.path
            found[page.path] = count_queries(client, page.path)
    return found


def object_counts(client) -> dict[str, int]:
    partnership = Partnership.objects.get(title=FIRST)
    found = {}
    for name, (account, url_name) in OBJECT_PAGES.items():
        client.force_login(User.objects.get(email=ACCOUNTS[account].email))
        path = reverse(url_name, kwargs={"partnership_id": partnership.pk})
        assert client.get(path).status_code == 200, path
        found[name] = count_queries(client, path)
    return found


def test_every_benchmarked_page_has_a_pinned_query_count():
    assert {page.path for page in PAGES} == set(EXPECTED)


def test_page_query_counts_are_pinned_and_do_not_grow_with_the_data(client, settings):
    seed(settings, 1)
    small = counts(client), object_counts(client)
    seed(settings, 100)
    large = counts(client), object_counts(client)

    assert small == (EXPECTED, OBJECT_EXPECTED)
    assert large == (EXPECTED, OBJECT_EXPECTED)
