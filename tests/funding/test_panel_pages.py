"""The panel pages: staff build a panel, start scoring and assign; members accept the terms and
declare; the chair and staff decide conflicts. What each page shows and hides, what each form
saves (all or nothing), and query counts that do not grow with rows."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from coprod.enums import Role
from funding.enums import CallStatus, ConflictCategory, ConflictDecision, PanelRole
from funding.models import ConflictDeclaration, Panel, PanelMember, Review
from funding.permissions import may_open_proposal
from funding.services import add_member, answer_field
from tests.factories.core import make_person, make_user
from tests.factories.funding import (
    CallFactory,
    PanelFactory,
    ProposalFactory,
    declare_clear,
    make_funding_staff,
    seat,
)
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

STAFF = "/staff/funding/panels"
PORTAL = "/portal/funding/panel"


# Staff -------------------------------------------------------------------------------------------


def test_staff_create_a_panel_for_a_call(client):
    call = CallFactory(status=CallStatus.DRAFT, title="Safer housing")
    client.force_login(make_funding_staff())

    response = client.post(
        f"{STAFF}/calls/{call.pk}/new/",
        {
            "confidentiality_terms": "Keep it private.",
            "lee_one_in": "3",
            "needs_every_role": "on",
            "reviewers_per_proposal": "2",
            "scoring_deadline": "2030-01-31T17:00",
            "lee_flag_threshold": "15",
            "disagreement_threshold": "30",
            "quorum": "",
        },
    )

    panel = Panel.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{STAFF}/{panel.pk}/"
    assert (panel.call, panel.reviewers_per_proposal) == (call, 2)


def test_the_panel_page_warns_what_the_composition_misses(client):
    panel = PanelFactory()
    seat(panel, PanelRole.RESEARCHER)
    client.force_login(make_funding_staff())

    page = client.get(f"{STAFF}/{panel.pk}/").content.decode()

    assert "does not meet its composition rule" in page
    assert "It has no member in the seat “Policymaker”." in page


def test_people_are_found_by_display_name_and_never_by_legal_name(client):
    panel = PanelFactory()
    make_person(roles=[Role.LEE], chosen_name="Amara", legal_name="Zed Secret")
    make_person(roles=[Role.RESEARCHER], chosen_name="Amaro")
    client.force_login(make_funding_staff())

    found = client.get(f"{STAFF}/{panel.pk}/members/add/", {"role": "lee", "q": "ama"})
    by_legal = client.get(f"{STAFF}/{panel.pk}/members/add/", {"role": "lee", "q": "Secret"})

    page = found.content.decode()
    assert "Amara" in page
    assert "Amaro" not in page  # not an LEE
    assert "Zed Secret" not in page
    assert "Amara" not in by_legal.content.decode()


def test_staff_add_a_member_as_chair(client):
    panel = PanelFactory()
    person = make_person(roles=[Role.POLICYMAKER], chosen_name="Pat")
    client.force_login(make_funding_staff())

    client.post(
        f"{STAFF}/{panel.pk}/members/add/",
        {"person": person.pk, "role": "policymaker", "is_chair": "on"},
    )

    member = PanelMember.objects.get()
    assert (member.person, member.role, member.is_chair) == (person, "policymaker", True)


def test_start_scoring_without_the_rule_shows_why_and_changes_nothing(client):
    panel = PanelFactory(scoring_started_at=None, call__status=CallStatus.CLOSED)
    seat(panel, PanelRole.RESEARCHER)
    client.force_login(make_funding_staff())

    response = client.post(f"{STAFF}/{panel.pk}/start/", {"override_reason": ""})

    assert response.status_code == 400
    assert "Say why scoring starts anyway" in response.content.decode()
    panel.refresh_from_db()
    assert panel.scoring_started_at is None


def test_staff_decide_a_conflict_with_a_reason(client):
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE)
    declaration = ConflictDeclaration.objects.get(member=member)
    ConflictDeclaration.objects.filter(pk=declaration.pk).update(
        conflicted=True,
        category=ConflictCategory.SUPPORTED_ME,
        description="Years ago.",
        decision=ConflictDecision.PENDING,
    )
    client.force_login(make_funding_staff())

    missing = client.post(f"{STAFF}/{panel.pk}/conflicts/{declaration.pk}/", {"decision": "waived"})
    done = client.post(
        f"{STAFF}/{panel.pk}/conflicts/{declaration.pk}/",
        {"decision": "waived", "decision_reason": "Ten years ago."},
    )

    assert missing.status_code == 400
    assert done.status_code == 302
    declaration.refresh_from_db()
    assert (declaration.decision, declaration.decision_reason) == ("waived", "Ten years ago.")
    assert may_open_proposal(member.person.user, proposal)


def test_automatic_assignment_from_the_page_shows_the_loads(client):
    panel = PanelFactory(reviewers_per_proposal=1)
    ProposalFactory(call=panel.call, title="First")
    lee = seat(panel, PanelRole.LEE)
    client.force_login(make_funding_staff())

    response = client.post(f"{STAFF}/{panel.pk}/assignments/auto/")

    assert response.status_code == 200
    assert "1 assignment made." in response.content.decode()
    assert Review.objects.get().member == lee


def test_assigning_a_conflicted_member_by_hand_shows_why(client):
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE)
    ConflictDeclaration.objects.filter(member=member).update(
        conflicted=True,
        category=ConflictCategory.WORK,
        description="x",
        decision=ConflictDecision.EXCLUDED,
    )
    client.force_login(make_funding_staff())

    response = client.post(
        f"{STAFF}/{panel.pk}/assignments/add/", {"proposal": proposal.pk, "member": member.pk}
    )

    assert response.status_code == 400
    assert "kept out of this proposal by a conflict" in response.content.decode()
    assert not Review.objects.exists()


def test_the_assignments_page_queries_do_not_grow_from_1_to_30_proposals(client):
    panel = PanelFactory()
    lee = seat(panel, PanelRole.LEE)
    researcher = seat(panel, PanelRole.RESEARCHER)
    client.force_login(make_funding_staff())

    def add_row():
        proposal = ProposalFactory(call=panel.call)
        Review.objects.create(member=lee, proposal=proposal)
        Review.objects.create(member=researcher, proposal=proposal)

    assert_queries_do_not_grow(client, f"{STAFF}/{panel.pk}/assignments/", add_row, rows=(1, 30))


def test_the_panel_list_queries_do_not_grow(client):
    client.force_login(make_funding_staff())

    assert_queries_do_not_grow(client, f"{STAFF}/", lambda: PanelFactory(), rows=(1, 5))


def test_the_conflict_list_queries_do_not_grow(client):
    panel = PanelFactory()
    client.force_login(make_funding_staff())

    def add_row():
        proposal = ProposalFactory(call=panel.call)
        member = seat(panel, PanelRole.LEE, ready=False)
        ConflictDeclaration.objects.create(
            member=member,
            proposal=proposal,
            conflicted=True,
            category=ConflictCategory.WORK,
            description="x",
            decision=ConflictDecision.PENDING,
        )

    assert_queries_do_not_grow(client, f"{STAFF}/{panel.pk}/conflicts/", add_row)


# Members -----------------------------------------------------------------------------------------


def test_the_terms_page_shows_nothing_of_any_proposal(client):
    panel = PanelFactory()
    ProposalFactory(call=panel.call, title="Secret title", summary="Secret summary")
    member = seat(panel, PanelRole.LEE, ready=False)
    client.force_login(member.person.user)

    page = client.get(f"{PORTAL}/{member.pk}/").content.decode()

    assert "Do not share proposals, scores or what the panel says" in page
    assert "Secret title" not in page
    assert "Secret summary" not in page


def test_the_declaration_page_shows_title_team_and_applicant_but_not_the_summary(client):
    panel = PanelFactory()
    proposal = ProposalFactory(
        call=panel.call,
        title="Housing study",
        team="Dr Ahmed",
        summary="Secret summary",
        description="Secret description",
        applicant=make_person(roles=[Role.RESEARCHER], chosen_name="Robin"),
    )
    member = seat(panel, PanelRole.LEE, ready=False)
    client.force_login(member.person.user)
    client.post(f"{PORTAL}/{member.pk}/", {"confirm": ""})

    page = client.get(f"{PORTAL}/{member.pk}/declare/").content.decode()

    assert "Housing study" in page
    assert "Dr Ahmed" in page
    assert "Robin" in page
    assert "Secret summary" not in page
    assert "Secret description" not in page
    assert not may_open_proposal(member.person.user, proposal)
    assert "own_proposal" not in page


def test_declaring_before_accepting_the_terms_sends_back_to_the_terms(client):
    panel = PanelFactory()
    ProposalFactory(call=panel.call, title="Housing study")
    member = seat(panel, PanelRole.LEE, ready=False)
    client.force_login(member.person.user)

    response = client.get(f"{PORTAL}/{member.pk}/declare/")

    assert response["Location"] == f"{PORTAL}/{member.pk}/"


def test_declarations_with_an_error_save_nothing_and_show_it_by_the_proposal(client):
    panel = PanelFactory()
    first = ProposalFactory(call=panel.call)
    second = ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE, ready=False)
    client.force_login(member.person.user)
    client.post(f"{PORTAL}/{member.pk}/", {"confirm": ""})

    response = client.post(
        f"{PORTAL}/{member.pk}/declare/",
        {
            answer_field(first.pk, "conflict"): "no",
            answer_field(second.pk, "conflict"): "yes",
            answer_field(second.pk, "category"): ConflictCategory.USED_SERVICES,
        },
    )

    assert response.status_code == 400
    assert "Say in a few words what the conflict is" in response.content.decode()
    assert not ConflictDeclaration.objects.exists()


def test_a_member_declares_and_then_opens_the_clear_proposal_only(client):
    panel = PanelFactory()
    clear = ProposalFactory(call=panel.call)
    conflicted = ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE, ready=False)
    user = member.person.user
    client.force_login(user)
    client.post(f"{PORTAL}/{member.pk}/", {"confirm": ""})

    response = client.post(
        f"{PORTAL}/{member.pk}/declare/",
        {
            answer_field(clear.pk, "conflict"): "no",
            answer_field(conflicted.pk, "conflict"): "yes",
            answer_field(conflicted.pk, "category"): ConflictCategory.SUPPORTS_ME,
            answer_field(conflicted.pk, "description"): "They support me now.",
        },
    )

    assert response.status_code == 302
    assert may_open_proposal(user, clear)
    assert not may_open_proposal(user, conflicted)
    declaration = ConflictDeclaration.objects.get(member=member, proposal=conflicted)
    assert (declaration.category, declaration.decision) == ("supports_me", "pending")


def test_another_members_seat_is_not_found(client):
    panel = PanelFactory()
    member = seat(panel, PanelRole.LEE, ready=False)
    client.force_login(make_user(roles=[Role.LEE]))

    assert client.get(f"{PORTAL}/{member.pk}/").status_code == 404


def test_the_chair_decides_a_members_conflict_from_the_portal(client):
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    chair = seat(panel, PanelRole.POLICYMAKER, is_chair=True)
    member = seat(panel, PanelRole.LEE)
    declaration = ConflictDeclaration.objects.get(member=member)
    ConflictDeclaration.objects.filter(pk=declaration.pk).update(
        conflicted=True,
        category=ConflictCategory.PERSONAL,
        description="A friend.",
        decision=ConflictDecision.PENDING,
    )
    client.force_login(chair.person.user)

    listed = client.get(f"{PORTAL}/{chair.pk}/conflicts/").content.decode()
    client.post(
        f"{PORTAL}/{chair.pk}/conflicts/{declaration.pk}/",
        {"decision": "continue", "decision_reason": "Not close."},
    )

    assert proposal.title in listed
    declaration.refresh_from_db()
    assert (declaration.decision, declaration.decided_by) == ("continue", chair.person.user)


def test_a_conflicted_chair_cannot_decide_on_that_proposal(client):
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    chair = seat(panel, PanelRole.POLICYMAKER, is_chair=True)
    ConflictDeclaration.objects.filter(member=chair).update(
        conflicted=True,
        category=ConflictCategory.WORK,
        description="Colleague.",
        decision=ConflictDecision.CONTINUE,
    )
    member = seat(panel, PanelRole.LEE)
    declaration = ConflictDeclaration.objects.get(member=member, proposal=proposal)
    ConflictDeclaration.objects.filter(pk=declaration.pk).update(
        conflicted=True,
        category=ConflictCategory.PERSONAL,
        description="A friend.",
        decision=ConflictDecision.PENDING,
    )
    client.force_login(chair.person.user)

    response = client.post(
        f"{PORTAL}/{chair.pk}/conflicts/{declaration.pk}/",
        {"decision": "waived", "decision_reason": "Fine."},
    )

    # Other conflicts on a proposal the chair is conflicted on do not exist for them.
    assert response.status_code == 404
    declaration.refresh_from_db()
    assert declaration.decision == ConflictDecision.PENDING


def test_a_member_sees_their_seats_and_what_is_left_to_do(client):
    panel = PanelFactory(call__title="Safer housing")
    member = seat(panel, PanelRole.LEE, ready=False)
    seat(PanelFactory(call__title="Someone else's panel"), PanelRole.LEE)
    client.force_login(member.person.user)

    page = client.get(f"{PORTAL}/").content.decode()

    assert "Safer housing" in page
    assert "Please accept the confidentiality terms." in page
    assert "Someone else&#x27;s panel" not in page
    assert "Someone else" not in page


def test_the_seat_list_queries_do_not_grow(client):
    user = make_user(roles=[Role.LEE])
    client.force_login(user)

    def add_row():
        PanelMember.objects.create(panel=PanelFactory(), person=user.person, role=PanelRole.LEE)

    assert_queries_do_not_grow(client, f"{PORTAL}/", add_row)


def test_an_excluded_member_is_not_offered_the_proposal_on_their_seat_page(client):
    panel = PanelFactory()
    clear = ProposalFactory(call=panel.call, title="Clear proposal")
    kept_out = ProposalFactory(call=panel.call, title="Kept-out proposal")
    member = seat(panel, PanelRole.LEE)
    staff = make_funding_staff()
    ConflictDeclaration.objects.filter(member=member, proposal=kept_out).update(
        conflicted=True,
        category=ConflictCategory.SUPPORTS_ME,
        description="They support me now.",
        decision=ConflictDecision.PENDING,
    )
    declaration = ConflictDeclaration.objects.get(member=member, proposal=kept_out)
    client.force_login(staff)
    client.post(f"{STAFF}/{panel.pk}/conflicts/{declaration.pk}/", {"decision": "excluded"})
    client.force_login(member.person.user)

    page = client.get(f"{PORTAL}/{member.pk}/").content.decode()

    assert "Clear proposal" in page
    assert "Kept-out proposal" not in page
    assert may_open_proposal(member.person.user, clear)
    assert not may_open_proposal(member.person.user, kept_out)
    assert not member.person.user.has_perm("funding.review_proposal", kept_out)
    declaration.refresh_from_db()
    assert declaration.decision == ConflictDecision.EXCLUDED


def test_an_applicant_on_the_panel_is_not_asked_about_their_own_proposal(client):
    panel = PanelFactory()
    user = make_user(roles=[Role.RESEARCHER])
    own = ProposalFactory(call=panel.call, title="My own study", applicant=user.person)
    other = ProposalFactory(call=panel.call, title="Another study")
    member = add_member(panel, user.person, by=make_funding_staff(), role=PanelRole.RESEARCHER)
    client.force_login(user)
    client.post(f"{PORTAL}/{member.pk}/", {"confirm": ""})

    page = client.get(f"{PORTAL}/{member.pk}/declare/").content.decode()

    assert f'name="{answer_field(other.pk, "conflict")}"' in page
    assert f'name="{answer_field(own.pk, "conflict")}"' not in page
    assert ConflictDeclaration.objects.get(member=member).category == "own_proposal"


def test_the_portal_asks_a_member_to_declare_for_a_proposal_that_arrived_later(client):
    panel = PanelFactory()
    ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE)
    client.force_login(member.person.user)
    before = client.get("/portal/").content.decode()

    ProposalFactory(call=panel.call)
    after = client.get("/portal/").content.decode()

    thing = "A funding panel: accept its confidentiality terms and declare any conflicts"
    assert thing not in before
    assert thing in after


def test_reading_a_conflict_to_decide_is_recorded_without_its_words(client):
    panel = PanelFactory()
    ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE)
    declaration = ConflictDeclaration.objects.get(member=member)
    ConflictDeclaration.objects.filter(pk=declaration.pk).update(
        conflicted=True,
        category=ConflictCategory.SUPPORTS_ME,
        description="My caseworker is there.",
        decision=ConflictDecision.PENDING,
    )
    staff = make_funding_staff()
    client.force_login(staff)

    page = client.get(f"{STAFF}/{panel.pk}/conflicts/{declaration.pk}/").content.decode()

    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).get()
    assert "My caseworker is there." in page
    assert (entry.actor, entry.object_pk) == (staff, str(declaration.pk))
    assert entry.additional_data == {"fields": ["description"], "context": "funding_conflict"}
    assert "caseworker" not in str(entry.changes)


def test_the_chairs_conflict_list_queries_do_not_grow(client):
    panel = PanelFactory()
    chair = seat(panel, PanelRole.POLICYMAKER, is_chair=True)
    client.force_login(chair.person.user)

    def add_row():
        proposal = ProposalFactory(call=panel.call, title="Row to decide")
        declare_clear(chair, [proposal])  # the chair sees conflicts only where they are clear
        ConflictDeclaration.objects.create(
            member=seat(panel, PanelRole.LEE, ready=False),
            proposal=proposal,
            conflicted=True,
            category=ConflictCategory.WORK,
            description="x",
            decision=ConflictDecision.PENDING,
        )

    assert_queries_do_not_grow(client, f"{PORTAL}/{chair.pk}/conflicts/", add_row)
    page = client.get(f"{PORTAL}/{chair.pk}/conflicts/").content.decode()
    assert page.count('<td class="govuk-table__cell">Row to decide</td>') == 4


def test_the_declare_page_queries_do_not_grow(client):
    panel = PanelFactory()
    member = seat(panel, PanelRole.LEE, ready=False)
    PanelMember.objects.filter(pk=member.pk).update(confidentiality_accepted_at=timezone.now())
    client.force_login(member.person.user)

    def add_row():
        ProposalFactory(call=panel.call, title="To declare")
        answered = ProposalFactory(call=panel.call, title="Answered")
        ConflictDeclaration.objects.create(member=member, proposal=answered, conflicted=False)

    assert_queries_do_not_grow(client, f"{PORTAL}/{member.pk}/declare/", add_row)
    page = client.get(f"{PORTAL}/{member.pk}/declare/").content.decode()
    assert page.count("Answered: no conflict") == 4


def test_the_seat_page_queries_do_not_grow(client):
    panel = PanelFactory()
    member = seat(panel, PanelRole.LEE)
    client.force_login(member.person.user)

    def add_row():
        declare_clear(member, [ProposalFactory(call=panel.call, title="Openable")])

    assert_queries_do_not_grow(client, f"{PORTAL}/{member.pk}/", add_row)
    assert client.get(f"{PORTAL}/{member.pk}/").content.decode().count("<li>Openable</li>") == 4


def test_the_panel_page_queries_do_not_grow(client):
    panel = PanelFactory()
    client.force_login(make_funding_staff())

    assert_queries_do_not_grow(
        client, f"{STAFF}/{panel.pk}/", lambda: seat(panel, PanelRole.LEE, ready=False)
    )


def test_the_member_search_queries_do_not_grow(client):
    panel = PanelFactory()
    client.force_login(make_funding_staff())

    assert_queries_do_not_grow(
        client,
        f"{STAFF}/{panel.pk}/members/add/?role=lee&q=Ama",
        lambda: make_person(roles=[Role.LEE], chosen_name="Amara"),
    )


def test_the_assignments_page_flags_a_reviewer_kept_out_since(client):
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE)
    Review.objects.create(member=member, proposal=proposal)
    ConflictDeclaration.objects.filter(member=member).update(
        conflicted=True,
        category=ConflictCategory.WORK,
        description="x",
        decision=ConflictDecision.EXCLUDED,
    )
    client.force_login(make_funding_staff())

    page = client.get(f"{STAFF}/{panel.pk}/assignments/").content.decode()

    assert page.count("Kept out by a conflict: reassign") == 1


def test_panel_members_find_their_panels_in_the_navigation(client):
    client.force_login(make_user(roles=[Role.POLICYMAKER]))
    policymaker = client.get("/portal/").content.decode()
    client.force_login(make_user(roles=[Role.PRACTITIONER]))
    practitioner = client.get("/portal/").content.decode()

    assert f'href="{PORTAL}/"' in policymaker
    assert f'href="{PORTAL}/"' not in practitioner
