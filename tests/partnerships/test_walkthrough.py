"""The whole partnership journey of the README's "Partnerships, step by step", through the real
pages, as the demo accounts (`seed_demo`) who do each step: staff (signed in with their password
and MFA code) start a partnership and add its members, Ayo (the demo LEE) among them; move it
one step up the ladder (a two-step jump without a justification is refused); record its terms of
reference; arrange a meeting with access arrangements, which Ayo sees in the portal with its
calendar file; record who attended, with Ayo's travel (Ayo's engagement, once); record a
decision with a tension and resolve it; record what Ayo said and close it as acted on (Ayo is
told, once); Ayo proposes a library resource, staff publish it and Ayo finds it by searching;
two self-assessment rounds (Ayo and the other demo accounts on the portal form, Ayo's second
answer refused; the members without a login through the service) show the trend, as a chart and
a table.
Then every partnerships periodic task, run twice at two moments, reminds exactly once.

One flow, a helper per step; each step asserts what it changed (rows, statuses, rendered text,
the messages queued and to whom)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import icalendar
import pytest
from django.core.management import call_command
from django.test import Client

from coprod.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, STAFF_EMAIL
from coprod.models import Notification, Person, User
from partnerships import tasks
from partnerships.demo.base import EXTRA_LEES, LEE_EMAIL
from partnerships.demo.meetings import AGREEMENTS
from partnerships.enums import (
    AgreementKind,
    CoproductionValue,
    MeetingStatus,
    ParticipationLevel,
    PartnershipReminderKind,
    PartnershipRole,
    PartnershipStatus,
    ResourceKind,
    ResourceStatus,
    RoundStatus,
    TensionStatus,
    YouSaidStatus,
)
from partnerships.models import (
    Agreement,
    AssessmentParticipation,
    AssessmentResponse,
    AssessmentRound,
    Decision,
    LevelChange,
    Meeting,
    MeetingInvitation,
    Organisation,
    Partnership,
    PartnershipMember,
    PartnershipReminder,
    Resource,
    YouSaidItem,
)
from partnerships.services.assessment import answer_round
from partnerships.services.meetings import meeting_source_key
from recruitment.enums import EngagementKind, EngagementStatus
from recruitment.models import Engagement
from tests.factories.core import sign_in, totp_code

pytestmark = pytest.mark.django_db

# Monday 14 June 2027, 10:00 in London: the partnership starts. Each step happens at a moment of
# its own (time stands still in between).
NOW = datetime(2027, 6, 14, 9, tzinfo=UTC)
TODAY = date(2027, 6, 14)
# The meeting: Monday 21 June 2027, 14:00 in London, two hours.
MEETING_AT = "2027-06-21T14:00"
AFTER_MEETING = datetime(2027, 6, 21, 16, 30, tzinfo=UTC)
# A week later, the second self-assessment round.
SECOND_ROUND_AT = datetime(2027, 6, 28, 9, tzinfo=UTC)
TITLE = "Survivors shaping housing advice"
REVIEW_ON = date(2027, 7, 28)
RESOURCE = "Housing advice that survivors can use"
DEMO_TERMS_REVIEW_ON = TODAY + timedelta(days=AGREEMENTS[0][4])

# Who joins the partnership, by display name, and in which role.
MEMBERS = {
    "Ayo": PartnershipRole.LEE,
    **dict.fromkeys(EXTRA_LEES, PartnershipRole.LEE),
    "Robin": PartnershipRole.PWLE,
    "Alex (support worker)": PartnershipRole.PRACTITIONER,
    "Dr Kim": PartnershipRole.RESEARCHER,
    "Jo": PartnershipRole.POLICYMAKER,
}
# The members with a demo login of their own, besides Ayo.
LOGINS = {
    "Robin": "pwle@example.org",
    "Alex (support worker)": "practitioner@example.org",
    "Dr Kim": "researcher@example.org",
    "Jo": "policymaker@example.org",
}
# The ratings of each round (the five values in order): lived experience experts, everyone else.
FIRST_RATINGS = {"lee": (3, 2, 3, 2, 2), "other": (3, 3, 3, 3, 3)}
SECOND_RATINGS = {"lee": (4, 4, 4, 4, 3), "other": (4, 4, 4, 4, 4)}
VALUES = list(CoproductionValue)


@dataclass
class Cast:
    """The signed-in browsers of the journey, and who is behind them."""

    staff: Client
    staff_user: User
    lee: Client
    lee_user: User


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def signed_in(email: str) -> Client:
    """A portal login, signed in through the sign-in form with the demo password."""
    client = Client()
    response = sign_in(client, email, DEMO_PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/")
    return client


def staff_signed_in() -> Client:
    """The demo staff login: password, then the code of the authenticator app (the demo TOTP
    secret is in coprod/demo.py)."""
    client = Client()
    password_step = sign_in(client, STAFF_EMAIL, DEMO_PASSWORD)
    assert password_step["Location"] == "/accounts/2fa/authenticate/"
    code_step = client.post("/accounts/2fa/authenticate/", {"code": totp_code(DEMO_TOTP_SECRET)})
    assert (code_step.status_code, code_step["Location"]) == (302, "/")
    return client


def sign_in_again(cast: Cast) -> None:
    """Days later, the sessions have ended: both sign in again."""
    cast.staff = staff_signed_in()
    cast.lee = signed_in(LEE_EMAIL)


def outbox() -> set[int]:
    return set(Notification.objects.values_list("pk", flat=True))


def kinds_since(before: set[int], kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).exclude(pk__in=before).order_by("person_id"))


def person(name: str) -> Person:
    return Person.objects.get(chosen_name=name)


@pytest.fixture
def cast(time_machine, settings) -> Cast:
    time_machine.move_to(NOW, tick=False)
    settings.DEBUG = True  # seed_demo runs in development only
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
    return Cast(
        staff=staff_signed_in(),
        staff_user=User.objects.get(email=STAFF_EMAIL),
        lee=signed_in(LEE_EMAIL),
        lee_user=User.objects.get(email=LEE_EMAIL),
    )


# The steps -------------------------------------------------------------------------------------


def staff_start_partnership(cast: Cast) -> Partnership:
    """ "Partnerships: where each stands on the ladder" → "Start a new partnership": the facts,
    a partner organisation, where it starts on the ladder (Inform), who agreed and why, "Create
    the partnership". Then "Add a member" for each member, Ayo as a lived experience expert."""
    overview = page(cast.staff.get("/staff/partnerships/"))
    assert "/staff/partnerships/new/" in overview
    form = page(cast.staff.get("/staff/partnerships/new/"))
    assert "Create the partnership" in form
    organisation = Organisation.objects.get(name="Survivors Forward")
    created = cast.staff.post(
        "/staff/partnerships/new/",
        {
            "title": TITLE,
            "aims": "Make housing advice something survivors can find, read and trust.",
            "lead": cast.staff_user.pk,
            "organisations": [organisation.pk],
            "starts_on": TODAY.isoformat(),
            "ends_on": "",
            "status": PartnershipStatus.ACTIVE,
            "level": ParticipationLevel.INFORM,
            "agreed_by": "Centre staff and Survivors Forward",
            "reason": "We start by telling survivor groups what we are doing and why.",
        },
        follow=True,
    )
    partnership = Partnership.objects.get(title=TITLE)
    url = f"/staff/partnerships/{partnership.pk}/"
    assert created.redirect_chain == [(url, 302)]
    shown = page(created)
    assert "The partnership is created." in shown
    assert "Inform — step 1 of 5" in shown
    assert "started at Inform" in shown
    assert (partnership.level, partnership.status, partnership.lead) == (
        ParticipationLevel.INFORM,
        PartnershipStatus.ACTIVE,
        cast.staff_user,
    )
    assert list(partnership.organisations.all()) == [organisation]
    assert list(
        LevelChange.objects.filter(partnership=partnership).values_list(
            "from_level", "to_level", "changed_on", "recorded_by"
        )
    ) == [(None, ParticipationLevel.INFORM, TODAY, cast.staff_user.pk)]

    for name, role in MEMBERS.items():
        add_url = f"/staff/partnerships/{partnership.pk}/members/add/"
        choices = cast.staff.get(add_url).context["form"].fields["person"].queryset
        assert person(name) in choices
        added = page(
            cast.staff.post(
                add_url,
                {"person": person(name).pk, "role": role, "joined_on": TODAY.isoformat()},
                follow=True,
            )
        )
        assert f"{name} is now a member." in added
    assert dict(
        PartnershipMember.objects.filter(partnership=partnership).values_list(
            "person__chosen_name", "role"
        )
    ) == {name: role.value for name, role in MEMBERS.items()}

    # The overview shows where it stands; Ayo sees it in the portal.
    assert TITLE in page(cast.staff.get("/staff/partnerships/?level=1"))
    listed = page(cast.lee.get("/portal/partnerships/"))
    assert TITLE in listed
    assert f"/portal/partnerships/{partnership.pk}/" in listed
    return partnership


