"""The core's doors (coprod.doors): an area app plugs in by declaring, not by editing the core.

Stand-in apps declare contributions here the way recruitment, funding and partnerships will."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import OuterRef
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.views import View
from django_celery_beat.models import PeriodicTask

from coprod import doors
from coprod.enums import NotificationStatus, Role, StaffGroup
from coprod.models import ErasureRequest, Invitation, Notification, Person, RoleGrant, User
from coprod.selectors import count_subquery
from funding.demo import DEMO_EXTRA_PEOPLE
from partnerships.demo.base import EXTRA_LEES
from tests.factories import NotificationFactory, make_staff, make_user
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def stand_in_app(number: int) -> doors.AppDoors:
    """An app that counts the person's sent messages (one item, one nav link, one staff link)."""
    return doors.AppDoors(
        things_to_do=[
            doors.ThingToDo(
                key=f"standin_{number}",
                count=lambda: count_subquery(
                    Notification.objects.filter(
                        person=OuterRef("pk"), status=NotificationStatus.SENT
                    )
                ),
                text=lambda count: f"Stand-in {number}: {count} sent",
                url_name="portal:messages",
            )
        ],
        portal_links=[doors.PortalLink(f"Stand-in {number}", "portal:messages", order=50)],
        staff_links=[
            doors.StaffLink(
                f"Stand-in staff page {number}",
                "staff:held_messages",
                permissions=("coprod.view_notification",),
                section=f"Stand-in {number}",
            )
        ],
    )


@pytest.fixture
def three_apps():
    with (
        doors.contributing("standin1", stand_in_app(1)),
        doors.contributing("standin2", stand_in_app(2)),
        doors.contributing("standin3", stand_in_app(3)),
    ):
        yield


def test_portal_home_shows_every_apps_things_to_do_and_links(client, three_apps):
    member = make_user(roles=[Role.PWLE])
    NotificationFactory(person=member.person, status=NotificationStatus.SENT)
    client.force_login(member)

    html = client.get("/portal/").content.decode()

    assert [f"Stand-in {n}: 1 sent" in html for n in (1, 2, 3)] == [True] * 3
    assert html.count('href="/portal/messages/">Stand-in ') == 3  # the three nav links


def test_portal_home_query_count_does_not_grow_with_three_apps_contributing(client):
    member = make_user(roles=[Role.PWLE])
    client.force_login(member)
    client.get("/portal/")
    core_only = count_queries(client, "/portal/")

    with (
        doors.contributing("standin1", stand_in_app(1)),
        doors.contributing("standin2", stand_in_app(2)),
        doors.contributing("standin3", stand_in_app(3)),
    ):
        with_three = count_queries(client, "/portal/")
        for _ in range(5):
            NotificationFactory(person=member.person, status=NotificationStatus.SENT)
            NotificationFactory(person=member.person, status=NotificationStatus.HELD)
        with_rows = count_queries(client, "/portal/")

    assert core_only == with_three == with_rows


def test_portal_home_without_anything_to_do_says_so(client):
    member = make_user(roles=[Role.PWLE])
    client.force_login(member)
    client.post(
        "/portal/contact/",
        {
            "channels": ["email"],
            "voicemail_ok": "no",
            "message_detail": "neutral",
            "person_initiates_only": "no",
        },
    )

    html = client.get("/portal/").content.decode()

    assert "There is nothing you need to do right now." in html


def test_staff_home_shows_an_apps_links_only_to_staff_with_their_permission(client, three_apps):
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))
    engagement_page = client.get("/staff/").content.decode()
    client.force_login(make_staff(StaffGroup.FINANCE))
    finance_page = client.get("/staff/").content.decode()

    assert engagement_page.count("Stand-in staff page") == 3
    assert "Stand-in staff page" not in finance_page
    assert "Invite someone" not in finance_page


# Demo data -------------------------------------------------------------------------------------


def demo_that_records(label: str, ran: list[str], after: tuple[str, ...] = ()) -> doors.AppDoors:
    return doors.AppDoors(
        demo_data=doors.DemoData(seed=lambda run: ran.append(f"{label}x{run.scale}"), after=after)
    )


