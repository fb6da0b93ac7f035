"""Reads for proposal files and the staff pages of calls: who may fetch which file, and the
calls and a call's proposals with their counts (one query a page)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from coprod.models import User
from coprod.permissions import is_staff_with
from funding.enums import ProposalStatus
from funding.models import Call, Proposal, ProposalAttachment
from funding.permissions import openable_proposals_for_user

VIEW_CALL = "funding.view_call"
VIEW_PROPOSAL = "funding.view_proposal"


def attachments_for_user(user: User) -> QuerySet[ProposalAttachment]:
    """Files `user` may fetch: those of their own proposals (drafts included); for funding staff,
    those of every sent proposal (a draft is the applicant's own until sent); for a panel member,
    those of the sent proposals they were granted (funding.permissions: never one they are kept
    out of by a conflict, nor their own)."""
    attachments = ProposalAttachment.objects.select_related("proposal")
    if not user.is_authenticated or not user.is_active:
        return attachments.none()
    routes = Q(
        proposal__status=ProposalStatus.SUBMITTED, proposal__in=openable_proposals_for_user(user)
    )
    if user.person_id is not None:
        routes |= Q(proposal__applicant_id=user.person_id)
    if is_staff_with(user, VIEW_PROPOSAL):
        routes |= ~Q(proposal__status=ProposalStatus.DRAFT)
    return attachments.filter(routes)


def may_see_staff_calls(user: User) -> bool:
    """The staff pages of calls: funding staff."""
    return is_staff_with(user, VIEW_CALL)


def staff_calls_for_user(user: User) -> QuerySet[Call]:
    """Every call for funding staff, each with `sent_count` (proposals sent and not withdrawn),
    latest closing first; nothing for anyone else. One query."""
    if not may_see_staff_calls(user):
        return Call.objects.none()
    return Call.objects.annotate(
        sent_count=Count("proposals", filter=Q(proposals__status=ProposalStatus.SUBMITTED))
    ).order_by("-closes_at", "-pk")


def call_proposals(call: Call) -> QuerySet[Proposal]:
    """The call's proposals for its staff page: every one sent (withdrawn ones too, marked),
    never a draft, each with `applicant_name` (the display name: never the legal name) and
    `files_count`, oldest sent first. One query a page."""
    return (
        Proposal.objects.filter(call=call)
        .exclude(status=ProposalStatus.DRAFT)
        .annotate(
            applicant_name=Coalesce(
                NullIf("applicant__chosen_name", Value("")), "applicant__generated_name"
            ),
            files_count=Count("attachments"),
        )
        .only(
            "pk",
            "title",
            "requested_amount",
            "status",
            "eligibility",
            "submitted_at",
            "call_id",
            "applicant_id",
        )
        .order_by("submitted_at", "pk")
    )