def staff_move_up_the_ladder(cast: Cast, partnership: Partnership) -> None:
    """On the partnership's page, "Move on the ladder": a jump of two steps without saying why
    is refused; one step up (Consult), with who agreed and why, is recorded."""
    url = f"/staff/partnerships/{partnership.pk}/ladder/"
    assert url in page(cast.staff.get(f"/staff/partnerships/{partnership.pk}/"))
    fields = {
        "changed_on": TODAY.isoformat(),
        "agreed_by": "The partners' meeting, with the lived experience members",
        "reason": "Members asked to comment on the advice before it goes out.",
        "justification": "",
    }
    refused = cast.staff.post(url, {**fields, "to_level": ParticipationLevel.INVOLVE})
    assert "Explain why the partnership moves up more than one step at once" in page(refused)
    partnership.refresh_from_db()
    assert partnership.level == ParticipationLevel.INFORM
    assert partnership.level_changes.count() == 1

    moved = cast.staff.post(url, {**fields, "to_level": ParticipationLevel.CONSULT}, follow=True)
    shown = page(moved)
    assert "The partnership is now at Consult — step 2 of 5." in shown
    assert "from Inform to Consult" in shown
    partnership.refresh_from_db()
    assert partnership.level == ParticipationLevel.CONSULT
    change = partnership.level_changes.order_by("pk").last()
    assert (change.from_level, change.to_level, change.changed_on, change.agreed_by) == (
        ParticipationLevel.INFORM,
        ParticipationLevel.CONSULT,
        TODAY,
        fields["agreed_by"],
    )
    # Ayo sees the step and the history on the partnership's portal page.
    portal = page(cast.lee.get(f"/portal/partnerships/{partnership.pk}/"))
    assert "Consult — step 2 of 5" in portal
    assert "from Inform to Consult" in portal
    assert fields["reason"] in portal


