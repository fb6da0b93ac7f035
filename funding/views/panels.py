"""Staff pages for panels: the calls and their panels, a panel (settings, members and the
composition rule, starting scoring), adding members, the declared conflicts and their decisions,
and assigning reviewers with the loads that result.

Every page is for staff who may manage panels (403 for anyone else); objects come from the
`panels_for_user` selector (404 for what does not exist for the visitor) and are then looked up
within that panel; each write calls one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coprod.audit import log_restricted_view
from coprod.models import Person
from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, require
from funding.forms import (
    AddMemberForm,
    AssignForm,
    ConflictDecisionForm,
    DeclarationForm,
    MemberSearchForm,
    PanelSettingsForm,
    StartScoringForm,
)
from funding.models import ConflictDeclaration, Panel, PanelMember, Review
from funding.permissions import (
    may_manage_panels,
    panel_proposals,
    scoring_is_open,
    scoring_window_closed,
)
from funding.selectors import (
    declaration_rows,
    kept_out_reviews,
    panel_assignments,
    panel_calls_for_user,
    panel_conflicts,
    panel_members,
    panels_for_user,
    people_for_seat,
    proposals_for_declaring,
)
from funding.services import (
    accept_confidentiality,
    add_member,
    assign_automatically,
    assign_reviewer,
    composition_problems,
    create_panel,
    decide_conflict,
    declare_conflicts,
    may_decide_conflict,
    remove_member,
    set_chair,
    start_scoring,
    unassign_reviewer,
    update_panel,
)

PER_PAGE = 50


def add_errors(form: Form, error: ValidationError) -> None:
    """A service's errors on the form: by field where the form has it, else on the whole form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _panel(request: HttpRequest, panel_id: int) -> Panel:
    require(request, may_manage_panels(request.user))
    return get_object_for_user(request, panels_for_user, pk=panel_id)


def _member(panel: Panel, member_id: int) -> PanelMember:
    return get_object_or_404(
        PanelMember.objects.select_related("person"), panel=panel, pk=member_id
    )