def test_demo_data_runs_after_what_it_builds_on(settings):
    settings.DEBUG = True
    ran: list[str] = []

    with (
        doors.contributing("funding", demo_that_records("funding", ran, ("recruitment",))),
        doors.contributing("recruitment", demo_that_records("recruitment", ran, ("coprod",))),
        doors.contributing("partnerships", demo_that_records("partnerships", ran, ("coprod",))),
    ):
        call_command("seed_demo", "--scale", "2", stdout=StringIO())

    assert ran.index("recruitmentx2") < ran.index("fundingx2")
    assert sorted(ran) == ["fundingx2", "partnershipsx2", "recruitmentx2"]
    assert User.objects.filter(email="lee@example.org").exists()


def test_demo_data_that_cannot_be_ordered_is_refused():
    ran: list[str] = []

    with (
        doors.contributing("a", demo_that_records("a", ran, ("b",))),
        doors.contributing("b", demo_that_records("b", ran, ("a",))),
        pytest.raises(ValueError, match="cannot be ordered"),
    ):
        doors.demo_data_in_order()


def test_seed_demo_at_a_scale_adds_that_many_times_the_people_and_only_once(settings):
    settings.DEBUG = True

    call_command("seed_demo", "--scale", "10", stdout=StringIO())
    counts = (
        Person.objects.count(),
        RoleGrant.objects.count(),
        Notification.objects.count(),
        Invitation.objects.count(),
        ErasureRequest.objects.count(),
    )
    call_command("seed_demo", "--scale", "10", stdout=StringIO())

    # Funding's demo adds a few people without a login (other applicants and panel members), and
    # partnerships' a few more lived experience experts.
    assert counts[0] == 6 * 10 + len(DEMO_EXTRA_PEOPLE) + len(EXTRA_LEES)
    assert (
        Person.objects.count(),
        RoleGrant.objects.count(),
        Notification.objects.count(),
        Invitation.objects.count(),
        ErasureRequest.objects.count(),
    ) == counts
    demo = Notification.objects.filter(kind="demo")
    # The demo LEE's 50 sent messages; for the staff lists, per unit of scale beyond the first
    # a held message and an invitation, and a request to delete information per five.
    assert (demo.filter(status="sent").count(), demo.filter(status="held").count()) == (50, 9)
    assert counts[3:] == (9, 2)
    # Ayo, and every fifth of the 54 added people (indices 1, 6, ..., 51).
    # (and funding's named LEEs on its demo panels, and partnerships' in its partnerships).
    funding_lees = sum(1 for _name, role in DEMO_EXTRA_PEOPLE if role == Role.LEE)
    assert Person.objects.holding(Role.LEE).count() == 1 + 11 + funding_lees + len(EXTRA_LEES)


# Periodic tasks ------------------------------------------------------------------------------


def sync() -> None:
    call_command("sync_periodic_tasks", stdout=StringIO())


def task_rows() -> dict[str, tuple]:
    return {
        row.name: (row.task, row.enabled, str(row.interval or row.crontab))
        for row in PeriodicTask.objects.select_related("interval", "crontab")
    }


def test_sync_creates_the_declared_tasks_and_running_it_again_changes_nothing():
    sync()
    first = task_rows()
    changed = PeriodicTask.objects.values_list("date_changed", flat=True)
    stamps = list(changed)

    sync()

    # The core's own; each app's are pinned in its own tests.
    core = {name: row for name, row in first.items() if row[0].startswith("coprod.core.")}
    assert core == {
        "Send due messages": ("coprod.core.dispatch_due_notifications", True, "every minute"),
        "Delete stale form drafts": (
            "coprod.core.delete_stale_drafts",
            True,
            "15 3 * * * (m/h/dM/MY/d) Europe/London",
        ),
        "Delete old account emails to unknown addresses": (
            "coprod.core.delete_old_unlinked_account_emails",
            True,
            "25 3 * * * (m/h/dM/MY/d) Europe/London",
        ),
    }
    assert task_rows() == first
    assert list(changed) == stamps