def staff_record_agreement(cast: Cast, partnership: Partnership) -> Agreement:
    """ "Agreements" → "Add an agreement": the terms of reference, signed today, due for review
    in six weeks (a review date before the signed date is refused)."""
    url = f"/staff/partnerships/agreements/{partnership.pk}/new/"
    fields = {
        "kind": AgreementKind.TERMS_OF_REFERENCE,
        "title": "Terms of reference",
        "signed_on": TODAY.isoformat(),
        "notes": "",
    }
    refused = cast.staff.post(url, {**fields, "review_on": "2027-06-01"})
    assert "The review date must be on or after the date it was signed." in page(refused)
    saved = page(cast.staff.post(url, {**fields, "review_on": REVIEW_ON.isoformat()}, follow=True))
    assert "The agreement is saved." in saved
    agreement = Agreement.objects.get(partnership=partnership)
    assert (agreement.kind, agreement.signed_on, agreement.review_on) == (
        AgreementKind.TERMS_OF_REFERENCE,
        TODAY,
        REVIEW_ON,
    )
    return agreement


def staff_arrange_meeting(cast: Cast, partnership: Partnership) -> Meeting:
    """ "Meetings and attendance" → "Arrange a meeting": when, where and the link, the agenda,
    the access arrangements (an interpreter, travel and childcare paid, breaks, an hour's
    preparation), every member invited → "Arrange the meeting and send the invitations"."""
    list_url = f"/staff/partnerships/meetings/{partnership.pk}/"
    create_url = f"/staff/partnerships/meetings/{partnership.pk}/new/"
    assert create_url in page(cast.staff.get(list_url))
    form = cast.staff.get(create_url).context["form"]
    everyone = form.fields["invited"].initial
    before = outbox()
    arranged = cast.staff.post(
        create_url,
        {
            "title": "First meeting of the partners",
            "starts_at": MEETING_AT,
            "duration_minutes": "120",
            "place": "Survivors Forward, community room",
            "link": "https://meet.example.org/housing",
            "agenda": "1. Welcome\n2. What makes housing advice hard to use",
            "interpreter": "on",
            "interpreter_languages": "Arabic, Tigrinya",
            "travel_paid": "on",
            "childcare_paid": "on",
            "breaks": "on",
            "access_notes": "Step-free entrance. A quiet room is available.",
            "preparation_hours": "1",
            "invited": everyone,
        },
        follow=True,
    )
    assert arranged.redirect_chain == [(list_url, 302)]
    assert "The meeting is arranged and the invitations are sent." in page(arranged)
    meeting = Meeting.objects.get(partnership=partnership)
    assert (meeting.status, meeting.starts_at, meeting.duration_minutes) == (
        MeetingStatus.PLANNED,
        datetime(2027, 6, 21, 13, tzinfo=UTC),
        120,
    )
    assert (meeting.interpreter_languages, meeting.travel_paid, meeting.childcare_paid) == (
        "Arabic, Tigrinya",
        True,
        True,
    )
    members = PartnershipMember.objects.filter(partnership=partnership)
    assert sorted(meeting.invitations.values_list("member_id", flat=True)) == sorted(
        members.values_list("pk", flat=True)
    )
    invitations = kinds_since(before, "partnerships_meeting_invitation")
    assert sorted(n.person_id for n in invitations) == sorted(
        members.values_list("person_id", flat=True)
    )
    ayos = next(n for n in invitations if n.person_id == cast.lee_user.person_id)
    files = ayos.content["full"]["attachments"]
    assert [(f["filename"], f["text"].startswith("BEGIN:VCALENDAR")) for f in files] == [
        ("meeting.ics", True)
    ]
    return meeting


