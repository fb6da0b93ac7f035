"""Assisted declarations: funding staff record a member's acceptance of the terms and their
conflict declarations for them (a member without a login, or by telephone)."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from coprod.enums import StaffGroup
from funding.enums import ConflictCategory, ConflictDecision, PanelRole
from funding.models import ConflictDeclaration, PanelMember
from funding.permissions import openable_proposals
from funding.services import accept_confidentiality, add_member, answer_field, declare_conflicts
from funding.services.panels import Answer
from tests.factories.core import make_person, make_staff
from tests.factories.funding import PanelFactory, ProposalFactory, make_funding_staff

pytestmark = pytest.mark.django_db


def panel_with_member_without_login():
    panel = PanelFactory()
    first, second = ProposalFactory(call=panel.call), ProposalFactory(call=panel.call)
    member = add_member(
        panel, make_person(roles=["pwle", "lee"]), by=make_funding_staff(), role=PanelRole.LEE
    )
    return panel, member, first, second


def url(panel, member) -> str:
    return reverse("funding_panels:declare_for", args=[panel.pk, member.pk])


def answers(first, second) -> dict[str, str]:
    return {
        "terms_read": "yes",
        answer_field(first.pk, "conflict"): "no",
        answer_field(second.pk, "conflict"): "yes",
        answer_field(second.pk, "category"): ConflictCategory.USED_SERVICES,
        answer_field(second.pk, "description"): "I went to their drop-in.",
    }


def test_staff_record_the_terms_and_declarations_of_a_member_without_a_login(client):
    panel, member, first, second = panel_with_member_without_login()
    staff = make_funding_staff()
    client.force_login(staff)

    response = client.post(url(panel, member), answers(first, second))

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.confidentiality_accepted_at is not None
    assert member.declarations_done_at is not None
    conflict = ConflictDeclaration.objects.get(member=member, proposal=second)
    assert (conflict.conflicted, conflict.decision) == (True, ConflictDecision.PENDING)
    assert list(openable_proposals(member)) == [first]
    entry = LogEntry.objects.filter(
        content_type__model="conflictdeclaration", object_id=conflict.pk
    ).get()
    assert entry.actor == staff
    acceptance = LogEntry.objects.filter(
        content_type__model="panelmember",
        object_id=member.pk,
        action=LogEntry.Action.UPDATE,
        changes__has_key="confidentiality_accepted_at",
    ).get()
    assert acceptance.actor == staff


def test_the_terms_must_be_read_to_them_and_nothing_is_saved_without(client):
    panel, member, first, second = panel_with_member_without_login()
    client.force_login(make_funding_staff())
    data = answers(first, second)
    del data["terms_read"]

    response = client.post(url(panel, member), data)

    assert response.status_code == 400
    assert "read the confidentiality terms to them" in response.content.decode()
    member.refresh_from_db()
    assert member.confidentiality_accepted_at is None
    assert not ConflictDeclaration.objects.filter(member=member).exists()


def test_a_wrong_answer_saves_neither_the_terms_nor_any_declaration(client):
    panel, member, first, second = panel_with_member_without_login()
    client.force_login(make_funding_staff())
    data = answers(first, second)
    data[answer_field(second.pk, "description")] = ""

    response = client.post(url(panel, member), data)

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.confidentiality_accepted_at is None
    assert not ConflictDeclaration.objects.filter(member=member).exists()


def test_a_member_of_another_panel_is_not_found_under_this_one(client):
    panel, _member, _first, _second = panel_with_member_without_login()
    _other_panel, other_member, _a, _b = panel_with_member_without_login()
    client.force_login(make_funding_staff())

    assert client.get(url(panel, other_member)).status_code == 404


def test_only_staff_who_manage_panels_may_act_for_a_member():
    _panel, member, _first, _second = panel_with_member_without_login()
    with pytest.raises(ValidationError):
        accept_confidentiality(member, by=make_staff(StaffGroup.ENGAGEMENT))
    accept_confidentiality(member, by=make_funding_staff())

    member.refresh_from_db()
    assert member.confidentiality_accepted_at is not None


def test_the_panel_page_offers_it_only_for_members_who_have_not_declared(client):
    panel, member, first, second = panel_with_member_without_login()
    client.force_login(make_funding_staff())
    page = reverse("funding_panels:panel", args=[panel.pk])

    assert url(panel, member) in client.get(page).content.decode()
    client.post(url(panel, member), answers(first, second))
    assert url(panel, member) not in client.get(page).content.decode()


def test_a_participant_cannot_declare_for_another_member():
    from tests.factories.core import make_user

    _panel, member, _first, _second = panel_with_member_without_login()
    other = make_user(roles=["pwle", "lee"])

    with pytest.raises(ValidationError):
        accept_confidentiality(member, by=other)
    with pytest.raises(ValidationError):
        declare_conflicts(member, {}, by=other)


def test_declarations_refused_by_the_service_leave_the_terms_unaccepted(client, monkeypatch):
    """Terms and declarations are one step: when the declarations are refused after the terms
    were recorded (a proposal sent meanwhile, say), the acceptance is undone too."""
    from funding.views import panels as views

    def refuse(member, answers, *, by):
        raise ValidationError({answer_field(first.pk, "conflict"): ["Refused."]})

    panel, member, first, second = panel_with_member_without_login()
    client.force_login(make_funding_staff())
    monkeypatch.setattr(views, "declare_conflicts", refuse)

    response = client.post(url(panel, member), answers(first, second))

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.confidentiality_accepted_at is None
    assert not LogEntry.objects.filter(
        content_type__model="panelmember", object_id=member.pk, action=LogEntry.Action.UPDATE
    ).exists()


def test_a_seat_without_a_person_is_not_found(client):
    """A seat whose person is gone (erased): nobody to declare for."""
    panel, seat, _first, _second = panel_with_member_without_login()
    PanelMember.objects.filter(pk=seat.pk).update(person=None)
    client.force_login(make_funding_staff())

    assert client.get(url(panel, seat)).status_code == 404


def test_staff_cannot_overwrite_an_answer_already_given(client):
    """An answer the member gave (a conflict, waiting for a decision) stays as it is when staff
    later send another answer for the same proposal, through the page or the service."""
    panel, member, first, second = panel_with_member_without_login()
    staff = make_funding_staff()
    accept_confidentiality(member, by=staff)
    declare_conflicts(
        member,
        {
            first.pk: Answer(True, ConflictCategory.USED_SERVICES, "Their drop-in."),
            second.pk: Answer(False),
        },
        by=staff,
    )
    third = ProposalFactory(call=panel.call)
    client.force_login(staff)

    response = client.post(
        url(panel, member),
        {
            answer_field(first.pk, "conflict"): "no",
            answer_field(third.pk, "conflict"): "no",
        },
    )
    declare_conflicts(member, {first.pk: Answer(False), third.pk: Answer(False)}, by=staff)

    assert response.status_code == 302
    declarations = ConflictDeclaration.objects.filter(member=member, proposal=first)
    assert [(d.conflicted, d.decision) for d in declarations] == [(True, ConflictDecision.PENDING)]
    assert first not in openable_proposals(member)
    assert ConflictDeclaration.objects.filter(member=member, proposal=third).count() == 1
