"""Pages of decisions, tensions and influence.

Staff (the partnerships team sees every partnership, a lead the ones they lead; anyone else: not
found; participants are refused at the staff pages' door): a partnership's decision log (open
tensions first, or only those), adding and correcting an entry, resolving a tension; its
barriers, adding, correcting and marking them dealt with; its "you said, we did" items (flagged
when open too long), recording, correcting and closing one; and every item they may see, across
partnerships. Changing is for those who may manage the partnership (403 otherwise).

Portal (current members of the partnership only; not found for anyone else): the decision log
with its tensions, and "you said, we did" — the giver named only where they did not choose to be
anonymous.

Every record is fetched through its partnership's access rule, and must belong to the
partnership in the address (another partnership's: not found)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, require
from partnerships.enums import BarrierStatus, TensionStatus, YouSaidStatus
from partnerships.forms.influence import (
    BarrierForm,
    CloseYouSaidForm,
    DealtWithForm,
    DecisionForm,
    ResolveTensionForm,
    YouSaidForm,
)
from partnerships.models import Barrier, Decision, Partnership, YouSaidItem
from partnerships.permissions import (
    managed_partnerships_for_user,
    may_manage_partnership,
    member_partnerships_for_user,
)
from partnerships.selectors.barriers import barriers_of, managed_barriers_for_user
from partnerships.selectors.decisions import decision_log, managed_decisions_for_user
from partnerships.selectors.you_said import (
    lived_experience_members,
    managed_you_said_for_user,
    portal_you_said,
    shown_as,
    staff_you_said,
)
from partnerships.services.barriers import change_barrier, mark_barrier_dealt_with, record_barrier
from partnerships.services.decisions import change_decision, record_decision, resolve_tension
from partnerships.services.you_said import change_you_said, close_you_said, record_you_said

PER_PAGE = 25
FORM_TEMPLATE = "partnerships/influence/form.html"


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _only_open(request: HttpRequest) -> bool:
    return request.GET.get("show") == "open"


def _staff_only(request: HttpRequest) -> None:
    """The staff pages are for staff: anyone else is refused at the door (403)."""
    require(request, request.user.is_staff)


def _managed(request: HttpRequest, partnership_id: int, *, change: bool = False) -> Partnership:
    """The partnership in the address, as the staff pages see it: refused for anyone but staff;
    not found unless the visitor sees it there; 403 for a change unless they may manage it."""
    _staff_only(request)
    return get_object_for_user(
        request,
        managed_partnerships_for_user,
        action=may_manage_partnership if change else None,
        pk=partnership_id,
    )


def _member_of(request: HttpRequest, partnership_id: int) -> Partnership:
    return get_object_for_user(request, member_partnerships_for_user, pk=partnership_id)


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, FORM_TEMPLATE, {"form": form, **context})


# Decisions (staff) -------------------------------------------------------------------------------


@require_http_methods(["GET"])
def staff_decisions(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _managed(request, partnership_id)
    only_open = _only_open(request)
    page = page_of(request, decision_log(partnership, only_open=only_open), per_page=PER_PAGE)
    return render(
        request,
        "partnerships/influence/staff_decisions.html",
        {
            "partnership": partnership,
            "page": page,
            "only_open": only_open,
            "may_change": may_manage_partnership(request.user, partnership),
        },
    )


def _staff_decision(request: HttpRequest, partnership_id: int, decision_id: int) -> Decision:
    _managed(request, partnership_id, change=True)
    return get_object_for_user(
        request,
        lambda user: managed_decisions_for_user(user).filter(partnership_id=partnership_id),
        pk=decision_id,
    )


def _decision_values(form: DecisionForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in DecisionForm.base_fields}


@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _managed(request, partnership_id, change=True)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record_decision(partnership, by=request.user, **_decision_values(form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The decision is added to the log."))
            return redirect("partnerships_decisions_staff:list", partnership_id=partnership.pk)
    return _form_page(
        request,
        form,
        partnership=partnership,
        title=_("Add a decision"),
        back=("partnerships_decisions_staff:list", partnership.pk),
    )


@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, partnership_id: int, decision_id: int) -> HttpResponse:
    decision = _staff_decision(request, partnership_id, decision_id)
    initial = {name: getattr(decision, name) for name in DecisionForm.base_fields}
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        submit_label=_("Save the changes"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            change_decision(decision, by=request.user, **_decision_values(form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The decision is changed."))
            return redirect("partnerships_decisions_staff:list", partnership_id=partnership_id)
    return _form_page(
        request,
        form,
        partnership=decision.partnership,
        title=_("Change a decision"),
        back=("partnerships_decisions_staff:list", partnership_id),
    )


@require_http_methods(["GET", "POST"])
def decision_resolve(request: HttpRequest, partnership_id: int, decision_id: int) -> HttpResponse:
    decision = _staff_decision(request, partnership_id, decision_id)
    if decision.tension_status != TensionStatus.OPEN:
        messages.info(request, _("This decision has no open tension."))
        return redirect("partnerships_decisions_staff:list", partnership_id=partnership_id)
    form = ResolveTensionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            resolve_tension(decision, by=request.user, resolution=form.cleaned_data["resolution"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The tension is recorded as resolved."))
            return redirect("partnerships_decisions_staff:list", partnership_id=partnership_id)
    return _form_page(
        request,
        form,
        partnership=decision.partnership,
        title=_("Resolve a tension"),
        back=("partnerships_decisions_staff:list", partnership_id),
        facts=[
            (_("What was decided"), decision.summary),
            (_("What the disagreement was about"), decision.tension),
            (_("The views held"), decision.views_held),
        ],
    )


# Decisions (portal) ------------------------------------------------------------------------------


@require_http_methods(["GET"])
def member_decisions(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _member_of(request, partnership_id)
    page = page_of(request, decision_log(partnership), per_page=PER_PAGE)
    return render(
        request,
        "partnerships/influence/portal_decisions.html",
        {"partnership": partnership, "page": page},
    )


# Barriers (staff) --------------------------------------------------------------------------------


@require_http_methods(["GET"])
def staff_barriers(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _managed(request, partnership_id)
    page = page_of(request, barriers_of(partnership), per_page=PER_PAGE)
    return render(
        request,
        "partnerships/influence/staff_barriers.html",
        {
            "partnership": partnership,
            "page": page,
            "may_change": may_manage_partnership(request.user, partnership),
        },
    )


def _staff_barrier(request: HttpRequest, partnership_id: int, barrier_id: int) -> Barrier:
    _managed(request, partnership_id, change=True)
    return get_object_for_user(
        request,
        lambda user: managed_barriers_for_user(user).filter(partnership_id=partnership_id),
        pk=barrier_id,
    )


def _barrier_values(form: BarrierForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in BarrierForm.base_fields}


@require_http_methods(["GET", "POST"])
def barrier_create(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _managed(request, partnership_id, change=True)
    form = BarrierForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record_barrier(partnership, by=request.user, **_barrier_values(form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The barrier is recorded."))
            return redirect("partnerships_barriers_staff:list", partnership_id=partnership.pk)
    return _form_page(
        request,
        form,
        partnership=partnership,
        title=_("Record a barrier"),
        back=("partnerships_barriers_staff:list", partnership.pk),
    )


@require_http_methods(["GET", "POST"])
def barrier_edit(request: HttpRequest, partnership_id: int, barrier_id: int) -> HttpResponse:
    barrier = _staff_barrier(request, partnership_id, barrier_id)
    form = BarrierForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(barrier, name) for name in BarrierForm.base_fields},
        submit_label=_("Save the changes"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            change_barrier(barrier, by=request.user, **_barrier_values(form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The barrier is changed."))
            return redirect("partnerships_barriers_staff:list", partnership_id=partnership_id)
    return _form_page(
        request,
        form,
        partnership=barrier.partnership,
        title=_("Change a barrier"),
        back=("partnerships_barriers_staff:list", partnership_id),
    )


@require_http_methods(["GET", "POST"])
def barrier_dealt_with(request: HttpRequest, partnership_id: int, barrier_id: int) -> HttpResponse:
    barrier = _staff_barrier(request, partnership_id, barrier_id)
    if barrier.status != BarrierStatus.OPEN:
        messages.info(request, _("This barrier is already dealt with."))
        return redirect("partnerships_barriers_staff:list", partnership_id=partnership_id)
    form = DealtWithForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            mark_barrier_dealt_with(
                barrier,
                by=request.user,
                addressed_on=form.cleaned_data["addressed_on"],
                action=form.cleaned_data["action"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The barrier is marked as dealt with."))
            return redirect("partnerships_barriers_staff:list", partnership_id=partnership_id)
    return _form_page(
        request,
        form,
        partnership=barrier.partnership,
        title=_("Mark a barrier as dealt with"),
        back=("partnerships_barriers_staff:list", partnership_id),
        facts=[
            (_("Kind of barrier"), barrier.get_kind_display()),
            (_("What the barrier is"), barrier.description),
            (_("What is being done about it"), barrier.action),
        ],
    )


# "You said, we did" (staff) ----------------------------------------------------------------------


@require_http_methods(["GET"])
def staff_you_said_all(request: HttpRequest) -> HttpResponse:
    """Every item the visitor sees on the staff pages, across their partnerships."""
    _staff_only(request)
    only_open = _only_open(request)
    items = staff_you_said(managed_you_said_for_user(request.user), only_open=only_open)
    page = page_of(request, items, per_page=PER_PAGE)
    return render(
        request,
        "partnerships/influence/staff_you_said.html",
        {"partnership": None, "page": page, "only_open": only_open, "may_change": False},
    )


@require_http_methods(["GET"])
def staff_you_said_list(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _managed(request, partnership_id)
    only_open = _only_open(request)
    items = staff_you_said(YouSaidItem.objects.filter(partnership=partnership), only_open=only_open)
    page = page_of(request, items, per_page=PER_PAGE)
    return render(
        request,
        "partnerships/influence/staff_you_said.html",
        {
            "partnership": partnership,
            "page": page,
            "only_open": only_open,
            "may_change": may_manage_partnership(request.user, partnership),
        },
    )


def _staff_item(request: HttpRequest, partnership_id: int, item_id: int) -> YouSaidItem:
    _managed(request, partnership_id, change=True)
    return get_object_for_user(
        request,
        lambda user: (
            managed_you_said_for_user(user)
            .filter(partnership_id=partnership_id)
            .select_related("partnership", "given_by")
        ),
        pk=item_id,
    )


def _you_said_values(form: YouSaidForm, people: dict[int, Any]) -> dict[str, Any]:
    values = {name: form.cleaned_data[name] for name in YouSaidForm.base_fields}
    values["given_by"] = people[values["given_by"]]
    return values


def _people(partnership: Partnership, item: YouSaidItem | None = None) -> dict[int, Any]:
    people = {member.person_id: member.person for member in lived_experience_members(partnership)}
    if item is not None and item.given_by is not None:
        people.setdefault(item.given_by_id, item.given_by)
    return people


@require_http_methods(["GET", "POST"])
def you_said_create(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _managed(request, partnership_id, change=True)
    people = _people(partnership)
    form = YouSaidForm(
        request.POST if request.method == "POST" else None,
        givers=[(pk, person.display_name) for pk, person in people.items()],
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_you_said(partnership, by=request.user, **_you_said_values(form, people))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("What they said is recorded."))
            return redirect("partnerships_you_said_staff:list", partnership_id=partnership.pk)
    return _form_page(
        request,
        form,
        partnership=partnership,
        title=_("Record what a lived experience member said"),
        back=("partnerships_you_said_staff:list", partnership.pk),
    )


@require_http_methods(["GET", "POST"])
def you_said_edit(request: HttpRequest, partnership_id: int, item_id: int) -> HttpResponse:
    item = _staff_item(request, partnership_id, item_id)
    if item.status != YouSaidStatus.OPEN:
        messages.info(request, _("This item is closed: its giver has been told what came of it."))
        return redirect("partnerships_you_said_staff:list", partnership_id=partnership_id)
    people = _people(item.partnership, item)
    initial = {name: getattr(item, name) for name in YouSaidForm.base_fields}
    initial["given_by"] = item.given_by_id
    form = YouSaidForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        givers=[(pk, person.display_name) for pk, person in people.items()],
        submit_label=_("Save the changes"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            change_you_said(item, by=request.user, **_you_said_values(form, people))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The item is changed."))
            return redirect("partnerships_you_said_staff:list", partnership_id=partnership_id)
    return _form_page(
        request,
        form,
        partnership=item.partnership,
        title=_("Change a \u201cyou said, we did\u201d item"),
        back=("partnerships_you_said_staff:list", partnership_id),
    )


@require_http_methods(["GET", "POST"])
def you_said_close(request: HttpRequest, partnership_id: int, item_id: int) -> HttpResponse:
    item = _staff_item(request, partnership_id, item_id)
    if item.status != YouSaidStatus.OPEN:
        messages.info(request, _("This item is already closed."))
        return redirect("partnerships_you_said_staff:list", partnership_id=partnership_id)
    form = CloseYouSaidForm(
        request.POST if request.method == "POST" else None,
        initial={"response": item.response, "what_changed": item.what_changed},
    )
    if request.method == "POST" and form.is_valid():
        try:
            close_you_said(item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The item is closed. The person who said it is told what came of it.")
            )
            return redirect("partnerships_you_said_staff:list", partnership_id=partnership_id)
    return _form_page(
        request,
        form,
        partnership=item.partnership,
        title=_("Close a \u201cyou said, we did\u201d item"),
        intro=_(
            "Closing tells the person who said it what came of it, by message, even if others "
            "see them as anonymous."
        ),
        back=("partnerships_you_said_staff:list", partnership_id),
        facts=[(_("What was said"), item.said), (_("Said on"), item.said_on)],
    )


# "You said, we did" (portal) ---------------------------------------------------------------------


@require_http_methods(["GET"])
def member_you_said(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _member_of(request, partnership_id)
    page = page_of(request, portal_you_said(partnership), per_page=PER_PAGE)
    rows = [{"item": item, "giver": shown_as(item, request.user)} for item in page.items]
    return render(
        request,
        "partnerships/influence/portal_you_said.html",
        {"partnership": partnership, "page": page, "rows": rows},
    )