def lee_sees_meeting(cast: Cast, meeting: Meeting) -> None:
    """Ayo: "Partnership meetings" lists it with the support offered; "Add it to your calendar"
    downloads meeting.ics (worded neutrally: Ayo asked for discreet messages)."""
    listed = page(cast.lee.get("/portal/partnerships/meetings/"))
    assert "First meeting of the partners" in listed
    assert "An interpreter will be there. They speak: Arabic, Tigrinya." in listed
    assert "We pay your travel costs." in listed
    assert "We pay for childcare while you are at the meeting." in listed
    assert "You are paid for 1.0 hours to get ready for the meeting." in listed
    calendar_url = f"/portal/partnerships/meetings/{meeting.pk}/meeting.ics"
    assert calendar_url in listed
    download = cast.lee.get(calendar_url)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/calendar")
    assert download["Content-Disposition"] == 'attachment; filename="meeting.ics"'
    event = icalendar.Calendar.from_ical(download.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2027, 6, 21, 13, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2027, 6, 21, 15, tzinfo=UTC)
    assert str(event["summary"]) == "Meeting"
    assert b"First meeting" not in download.content


def staff_record_attendance(cast: Cast, meeting: Meeting) -> Engagement:
    """After the meeting, "Who attended": Ayo came (£8.50 travel), Noor did not, the others
    came → "Record attendance". Ayo's engagement is recorded once (recording again changes
    nothing); Ayo sees it under "Your paid work"."""
    list_url = f"/staff/partnerships/meetings/{meeting.partnership_id}/"
    url = f"/staff/partnerships/meetings/meeting/{meeting.pk}/attendance/"
    assert url in page(cast.staff.get(list_url))
    invitations = {
        i.member.person.chosen_name: i
        for i in MeetingInvitation.objects.filter(meeting=meeting).select_related("member__person")
    }
    fields = {}
    for name, invitation in invitations.items():
        fields[f"invitation_{invitation.pk}"] = "no" if name == "Noor" else "yes"
        fields[f"travel_{invitation.pk}"] = "8.50" if name == "Ayo" else ""
        fields[f"childcare_{invitation.pk}"] = ""
        fields[f"interpreter_{invitation.pk}"] = ""
    assert "Record attendance" in page(cast.staff.get(url))
    for _ in range(2):
        recorded = cast.staff.post(url, fields, follow=True)
        assert recorded.redirect_chain == [(list_url, 302)]
        assert "Attendance is recorded." in page(recorded)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    ayo = invitations["Ayo"]
    ayo.refresh_from_db()
    assert (ayo.attended, ayo.travel_cost) == (True, Decimal("8.50"))
    assert not MeetingInvitation.objects.get(pk=invitations["Noor"].pk).attended
    key = meeting_source_key(meeting)
    # The paid members who came (LEEs and the PWLE, not Noor) have an engagement each, once.
    assert sorted(
        Engagement.objects.filter(source_key=key).values_list("person__chosen_name", flat=True)
    ) == sorted(["Ayo", "Lina", "Tendai", "Robin"])
    engagement = Engagement.objects.get(source_key=key, person=cast.lee_user.person)
    assert (
        engagement.kind,
        engagement.status,
        engagement.date,
        engagement.hours,
        engagement.preparation_hours,
        engagement.travel,
    ) == (
        EngagementKind.MEETING,
        EngagementStatus.PLANNED,
        date(2027, 6, 21),
        Decimal("2.00"),
        Decimal("1.0"),
        Decimal("8.50"),
    )
    paid_work = page(cast.lee.get("/portal/paid-work/"))
    assert "First meeting of the partners" in paid_work
    return engagement


