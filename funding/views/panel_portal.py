"""The portal's panel pages for members: their seats, a seat's confidentiality terms (accepted
before anything of a proposal opens), the declaration of conflicts for all the panel's proposals
at once, and — for the chair — the conflicts others declared, to decide.

A seat is found among the visitor's own seats (`seats_for_user`: 404 for anyone else's)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, require
from funding.forms import ConfirmForm, DeclarationForm
from funding.models import PanelMember
from funding.permissions import openable_proposals
from funding.selectors import (
    chair_conflicts_for_user,
    declaration_rows,
    proposals_for_declaring,
    seats_for_user,
)
from funding.services import accept_confidentiality, declare_conflicts
from funding.views.panels import add_errors, decide_page

PER_PAGE = 50


def _seat(request: HttpRequest, member_id: int) -> PanelMember:
    return get_object_for_user(request, seats_for_user, pk=member_id)


@require_http_methods(["GET"])
def seat_list(request: HttpRequest) -> HttpResponse:
    require(request, getattr(request.user, "person_id", None) is not None)
    seats = seats_for_user(request.user).order_by("-pk")
    return render(
        request, "funding/panels/seats.html", {"page": page_of(request, seats, per_page=PER_PAGE)}
    )


@require_http_methods(["GET", "POST"])
def seat_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    """The terms to accept first; once accepted, where the member stands."""
    member = _seat(request, member_id)
    form = ConfirmForm(
        request.POST if request.method == "POST" else None,
        label=_("I accept these terms"),
    )
    if request.method == "POST" and form.is_valid():
        accept_confidentiality(member, by=request.user)
        messages.success(request, _("Thank you. Now tell us about any conflicts of interest."))
        return redirect("funding_panel:declare", member_id=member.pk)
    accepted = member.confidentiality_accepted_at is not None
    return render(
        request,
        "funding/panels/seat.html",
        {
            "member": member,
            "panel": member.panel,
            "form": form,
            "accepted": accepted,
            "to_declare": proposals_for_declaring(member).count() if accepted else 0,
            "openable": list(openable_proposals(member).only("pk", "title")) if accepted else [],
        },
    )


@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest, member_id: int) -> HttpResponse:
    member = _seat(request, member_id)
    if member.confidentiality_accepted_at is None:
        messages.info(request, _("Please read and accept the confidentiality terms first."))
        return redirect("funding_panel:seat", member_id=member.pk)
    proposals = list(proposals_for_declaring(member))
    form = DeclarationForm(request.POST if request.method == "POST" else None, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        try:
            declare_conflicts(member, form.answers(), by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your declarations are recorded."))
            return redirect("funding_panel:seat", member_id=member.pk)
    return render(
        request,
        "funding/panels/declare.html",
        {
            "member": member,
            "panel": member.panel,
            "form": form,
            "proposals": proposals,
            "answered": list(declaration_rows(member)),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
def chair_conflicts(request: HttpRequest, member_id: int) -> HttpResponse:
    member = _seat(request, member_id)
    require(request, member.is_chair)
    page = page_of(request, chair_conflicts_for_user(request.user, member), per_page=PER_PAGE)
    return render(
        request,
        "funding/panels/chair_conflicts.html",
        {"member": member, "panel": member.panel, "page": page},
    )


@require_http_methods(["GET", "POST"])
def chair_decide(request: HttpRequest, member_id: int, declaration_id: int) -> HttpResponse:
    member = _seat(request, member_id)
    require(request, member.is_chair)
    declaration = get_object_or_404(
        chair_conflicts_for_user(request.user, member), pk=declaration_id
    )
    return decide_page(
        request,
        declaration,
        template="funding/panels/chair_decide.html",
        done_url=reverse("funding_panel:conflicts", kwargs={"member_id": member.pk}),
        context={"member": member, "panel": member.panel},
    )
