"""The pages `make bench` measures, and the demo accounts it signs in as to see them.

Each area app adds its main pages here as they land. Every page must answer 200 to its account:
a redirect (to sign-in, or to set up MFA) would make the figures meaningless, so the run stops.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Account:
    email: str
    # Base32 TOTP secret for staff, who sign in with a code as well as the password.
    totp_secret: str = ""


@dataclass(frozen=True)
class Page:
    path: str
    account: str


# The demo accounts of coprod/demo.py (seed_demo): one password, and the staff member's TOTP
# secret. Repeated here because the load generator runs outside Django; a mismatch fails the
# sign-in, loudly, in the smoke test (tests/test_bench.py).
DEMO_PASSWORD = "coprod-demo-pass"  # noqa: S105
DEMO_TOTP_SECRET = "MNXXA4TPMQWWIZLNN4WXG5DBMZTC23LG"  # noqa: S105
ACCOUNTS = {
    "lee": Account("lee@example.org"),
    "staff": Account("staff@example.org", totp_secret=DEMO_TOTP_SECRET),
    "practitioner": Account("practitioner@example.org"),
    "researcher": Account("researcher@example.org"),
}

PAGES = [
    # The portal, as the demo LEE (at --scale 100 they have 500 messages).
    Page("/portal/", "lee"),
    Page("/portal/messages/", "lee"),
    Page("/portal/consents/", "lee"),
    Page("/portal/contact/", "lee"),
    Page("/portal/profile/", "lee"),
    Page("/portal/involvement/", "lee"),
    Page("/portal/support/", "lee"),
    Page("/portal/my-information/", "lee"),
    Page("/portal/paid-work/", "lee"),
    # Staff pages, as the demo staff member (in every staff group, signed in with MFA).
    Page("/staff/", "staff"),
    Page("/staff/invitations/", "staff"),
    Page("/staff/messages/held/", "staff"),
    Page("/staff/erasure/", "staff"),
    # The admin's biggest list.
    Page("/admin/coprod/person/", "staff"),
    # Recruitment: the person's "Getting started", and the staff's opportunities list.
    Page("/portal/getting-started/", "lee"),
    Page("/staff/recruitment/opportunities/", "staff"),
    # Recruitment: the claims waiting for approval (at --scale 100, about 5,000 of 90,000).
    Page("/staff/recruitment/claims/", "staff"),
    # Opportunities, and the LEE's applications.
    Page("/portal/opportunities/", "lee"),
    Page("/portal/opportunities/applications/", "lee"),
    # The demo practitioner's referrals.
    Page("/portal/opportunities/referrals/", "practitioner"),
    # Funding: open calls for the researcher; the demo LEE's reviews (about 1,000 at --scale 100),
    # panel seats and meeting polls; staff's calls, panels and results.
    Page("/portal/funding/", "researcher"),
    Page("/portal/funding/reviews/", "lee"),
    Page("/portal/funding/panel/", "lee"),
    Page("/portal/funding/meetings/", "lee"),
    Page("/staff/funding/calls/", "staff"),
    Page("/staff/funding/panels/", "staff"),
    Page("/staff/funding/results/", "staff"),
    # Partnerships: the demo LEE's partnerships (about 20 at --scale 100), staff's overview of
    # every partnership (about 200) and the self-assessment rounds.
    Page("/portal/partnerships/", "lee"),
    Page("/staff/partnerships/", "staff"),
    Page("/staff/partnerships/assessment/", "staff"),
    # The good-practice library: a search with a tag (about 3,000 resources at --scale 100), and
    # the staff's proposals waiting.
    Page("/portal/library/?q=meetings+childcare&tag=meetings", "lee"),
    Page("/staff/library/", "staff"),
]