def staff_record_decision(cast: Cast, partnership: Partnership) -> Decision:
    """ "Decision log" → "Add a decision": what was decided, who decided, "Still open" with what
    the disagreement was about and the views held → "Save the decision". Then "Resolve the
    tension" → how it was resolved → "Record the resolution". Ayo sees both states."""
    list_url = f"/staff/partnerships/decisions/{partnership.pk}/"
    create_url = f"/staff/partnerships/decisions/{partnership.pk}/new/"
    assert create_url in page(cast.staff.get(list_url))
    today = AFTER_MEETING.date().isoformat()
    added = cast.staff.post(
        create_url,
        {
            "summary": "The advice is tested with survivors before the council sees it.",
            "decided_on": today,
            "decided_by": "The whole partnership, after a vote",
            "tension_status": TensionStatus.OPEN,
            "tension": "The council wanted to check the advice first.",
            "views_held": "The council: errors of fact first.\nLived experience members: "
            "survivors should be heard first.",
            "resolution": "",
        },
        follow=True,
    )
    assert added.redirect_chain == [(list_url, 302)]
    shown = page(added)
    assert "The decision is added to the log." in shown
    assert "Tension still open" in shown
    decision = Decision.objects.get(partnership=partnership)
    assert (decision.tension_status, decision.decided_on) == (
        TensionStatus.OPEN,
        AFTER_MEETING.date(),
    )
    portal_url = f"/portal/partnerships/decisions/{partnership.pk}/"
    portal = page(cast.lee.get(portal_url))
    assert "People still disagree" in portal
    assert "survivors should be heard first." in portal

    resolve_url = f"/staff/partnerships/decisions/{partnership.pk}/{decision.pk}/resolve/"
    assert resolve_url in shown
    resolution = "Survivors test it first; the council then checks facts only."
    resolved = page(cast.staff.post(resolve_url, {"resolution": resolution}, follow=True))
    assert "The tension is recorded as resolved." in resolved
    assert "Tension resolved" in resolved
    decision.refresh_from_db()
    assert (decision.tension_status, decision.resolution) == (TensionStatus.RESOLVED, resolution)
    portal = page(cast.lee.get(portal_url))
    assert "The disagreement was settled" in portal
    assert resolution in portal
    return decision