@require_http_methods(["GET"])
def panel_list(request: HttpRequest) -> HttpResponse:
    require(request, may_manage_panels(request.user))
    page = page_of(request, panel_calls_for_user(request.user), per_page=PER_PAGE)
    return render(request, "funding/panels/staff/list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def panel_create(request: HttpRequest, call_id: int) -> HttpResponse:
    require(request, may_manage_panels(request.user))
    call = get_object_for_user(request, panel_calls_for_user, pk=call_id)
    if hasattr(call, "panel"):
        return redirect("funding_panels:panel", panel_id=call.panel.pk)
    form = PanelSettingsForm(
        request.POST if request.method == "POST" else None, submit_label=_("Create the panel")
    )
    if request.method == "POST" and form.is_valid():
        try:
            panel = create_panel(call, by=request.user, **form.settings())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The panel is created. Now add its members."))
            return redirect("funding_panels:panel", panel_id=panel.pk)
    return render(request, "funding/panels/staff/create.html", {"call": call, "form": form})


def _panel_page(
    request: HttpRequest, panel: Panel, *, settings_form=None, start_form=None, status=200
) -> HttpResponse:
    members = list(panel_members(panel))
    settings_form = settings_form or PanelSettingsForm(instance=panel)
    settings_form.helper.form_action = reverse("funding_panels:settings", args=[panel.pk])
    start_form = start_form or StartScoringForm()
    start_form.helper.form_action = reverse("funding_panels:start", args=[panel.pk])
    search_form = MemberSearchForm()
    search_form.helper.form_action = reverse("funding_panels:add_member", args=[panel.pk])
    return render(
        request,
        "funding/panels/staff/panel.html",
        {
            "panel": panel,
            "members": members,
            "problems": composition_problems(panel, [member.role for member in members]),
            "settings_form": settings_form,
            "start_form": start_form,
            "search_form": search_form,
            "waiting": panel_conflicts(panel).filter(decision="pending").count(),
            "scoring_open": scoring_is_open(panel),
            "scoring_closed": scoring_window_closed(panel),
        },
        status=status,
    )


@require_http_methods(["GET"])
def panel_detail(request: HttpRequest, panel_id: int) -> HttpResponse:
    return _panel_page(request, _panel(request, panel_id))


@require_POST
def panel_settings(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = _panel(request, panel_id)
    form = PanelSettingsForm(request.POST, instance=Panel.objects.get(pk=panel.pk))
    if form.is_valid():
        try:
            update_panel(panel, by=request.user, **form.settings())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The panel's settings are saved."))
            return redirect("funding_panels:panel", panel_id=panel.pk)
    return _panel_page(request, panel, settings_form=form, status=400)


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = _panel(request, panel_id)
    if request.method == "POST":
        form = AddMemberForm(request.POST)
        if form.is_valid():
            person = people_for_seat_by_pk(form.cleaned_data["person"])
            try:
                member = add_member(
                    panel,
                    person,
                    by=request.user,
                    role=form.cleaned_data["role"],
                    is_chair=form.cleaned_data["is_chair"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("%(name)s is on the panel.") % {"name": member.person.display_name},
                )
                return redirect("funding_panels:panel", panel_id=panel.pk)
        else:
            messages.error(request, _("Choose someone to add."))
    search = MemberSearchForm(request.GET or None)
    found = []
    if search.is_valid():
        found = list(people_for_seat(search.cleaned_data["q"], search.cleaned_data["role"]))
    return render(
        request,
        "funding/panels/staff/add_member.html",
        {
            "panel": panel,
            "search_form": search,
            "found": found,
            "role": search.cleaned_data.get("role") if search.is_valid() else "",
        },
    )


def people_for_seat_by_pk(person_id: int) -> Person:
    return get_object_or_404(Person.objects.available_for_selection(), pk=person_id)


@require_POST
def member_chair(request: HttpRequest, panel_id: int, member_id: int) -> HttpResponse:
    panel = _panel(request, panel_id)
    member = _member(panel, member_id)
    set_chair(member, by=request.user)
    messages.success(request, _("The chair is changed."))
    return redirect("funding_panels:panel", panel_id=panel.pk)


@require_POST
def member_remove(request: HttpRequest, panel_id: int, member_id: int) -> HttpResponse:
    panel = _panel(request, panel_id)
    member = _member(panel, member_id)
    try:
        remove_member(member, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The member is taken off the panel."))
    return redirect("funding_panels:panel", panel_id=panel.pk)


@require_POST
def panel_start(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = _panel(request, panel_id)
    form = StartScoringForm(request.POST)
    if form.is_valid():
        try:
            start_scoring(
                panel, by=request.user, override_reason=form.cleaned_data["override_reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Scoring has started. The members are told."))
            return redirect("funding_panels:panel", panel_id=panel.pk)
    return _panel_page(request, panel, start_form=form, status=400)


# Conflicts --------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def conflict_list(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = _panel(request, panel_id)
    page = page_of(request, panel_conflicts(panel), per_page=PER_PAGE)
    return render(request, "funding/panels/staff/conflicts.html", {"panel": panel, "page": page})


def decide_page(
    request: HttpRequest,
    declaration: ConflictDeclaration,
    *,
    template: str,
    done_url: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The decision form on a declared conflict (staff and chair pages alike)."""
    allowed = may_decide_conflict(request.user, declaration)
    # A member's own words about a conflict can say what support they use: a restricted read.
    log_restricted_view(
        declaration, actor=request.user, fields=["description"], context="funding_conflict"
    )
    form = ConflictDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require(request, allowed)
        if form.is_valid():
            try:
                decide_conflict(
                    declaration,
                    by=request.user,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["decision_reason"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The decision is recorded."))
                return redirect(done_url)
    return render(
        request,
        template,
        {"declaration": declaration, "form": form, "allowed": allowed, **context},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def conflict_decide(request: HttpRequest, panel_id: int, declaration_id: int) -> HttpResponse:
    panel = _panel(request, panel_id)
    declaration = get_object_or_404(panel_conflicts(panel), pk=declaration_id)
    return decide_page(
        request,
        declaration,
        template="funding/panels/staff/decide.html",
        done_url=reverse("funding_panels:conflicts", kwargs={"panel_id": panel.pk}),
        context={"panel": panel},
    )


# Assignments -------------------------------------------------------------------------------------


def _assign_form(panel: Panel, data=None) -> AssignForm:
    form = AssignForm(
        data,
        panel=panel,
        proposals=panel_proposals(panel.pk).order_by("pk"),
        members=PanelMember.objects.filter(panel=panel, person__isnull=False).select_related(
            "person"
        ),
    )
    form.helper.form_action = reverse("funding_panels:assign", args=[panel.pk])
    return form


def _assignments_page(request, panel: Panel, *, form=None, report=None, status=200):
    page = page_of(request, panel_assignments(panel), per_page=PER_PAGE)
    return render(
        request,
        "funding/panels/staff/assignments.html",
        {
            "panel": panel,
            "members": list(panel_members(panel)),
            "page": page,
            "kept_out": kept_out_reviews(panel),
            "form": form or _assign_form(panel),
            "report": report,
        },
        status=status,
    )


@require_http_methods(["GET"])
def assignments(request: HttpRequest, panel_id: int) -> HttpResponse:
    return _assignments_page(request, _panel(request, panel_id))


@require_POST
def assign(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = _panel(request, panel_id)
    form = _assign_form(panel, request.POST)
    if form.is_valid():
        try:
            assign_reviewer(
                form.cleaned_data["proposal"], form.cleaned_data["member"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The member is assigned."))
            return redirect("funding_panels:assignments", panel_id=panel.pk)
    return _assignments_page(request, panel, form=form, status=400)


@require_POST
def assign_auto(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = _panel(request, panel_id)
    report = assign_automatically(panel, by=request.user)
    return _assignments_page(request, panel, report=report)


@require_POST
def unassign(request: HttpRequest, panel_id: int, review_id: int) -> HttpResponse:
    panel = _panel(request, panel_id)
    review = get_object_or_404(Review, member__panel=panel, pk=review_id)
    try:
        unassign_reviewer(review, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The assignment is taken away."))
    return redirect("funding_panels:assignments", panel_id=panel.pk)


__all__ = [
    "assign",
    "assign_auto",
    "assignments",
    "conflict_decide",
    "conflict_list",
    "decide_page",
    "member_add",
    "member_chair",
    "member_remove",
    "panel_create",
    "panel_detail",
    "panel_list",
    "panel_settings",
    "panel_start",
    "unassign",
]


@require_http_methods(["GET", "POST"])
def member_declare(request: HttpRequest, panel_id: int, member_id: int) -> HttpResponse:
    """An assisted declaration: staff read the confidentiality terms to a member (one without a
    login, or who would rather do it by telephone), record that they accept them, and record
    their answer for each proposal, in one step. The audit trail records who acted."""
    panel = _panel(request, panel_id)
    member = _member(panel, member_id)
    if member.person_id is None:
        raise Http404
    proposals = list(proposals_for_declaring(member))
    form = DeclarationForm(request.POST if request.method == "POST" else None, proposals=proposals)
    # Inside this page's own form, with its own button (the member's says "Send my declarations").
    form.helper.form_tag = False
    form.helper.layout.fields.pop()
    accepted = member.confidentiality_accepted_at is not None
    if request.method == "POST":
        terms_read = request.POST.get("terms_read") == "yes"
        if not accepted and not terms_read:
            form.add_error(
                None,
                _("Say that you read the confidentiality terms to them and they accept them."),
            )
        if form.is_valid():
            try:
                with transaction.atomic():
                    if not accepted:
                        accept_confidentiality(member, by=request.user)
                    declare_conflicts(member, form.answers(), by=request.user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Their declarations are recorded, as entered by you for them."),
                )
                return redirect("funding_panels:panel", panel_id=panel.pk)
    return render(
        request,
        "funding/panels/staff/declare_for.html",
        {
            "panel": panel,
            "member": member,
            "form": form,
            "proposals": proposals,
            "accepted": accepted,
            "answered": list(declaration_rows(member)),
        },
        status=400 if form.errors else 200,
    )
