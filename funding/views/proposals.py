"""The portal's funding pages: open calls, a call's page, the proposal form (a draft until sent),
"Your proposals" with their status and eligibility, a sent proposal (read-only), withdrawing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.doors import current_roles, form_data_or_draft, saves_draft_on_timeout
from coprod.models import User
from coprod.pagination import page_of
from coprod.permissions import Selector, get_object_for_user, require
from funding.enums import ProposalStatus
from funding.forms import ProposalForm, WithdrawForm
from funding.models import Call, Proposal
from funding.readability import reading_hint
from funding.selectors import APPLYING_ROLES, calls_for_user, proposals_for_user
from funding.services import PROPOSAL_FIELDS, keep_proposal
from funding.services import withdraw_proposal as withdraw_service

PER_PAGE = 20


def _calls(roles: frozenset[str]) -> Selector:
    return lambda user: calls_for_user(user, roles=roles)


def _own_proposals(user: User):
    """Only the visitor's own proposals (staff use the admin)."""
    return proposals_for_user(user).filter(applicant_id=user.person_id)


def _own_draft(call: Call, user: User) -> Proposal | None:
    return (
        Proposal.objects.filter(call=call, applicant_id=user.person_id, status=ProposalStatus.DRAFT)
        .order_by("pk")
        .first()
    )


def _own_sent(call: Call, user: User) -> Proposal | None:
    """The visitor's live proposal to `call` once sent (one per person per call)."""
    return (
        Proposal.objects.filter(
            call=call, applicant_id=user.person_id, status=ProposalStatus.SUBMITTED
        )
        .order_by("pk")
        .first()
    )


@require_http_methods(["GET"])
def call_list(request: HttpRequest) -> HttpResponse:
    roles = current_roles(request)
    require(request, bool(APPLYING_ROLES & roles))
    page = page_of(request, calls_for_user(request.user, roles=roles), per_page=PER_PAGE)
    return render(request, "funding/calls.html", {"page": page})


@require_http_methods(["GET"])
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    roles = current_roles(request)
    call = get_object_for_user(request, _calls(roles), pk=call_id)
    return render(
        request,
        "funding/call.html",
        {
            "call": call,
            "criteria": list(call.criteria.all()),
            "draft": _own_draft(call, request.user),
            "sent": _own_sent(call, request.user),
            "may_apply": call.is_open and bool(APPLYING_ROLES & roles),
        },
    )


@saves_draft_on_timeout
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, call_id: int) -> HttpResponse:
    roles = current_roles(request)
    call = get_object_for_user(request, _calls(roles), pk=call_id)
    require(request, bool(APPLYING_ROLES & roles))
    sent = _own_sent(call, request.user)
    if sent is not None:
        # One live proposal per person per call: theirs is sent, so show it.
        messages.info(request, _("You have already sent a proposal to this call."))
        return redirect("funding:proposal", proposal_id=sent.pk)
    existing = _own_draft(call, request.user)
    attachments = list(existing.attachments.all()) if existing else []
    initial = {name: getattr(existing, name) for name in PROPOSAL_FIELDS} if existing else {}
    form = ProposalForm(
        form_data_or_draft(request),
        request.FILES if request.method == "POST" else None,
        initial=initial,
        attachments_attached=len(attachments),
    )
    if request.method == "POST" and form.is_valid():
        try:
            keep_proposal(
                call,
                by=request.user,
                draft=existing,
                fields=form.fields_to_save(),
                files=form.cleaned_data["attachments"],
                send=form.sending,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if form.sending:
                messages.success(
                    request,
                    _("Thank you. Your proposal is sent. We will tell you what happens next."),
                )
                return redirect("funding:proposals")
            messages.success(
                request,
                _("Your proposal is saved. You can finish it later, before the closing time."),
            )
            return redirect("funding:propose", call_id=call.pk)
    summary = form.data.get("summary") if form.is_bound else initial.get("summary", "")
    return render(
        request,
        "funding/propose.html",
        {
            "form": form,
            "call": call,
            "hint": reading_hint(summary or ""),
            "attachments": attachments,
        },
    )


def _add_errors(form: ProposalForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_http_methods(["GET"])
def proposal_list(request: HttpRequest) -> HttpResponse:
    require(request, request.user.person_id is not None)
    page = page_of(request, _own_proposals(request.user).order_by("-pk"), per_page=PER_PAGE)
    return render(request, "funding/proposals.html", {"page": page})


@require_http_methods(["GET"])
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_for_user(request, _own_proposals, pk=proposal_id)
    return render(
        request,
        "funding/proposal.html",
        {"proposal": proposal, "attachments": list(proposal.attachments.all())},
    )


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_for_user(request, _own_proposals, pk=proposal_id)
    if proposal.status != ProposalStatus.SUBMITTED:
        messages.info(request, _("Only a sent proposal can be withdrawn."))
        return redirect("funding:proposals")
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw_service(proposal, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your proposal is withdrawn."))
            return redirect("funding:proposals")
    return render(request, "funding/withdraw.html", {"form": form, "proposal": proposal})