def staff_you_said_we_did(cast: Cast, partnership: Partnership) -> YouSaidItem:
    """ "You said, we did" → "Record what someone said": Ayo, the words, the date → "Save". Then
    "Close": "Acted on", the response, what changed → "Close and tell them": Ayo is told once."""
    list_url = f"/staff/partnerships/you-said/{partnership.pk}/"
    create_url = f"/staff/partnerships/you-said/{partnership.pk}/new/"
    assert create_url in page(cast.staff.get(list_url))
    said = "The advice uses words I do not understand, like 'tenancy'."
    recorded = cast.staff.post(
        create_url,
        {
            "given_by": cast.lee_user.person_id,
            "said": said,
            "said_on": AFTER_MEETING.date().isoformat(),
            "keep_words": "on",
            "response": "",
            "what_changed": "",
        },
        follow=True,
    )
    assert recorded.redirect_chain == [(list_url, 302)]
    assert "What they said is recorded." in page(recorded)
    item = YouSaidItem.objects.get(partnership=partnership)
    assert (item.given_by_id, item.status, item.anonymous, item.keep_words) == (
        cast.lee_user.person_id,
        YouSaidStatus.OPEN,
        False,
        True,
    )
    portal_url = f"/portal/partnerships/you-said/{partnership.pk}/"
    portal = page(cast.lee.get(portal_url))
    assert "We are working on it" in portal
    assert "You, 21 June 2027" in portal

    close_url = f"/staff/partnerships/you-said/{partnership.pk}/{item.pk}/close/"
    before = outbox()
    fields = {
        "status": YouSaidStatus.ACTED_ON,
        "response": "You were right: the advice was written for lawyers.",
        "what_changed": "Every hard word now has a plain explanation beside it.",
        "reason": "",
    }
    closed = page(cast.staff.post(close_url, fields, follow=True))
    assert "The item is closed. The person who said it is told what came of it." in closed
    again = page(cast.staff.post(close_url, fields, follow=True))
    assert "This item is already closed." in again
    item.refresh_from_db()
    assert (item.status, item.closed_by) == (YouSaidStatus.ACTED_ON, cast.staff_user)
    told = kinds_since(before, "partnerships_you_said_closed")
    assert [n.person_id for n in told] == [cast.lee_user.person_id]
    assert Notification.objects.exclude(pk__in=before).count() == 1
    portal = page(cast.lee.get(portal_url))
    assert "We did it" in portal
    assert "Every hard word now has a plain explanation beside it." in portal
    return item


def share_a_resource(cast: Cast, partnership: Partnership) -> Resource:
    """Ayo: "Good practice library" → "Propose a resource" → "Send it to the team". Staff:
    "Library: proposals waiting" → the resource → "Publish it" (Ayo is told). Ayo then finds it
    by searching the library, and by its tag."""
    assert "/portal/library/propose/" in page(cast.lee.get("/portal/library/"))
    form = cast.lee.get("/portal/library/propose/").context["form"]
    assert partnership in form.fields["partnership"].queryset
    proposed = cast.lee.post(
        "/portal/library/propose/",
        {
            "title": RESOURCE,
            "kind": ResourceKind.GUIDE,
            "summary": "How we rewrote housing advice with survivors, word by word.",
            "body": "Read every sentence aloud with a survivor. Explain every legal word.",
            "tags": "Housing, Plain language",
            "partnership": partnership.pk,
            "credit": "yes",
        },
        follow=True,
    )
    assert proposed.redirect_chain == [("/portal/library/yours/", 302)]
    shown = page(proposed)
    assert "Thank you. The team will look at it and tell you when it is published." in shown
    assert RESOURCE in shown
    resource = Resource.objects.get(title=RESOURCE)
    assert (resource.status, resource.proposed_by_id, resource.partnership) == (
        ResourceStatus.PROPOSED,
        cast.lee_user.person_id,
        partnership,
    )
    assert RESOURCE not in page(cast.lee.get("/portal/library/", {"q": "housing advice"}))

    queue = page(cast.staff.get("/staff/library/"))
    assert f"/staff/library/{resource.pk}/" in queue
    assert "Publish it" in page(cast.staff.get(f"/staff/library/{resource.pk}/"))
    before = outbox()
    published = page(cast.staff.post(f"/staff/library/{resource.pk}/publish/", follow=True))
    assert f"“{RESOURCE}” is published." in published
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED
    assert [n.person_id for n in kinds_since(before, "partnerships_resource_published")] == [
        cast.lee_user.person_id
    ]

    found = page(cast.lee.get("/portal/library/", {"q": "housing advice"}))
    assert f"/portal/library/{resource.pk}/" in found
    assert "Ayo" in page(cast.lee.get(f"/portal/library/{resource.pk}/"))  # named: they agreed
    by_tag = page(cast.lee.get("/portal/library/", {"tag": "housing"}))
    assert f"/portal/library/{resource.pk}/" in by_tag
    return resource


def ratings_of(name: str, pattern: dict[str, tuple[int, ...]]) -> dict[str, int]:
    ratings = pattern["lee" if MEMBERS[name] == PartnershipRole.LEE else "other"]
    return {value.value: rating for value, rating in zip(VALUES, ratings, strict=True)}


