"""Pages for engagements and honoraria: the staff export, and the portal's "Your paid work"
(a person's own engagements, and a claim for one of them)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.doors import form_data_or_draft, saves_draft_on_timeout
from coprod.models import User, london_today
from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, require
from recruitment.enums import ClaimStatus, EngagementStatus
from recruitment.forms import ClaimForm
from recruitment.models import ZERO, Engagement
from recruitment.permissions import may_export_payments
from recruitment.selectors import eligibility_for_person, engagements_of_person
from recruitment.services import create_claim, export_payments, submit_claim

# Claims the person can still send (or send again, after a question).
SENDABLE = frozenset({ClaimStatus.DRAFT, ClaimStatus.QUERIED})
PAID_WORK_PER_PAGE = 20


@require_http_methods(["GET"])
def payments_csv(request: HttpRequest) -> HttpResponse:
    require(request, may_export_payments(request.user))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"payments-{london_today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    export_payments(response, by=request.user)
    return response


# The portal: the signed-in person's own paid work. Staff who open the portal see their own too:
# these pages never use the staff-wide `engagements_for_user`.


def _own_completed(user: User) -> QuerySet[Engagement]:
    return engagements_of_person(user.person).filter(status=EngagementStatus.COMPLETED)


@require_http_methods(["GET"])
def paid_work(request: HttpRequest) -> HttpResponse:
    page = page_of(request, engagements_of_person(request.user.person), per_page=PAID_WORK_PER_PAGE)
    return render(request, "recruitment/paid_work.html", {"page": page})


@saves_draft_on_timeout
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = get_object_for_user(request, _own_completed, pk=engagement_id)
    existing = getattr(engagement, "claim", None)
    if existing is not None and existing.status not in SENDABLE:
        messages.info(request, _("You have already sent this claim. You can see it below."))
        return redirect("paid_work:list")
    eligibility = eligibility_for_person(request.user.person)
    initial = {
        "method": existing.method if existing is not None else eligibility.preference,
        "expenses": existing.expenses if existing is not None and existing.expenses else None,
        "expenses_note": existing.expenses_note if existing is not None else "",
    }
    form = ClaimForm(form_data_or_draft(request), eligibility=eligibility, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                submit_claim(
                    create_claim(engagement, by=request.user),
                    by=request.user,
                    method=form.cleaned_data["method"],
                    expenses=form.cleaned_data["expenses"] or ZERO,
                    expenses_note=form.cleaned_data["expenses_note"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your claim is sent."))
            return redirect("paid_work:list")
    return render(
        request,
        "recruitment/claim.html",
        {"form": form, "engagement": engagement, "claim": existing},
    )
