"""Meeting pages: staff arrange a meeting and record attendance through the forms; a meeting id of
another partnership is not found; members see their upcoming meetings with the support offered,
and download the calendar file of those they were invited to; the lists keep their query
counts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from coprod.enums import MessageDetail, StaffGroup
from coprod.models import SafeContactPreferences
from partnerships.enums import MeetingStatus, PartnershipRole
from partnerships.models import Meeting, MeetingInvitation
from recruitment.models import Engagement
from tests.factories.core import make_staff, make_user
from tests.factories.partnerships import (
    CORE_ROLES,
    MeetingFactory,
    PartnershipFactory,
    add_member,
    invite,
)
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def member_login(partnership, role=PartnershipRole.LEE, **fields):
    user = make_user(roles=CORE_ROLES[PartnershipRole(role)])
    return user, add_member(partnership, user.person, role, **fields)


def led_by_engagement_staff():
    lead = make_staff(StaffGroup.ENGAGEMENT)
    return lead, PartnershipFactory(lead=lead)


# Staff ------------------------------------------------------------------------------------------


def test_staff_arrange_a_meeting_inviting_every_member_by_default(client):
    lead, partnership = led_by_engagement_staff()
    members = [add_member(partnership), add_member(partnership, role=PartnershipRole.RESEARCHER)]
    client.force_login(lead)
    url = reverse("partnerships_meetings_staff:create", kwargs={"partnership_id": partnership.pk})
    form = client.get(url).context["form"]
    starts = timezone.localtime(timezone.now() + timedelta(days=9)).strftime("%Y-%m-%dT10:00")

    response = client.post(
        url,
        {
            "title": "Planning day",
            "starts_at": starts,
            "duration_minutes": "120",
            "link": "https://meet.example.org/plan",
            "interpreter": "on",
            "interpreter_languages": "Arabic",
            "breaks": "on",
            "preparation_hours": "1",
            "invited": form.fields["invited"].initial,
        },
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.title, meeting.interpreter_languages, meeting.partnership) == (
        "Planning day",
        "Arabic",
        partnership,
    )
    assert sorted(meeting.invitations.values_list("member_id", flat=True)) == sorted(
        m.pk for m in members
    )


@pytest.mark.parametrize("name", ["create", "invite"])
def test_who_to_invite_lists_only_current_members_of_this_partnership(client, name):
    lead, partnership = led_by_engagement_staff()
    current = add_member(partnership)
    left = add_member(partnership, left_on=timezone.localdate() - timedelta(days=1))
    elsewhere = add_member(PartnershipFactory())
    meeting = MeetingFactory(partnership=partnership)
    client.force_login(lead)
    kwargs = {"partnership_id": partnership.pk} if name == "create" else {"meeting_id": meeting.pk}
    url = reverse(f"partnerships_meetings_staff:{name}", kwargs=kwargs)

    listed = client.get(url)
    posted = client.post(url, {"invited": [left.pk, elsewhere.pk]})

    assert list(listed.context["form"].fields["invited"].choices) == [
        (current.pk, current.person.display_name)
    ]
    text = listed.content.decode()
    assert left.person.display_name not in text
    assert elsewhere.person.display_name not in text
    assert posted.status_code == 200
    assert "invited" in posted.context["form"].errors
    assert MeetingInvitation.objects.filter(member__in=[left, elsewhere]).count() == 0


def test_staff_form_refuses_a_meeting_with_neither_place_nor_link(client):
    lead, partnership = led_by_engagement_staff()
    member = add_member(partnership)
    client.force_login(lead)

    response = client.post(
        reverse("partnerships_meetings_staff:create", kwargs={"partnership_id": partnership.pk}),
        {
            "title": "Nowhere",
            "starts_at": "2030-01-01T10:00",
            "duration_minutes": "60",
            "preparation_hours": "0",
            "invited": [member.pk],
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "place": ["Enter where the meeting is, or a link to join it online."]
    }
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "starts_at"),
    [("create", "9999-12-31T23:00"), ("edit", "9999-12-31T23:00"), ("edit", "0001-01-01T10:00")],
)
def test_staff_form_refuses_a_start_years_away_on_its_field(client, name, starts_at):
    lead, partnership = led_by_engagement_staff()
    member = add_member(partnership)
    meeting = MeetingFactory(partnership=partnership, title="Planning day")
    client.force_login(lead)
    kwargs = {"partnership_id": partnership.pk} if name == "create" else {"meeting_id": meeting.pk}

    response = client.post(
        reverse(f"partnerships_meetings_staff:{name}", kwargs=kwargs),
        {
            "title": "Moved far away",
            "starts_at": starts_at,
            "duration_minutes": "120",
            "place": "Room 2",
            "preparation_hours": "0",
            "invited": [member.pk],
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "starts_at": ["Enter a date within 3 years of today."]
    }
    assert list(Meeting.objects.values_list("title", flat=True)) == ["Planning day"]


def test_staff_record_attendance_with_costs_through_the_form(client):
    lead, partnership = led_by_engagement_staff()
    lee = add_member(partnership)
    researcher = add_member(partnership, role=PartnershipRole.RESEARCHER)
    meeting = MeetingFactory(partnership=partnership, starts_at=timezone.now() - timedelta(hours=2))
    one, two = invite(meeting, lee), invite(meeting, researcher)
    client.force_login(lead)

    response = client.post(
        reverse("partnerships_meetings_staff:attendance", kwargs={"meeting_id": meeting.pk}),
        {
            f"invitation_{one.pk}": "yes",
            f"travel_{one.pk}": "8.20",
            f"interpreter_{one.pk}": "40",
            f"invitation_{two.pk}": "no",
        },
    )

    assert response.status_code == 302
    engagement = Engagement.objects.get()
    assert (engagement.person, engagement.travel, engagement.interpreter) == (
        lee.person,
        Decimal("8.20"),
        Decimal("40.00"),
    )
    assert sorted(
        MeetingInvitation.objects.filter(meeting=meeting).values_list("member_id", "attended")
    ) == sorted([(lee.pk, True), (researcher.pk, False)])


def test_attendance_form_shows_a_refusal_on_the_members_row(client):
    lead, partnership = led_by_engagement_staff()
    member = add_member(partnership, role=PartnershipRole.PRACTITIONER)
    meeting = MeetingFactory(partnership=partnership, starts_at=timezone.now() - timedelta(hours=2))
    invitation = invite(meeting, member)
    client.force_login(lead)

    response = client.post(
        reverse("partnerships_meetings_staff:attendance", kwargs={"meeting_id": meeting.pk}),
        {f"invitation_{invitation.pk}": "no", f"travel_{invitation.pk}": "5"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"invitation_{invitation.pk}": [
            f"{member.person.display_name} did not attend, so no costs can be paid for them here."
        ]
    }
    invitation.refresh_from_db()
    assert invitation.attended is None


@pytest.mark.parametrize("name", ["edit", "invite", "cancel", "attendance"])
def test_a_meeting_id_of_another_partnership_is_not_found(client, name):
    lead, mine = led_by_engagement_staff()
    MeetingFactory(partnership=mine)
    other = PartnershipFactory()
    theirs = MeetingFactory(partnership=other, starts_at=timezone.now() + timedelta(days=3))
    invitation = invite(theirs, add_member(other))
    client.force_login(lead)
    url = reverse(f"partnerships_meetings_staff:{name}", kwargs={"meeting_id": theirs.pk})

    got = client.get(url)
    posted = client.post(url, {f"invitation_{invitation.pk}": "yes", "title": "Taken over"})

    assert (got.status_code, posted.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert (theirs.title, theirs.status) != ("Taken over", MeetingStatus.CANCELLED)
    assert theirs.status == MeetingStatus.PLANNED


def test_a_partnership_id_the_lead_does_not_lead_is_not_found(client):
    lead, _mine = led_by_engagement_staff()
    other = PartnershipFactory()
    add_member(other)
    client.force_login(lead)

    listed = client.get(
        reverse("partnerships_meetings_staff:list", kwargs={"partnership_id": other.pk})
    )
    created = client.post(
        reverse("partnerships_meetings_staff:create", kwargs={"partnership_id": other.pk}),
        {"title": "x"},
    )

    assert (listed.status_code, created.status_code) == (404, 404)
    assert Meeting.objects.count() == 0


def test_staff_meeting_list_queries_do_not_grow_and_are_pinned(client):
    lead, partnership = led_by_engagement_staff()
    member = add_member(partnership)
    MeetingFactory()  # another partnership's: not listed
    client.force_login(lead)
    url = reverse("partnerships_meetings_staff:list", kwargs={"partnership_id": partnership.pk})

    def add_row():
        meeting = MeetingFactory(partnership=partnership)
        invite(meeting, member)

    count = assert_queries_do_not_grow(client, url, add_row)

    response = client.get(url)
    assert [row["meeting"].n_invited for row in response.context["rows"]] == [1, 1, 1, 1]
    assert count == 5


def test_attendance_page_queries_do_not_grow_and_are_pinned(client):
    lead, partnership = led_by_engagement_staff()
    meeting = MeetingFactory(partnership=partnership, starts_at=timezone.now() - timedelta(hours=1))
    client.force_login(lead)
    url = reverse("partnerships_meetings_staff:attendance", kwargs={"meeting_id": meeting.pk})

    count = assert_queries_do_not_grow(
        client, url, lambda: invite(meeting, add_member(partnership))
    )

    response = client.get(url)
    assert len(response.context["form"].invitation_ids) == 4
    assert count == 5


def test_invite_page_queries_do_not_grow_with_those_invited_and_not(client):
    lead, partnership = led_by_engagement_staff()
    meeting = MeetingFactory(partnership=partnership)
    client.force_login(lead)
    url = reverse("partnerships_meetings_staff:invite", kwargs={"meeting_id": meeting.pk})

    def add_rows():
        invite(meeting, add_member(partnership))
        add_member(partnership, role=PartnershipRole.RESEARCHER)

    count = assert_queries_do_not_grow(client, url, add_rows)

    response = client.get(url)
    assert (
        len(response.context["invited"]),
        len(response.context["form"].fields["invited"].choices),
    ) == (4, 4)
    assert count == 6


# Portal -----------------------------------------------------------------------------------------


def test_members_see_their_upcoming_meetings_with_the_support_offered(client):
    partnership = PartnershipFactory(title="Safe work pathways")
    user, member = member_login(partnership)
    mine = MeetingFactory(
        partnership=partnership,
        title="Steering group",
        interpreter=True,
        interpreter_languages="Tigrinya",
        travel_paid=True,
        childcare_paid=False,
        preparation_hours=Decimal("1.5"),
    )
    invite(mine, member)
    MeetingFactory(partnership=partnership, title="Not invited to this one")
    invite(MeetingFactory(title="Another partnership's"), add_member(PartnershipFactory()))
    past = MeetingFactory(
        partnership=partnership, title="Last month", starts_at=timezone.now() - timedelta(days=30)
    )
    invite(past, member)
    client.force_login(user)

    response = client.get(reverse("partnerships_meetings:list"))

    assert [row["meeting"].title for row in response.context["rows"]] == ["Steering group"]
    text = response.content.decode()
    assert "An interpreter will be there. They speak: Tigrinya." in text
    assert "We pay your travel costs." in text
    assert "We pay for childcare" not in text
    assert "You are paid for 1.5 hours to get ready for the meeting." in text
    assert "Tell us what you need to take part" in text


def test_a_member_who_left_no_longer_sees_the_meetings(client):
    partnership = PartnershipFactory()
    user, member = member_login(partnership, left_on=timezone.localdate() - timedelta(days=1))
    meeting = MeetingFactory(partnership=partnership)
    invite(meeting, member)
    client.force_login(user)

    listed = client.get(reverse("partnerships_meetings:list"))
    calendar = client.get(
        reverse("partnerships_meetings:calendar", kwargs={"meeting_id": meeting.pk})
    )

    assert (listed.context["rows"], calendar.status_code) == ([], 404)


def _event(response):
    return next(iter(icalendar.Calendar.from_ical(response.content).walk("VEVENT")))


def test_calendar_download_is_neutral_unless_the_member_chose_full_detail(client):
    partnership = PartnershipFactory()
    user, member = member_login(partnership)
    meeting = MeetingFactory(partnership=partnership, title="Steering group", place="Room 2")
    invite(meeting, member)
    client.force_login(user)
    url = reverse("partnerships_meetings:calendar", kwargs={"meeting_id": meeting.pk})

    neutral = client.get(url)
    SafeContactPreferences.objects.filter(person=user.person).update(
        message_detail=MessageDetail.FULL
    )
    full = client.get(url)

    assert neutral["Content-Type"] == "text/calendar; charset=utf-8"
    assert neutral["Content-Disposition"] == 'attachment; filename="meeting.ics"'
    assert (str(_event(neutral)["SUMMARY"]), "LOCATION" in _event(neutral)) == ("Meeting", False)
    assert (str(_event(full)["SUMMARY"]), str(_event(full)["LOCATION"])) == (
        "Steering group",
        "Room 2",
    )
    assert _event(full)["UID"] == _event(neutral)["UID"]


def test_calendar_of_a_meeting_not_invited_to_is_not_found(client):
    partnership = PartnershipFactory()
    user, _member = member_login(partnership)
    meeting = MeetingFactory(partnership=partnership)
    invite(meeting, add_member(partnership))
    client.force_login(user)

    response = client.get(
        reverse("partnerships_meetings:calendar", kwargs={"meeting_id": meeting.pk})
    )

    assert response.status_code == 404


def test_portal_meeting_list_queries_do_not_grow_and_are_pinned(client):
    partnership = PartnershipFactory()
    user, member = member_login(partnership)
    client.force_login(user)

    def add_row():
        invite(MeetingFactory(partnership=partnership), member)

    count = assert_queries_do_not_grow(client, reverse("partnerships_meetings:list"), add_row)

    response = client.get(reverse("partnerships_meetings:list"))
    assert len(response.context["rows"]) == 4
    assert count == 2


def test_admin_shows_agreements_and_meetings_read_only(client):
    from tests.factories.partnerships import AgreementFactory, make_partnerships_staff

    agreement = AgreementFactory(title="Terms in the admin")
    meeting = MeetingFactory(title="Meeting in the admin")
    invite(meeting, add_member(meeting.partnership))
    client.force_login(make_partnerships_staff())

    agreements = client.get("/admin/partnerships/agreement/")
    meetings = client.get(f"/admin/partnerships/meeting/{meeting.pk}/change/")
    refused = client.post(
        f"/admin/partnerships/agreement/{agreement.pk}/change/", {"title": "Changed"}
    )

    assert "Terms in the admin" in agreements.content.decode()
    assert "Meeting in the admin" in meetings.content.decode()
    assert refused.status_code == 403
    agreement.refresh_from_db()
    assert agreement.title == "Terms in the admin"