def test_sync_follows_a_changed_schedule_and_disables_a_removed_declaration():
    nightly = doors.AppDoors(
        periodic_tasks=[doors.Periodic("Stand-in", "standin.task", every=timedelta(hours=2))]
    )
    with doors.contributing("standin", nightly):
        sync()
    faster = doors.AppDoors(
        periodic_tasks=[doors.Periodic("Stand-in", "standin.task", every=timedelta(minutes=5))]
    )
    with doors.contributing("standin", faster):
        sync()
        after_change = task_rows()["Stand-in"]

    sync()

    assert after_change == ("standin.task", True, "every 5 minutes")
    assert task_rows()["Stand-in"] == ("standin.task", False, "every 5 minutes")
    with doors.contributing("standin", faster):
        sync()
        assert task_rows()["Stand-in"][1] is True


def test_sync_leaves_a_task_staff_paused_in_the_admin_paused():
    sync()
    PeriodicTask.objects.filter(name="Delete stale form drafts").update(enabled=False)

    sync()

    assert task_rows()["Delete stale form drafts"][1] is False


def test_a_periodic_task_has_exactly_one_kind_of_schedule():
    with pytest.raises(ValueError, match="exactly one"):
        doors.Periodic("Both", "x.y", every=timedelta(minutes=1), crontab=doors.Crontab())


# Save on timeout -----------------------------------------------------------------------------


class StandInApplicationForm(View):
    """A class-based portal form of a later app, declaring drafts on its class."""

    saves_draft_on_timeout = True

    def get(self, request, pk):
        return HttpResponse("form")

    post = get


urlpatterns = [
    path("apply/<int:pk>/", StandInApplicationForm.as_view(), name="standin_apply"),
    path("other/<int:pk>/", View.as_view(), name="standin_other"),
    path("accounts/", include("allauth.urls")),
]


@pytest.mark.urls("tests.coprod.test_doors")
def test_draft_path_accepts_a_class_based_view_that_declares_drafts():
    assert doors.draft_path("/apply/12/") == "/apply/12/"
    assert doors.draft_path("/other/12/") is None
    assert doors.draft_path("/apply/" + "1" * 300 + "/") is None


def test_a_portal_link_can_hide_itself(client):
    hidden = doors.AppDoors(
        portal_links=[
            doors.PortalLink("For LEEs only", "portal:messages", visible=lambda r: False),
            doors.PortalLink("For everyone", "portal:messages"),
        ]
    )
    client.force_login(make_user(roles=[Role.PWLE]))

    with doors.contributing("standin", hidden):
        html = client.get("/portal/").content.decode()

    assert ("For LEEs only" in html, "For everyone" in html) == (False, True)


@pytest.mark.urls("tests.coprod.test_doors")
def test_draft_path_is_the_forms_canonical_path():
    assert doors.draft_path("/apply/012/") == "/apply/12/"


@pytest.mark.urls("tests.coprod.test_doors")
def test_a_timed_out_post_keeps_its_draft_under_the_forms_canonical_path(client):
    import time

    import time_machine

    from coprod.models import FormDraft

    user = make_user(roles=[Role.PWLE])
    start = time.time()
    with time_machine.travel(start, tick=False):
        client.force_login(user)
        client.get("/apply/12/")

    with time_machine.travel(start + 3 * 60 * 60, tick=False):
        client.post("/apply/012/", {"why": "Typed"})

    assert list(FormDraft.objects.values_list("path", "data")) == [
        ("/apply/12/", {"why": ["Typed"]})
    ]


# URLs ------------------------------------------------------------------------------------------


def test_an_apps_pages_are_mounted_through_its_door():
    mounted = [(item.prefix, item.module) for item in doors.url_includes()]

    assert ("portal/paid-work/", "recruitment.portal_urls") in mounted
    assert reverse("paid_work:list") == "/portal/paid-work/"


@pytest.mark.parametrize("prefix", ["paid-work/", "admin/x/", "portal/no-slash", "/portal/x/"])
def test_an_app_may_mount_pages_only_under_the_portal_or_the_staff_pages(prefix):
    with pytest.raises(ValueError, match="portal/ or staff/"):
        doors.UrlInclude(prefix, "recruitment.portal_urls")