def self_assessment_round(
    cast: Cast, partnership: Partnership, title: str, pattern: dict[str, tuple[int, ...]]
) -> AssessmentRound:
    """ "Five-values self-assessment" → "Open a new round" → "Open the round". Ayo: "How is your
    partnership doing?" → the round → a rating per value → "Send my answers" (a second time is
    refused). The members without a login answer through the service. Staff: "Close the
    round"."""
    rounds_url = f"/staff/partnerships/assessment/{partnership.pk}/"
    open_url = f"/staff/partnerships/assessment/{partnership.pk}/open/"
    assert open_url in page(cast.staff.get(rounds_url))
    opened = cast.staff.post(open_url, {"title": title, "closes_on": ""}, follow=True)
    round_ = AssessmentRound.objects.get(partnership=partnership, title=title)
    assert opened.redirect_chain == [(f"/staff/partnerships/assessment/round/{round_.pk}/", 302)]
    assert "The round is open. Members see it in their things to do." in page(opened)
    assert round_.status == RoundStatus.OPEN

    answer_url = f"/portal/partnerships/assessment/round/{round_.pk}/"
    assert answer_url in page(cast.lee.get("/portal/partnerships/assessment/"))
    assert "Send my answers" in page(cast.lee.get(answer_url))
    answers = {value: str(rating) for value, rating in ratings_of("Ayo", pattern).items()}
    answers[f"{CoproductionValue.WHAT_MATTERS.value}_comment"] = f"{title}: plain words matter."
    sent = cast.lee.post(answer_url, answers, follow=True)
    assert sent.redirect_chain == [(f"{answer_url}thank-you/", 302)]
    assert "Thank you for your answers" in page(sent)
    # A second answer is refused: the page says so, and nothing more is saved.
    again = page(cast.lee.post(answer_url, answers))
    assert "You have already answered this round" in again
    assert AssessmentParticipation.objects.filter(round=round_).count() == 1
    assert AssessmentResponse.objects.filter(round=round_).count() == 1
    assert answer_url not in page(cast.lee.get("/portal/partnerships/assessment/"))

    # The other demo accounts answer on the same form; Noor, Tendai and Lina have no login:
    # they answer on paper, entered through the service.
    for name, email in LOGINS.items():
        member = signed_in(email)
        assert answer_url in page(member.get("/portal/partnerships/assessment/"))
        fields = {value: str(rating) for value, rating in ratings_of(name, pattern).items()}
        done = member.post(answer_url, fields)
        assert done["Location"] == f"{answer_url}thank-you/"
    for name in EXTRA_LEES:
        answer_round(round_, person=person(name), ratings=ratings_of(name, pattern))
    assert AssessmentParticipation.objects.filter(round=round_).count() == len(MEMBERS)

    closed = page(
        cast.staff.post(f"/staff/partnerships/assessment/round/{round_.pk}/close/", follow=True)
    )
    assert "The round is closed. Its results now show." in closed
    assert f"{len(MEMBERS)} people answered." in closed
    assert f"{title}: plain words matter." in closed  # the comment, for staff only
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    return round_


def average(pattern: dict[str, tuple[int, ...]], index: int) -> Decimal:
    ratings = [ratings_of(name, pattern)[VALUES[index].value] for name in MEMBERS]
    return (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.1"))


def trend_shows_both_rounds(cast: Cast, partnership: Partnership) -> None:
    """The staff's rounds page and Ayo's "How the partnership is doing" show both rounds in the
    trend: an SVG whose description has the averages, and a table with the same numbers."""
    expected = [
        (value.label, [average(FIRST_RATINGS, n), average(SECOND_RATINGS, n)])
        for n, value in enumerate(VALUES)
    ]
    for client, url in (
        (cast.staff, f"/staff/partnerships/assessment/{partnership.pk}/"),
        (cast.lee, f"/portal/partnerships/assessment/{partnership.pk}/results/"),
    ):
        response = client.get(url)
        shown = page(response)
        trend = response.context["trend"]
        assert [r.round.title for r in trend.rounds] == ["First check-in", "Second check-in"]
        assert trend.by_value == expected
        assert '<svg class="coprod-trend" role="img"' in shown
        for label, (first, second) in expected:
            assert f"{label}: {first}, {second}." in shown  # the SVG's description
        table = shown[shown.index('id="trend-table"') :].split("</table>")[0]
        cells = re.findall(
            r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)<', table
        )
        assert cells == [str(a) for _label, pair in expected for a in pair]
    # Four lived experience experts answered: their line shows; the other roles, one person
    # each, only in "Everyone".
    results = page(cast.lee.get(f"/portal/partnerships/assessment/{partnership.pk}/results/"))
    assert "Lived experience expert (4 people)" in results
    assert "Some roles are not shown on their own" in results


def run_every_partnerships_task(capture) -> None:
    """What Celery beat runs (partnerships/contributions.py), each as the worker runs it, twice."""
    for _ in range(2):
        with capture(execute=True):
            for task in (tasks.flag_old_you_said, tasks.remind_agreement_reviews):
                task.delay().get()


def reminders(kind: str) -> list[tuple[int, str]]:
    return sorted(
        PartnershipReminder.objects.filter(kind=kind).values_list("object_id", "occasion")
    )


def assert_each_reminder_sent_once(lead: User) -> None:
    for reminder in PartnershipReminder.objects.select_related("notification"):
        assert reminder.notification is not None
        assert reminder.notification.person_id == lead.person_id
    keys = list(
        Notification.objects.filter(kind__startswith="partnerships").values_list(
            "idempotency_key", flat=True
        )
    )
    assert len(keys) == len(set(keys))
    assert (
        Notification.objects.filter(
            kind__in=["partnerships_agreement_review", "partnerships_you_said_overdue"]
        ).count()
        == PartnershipReminder.objects.count()
    )


# The journey -----------------------------------------------------------------------------------


def test_partnerships_step_by_step_as_the_readme_walks_it(
    cast, time_machine, django_capture_on_commit_callbacks
):
    partnership = staff_start_partnership(cast)
    staff_move_up_the_ladder(cast, partnership)
    agreement = staff_record_agreement(cast, partnership)
    meeting = staff_arrange_meeting(cast, partnership)
    lee_sees_meeting(cast, meeting)

    time_machine.move_to(AFTER_MEETING, tick=False)
    sign_in_again(cast)
    staff_record_attendance(cast, meeting)
    staff_record_decision(cast, partnership)
    staff_you_said_we_did(cast, partnership)
    share_a_resource(cast, partnership)
    self_assessment_round(cast, partnership, "First check-in", FIRST_RATINGS)

    time_machine.move_to(SECOND_ROUND_AT, tick=False)
    sign_in_again(cast)
    self_assessment_round(cast, partnership, "Second check-in", SECOND_RATINGS)
    trend_shows_both_rounds(cast, partnership)

    # Thursday 1 July: the demo's terms of reference are due for review in 3 days, ours in 27;
    # the demo's old open "you said" item is flagged. Each is sent once, however often the
    # sweeps run; ours, closed, is not flagged.
    time_machine.move_to(datetime(2027, 7, 1, 7, tzinfo=UTC), tick=False)
    run_every_partnerships_task(django_capture_on_commit_callbacks)
    demo_terms = Agreement.objects.get(
        partnership__title="Survivor voices in local policing", title="Terms of reference"
    )
    first_round = [
        (demo_terms.pk, f"7-days:{DEMO_TERMS_REVIEW_ON}"),
        (agreement.pk, f"30-days:{REVIEW_ON}"),
    ]
    assert reminders(PartnershipReminderKind.AGREEMENT_REVIEW) == sorted(first_round)
    flagged = reminders(PartnershipReminderKind.YOU_SAID_OVERDUE)
    old = YouSaidItem.objects.get(
        status=YouSaidStatus.OPEN, said__startswith="The guidance should say what happens"
    )
    assert flagged == [(old.pk, "overdue")]

    # Thursday 22 July: six days before ours is due, its 7-day reminder, once; the demo's
    # anonymous item (said on 20 May) is now open more than 60 days: flagged once too.
    time_machine.move_to(datetime(2027, 7, 22, 7, tzinfo=UTC), tick=False)
    run_every_partnerships_task(django_capture_on_commit_callbacks)
    assert reminders(PartnershipReminderKind.AGREEMENT_REVIEW) == sorted(
        [*first_round, (agreement.pk, f"7-days:{REVIEW_ON}")]
    )
    anonymous = YouSaidItem.objects.get(said__startswith="I would not feel safe")
    assert anonymous.said_on == TODAY - timedelta(days=25)
    assert reminders(PartnershipReminderKind.YOU_SAID_OVERDUE) == sorted(
        [*flagged, (anonymous.pk, "overdue")]
    )
    assert_each_reminder_sent_once(cast.staff_user)
