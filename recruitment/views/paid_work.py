"""The portal's "Your paid work": a person's own engagements, a claim for one of them (with
receipts for its expenses, and staff's question when the claim was sent back), and their own
receipts. The staff pages for claims and the finance export are in recruitment.views.claims."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.doors import form_data_or_draft, saves_draft_on_timeout
from coprod.models import User
from coprod.pagination import page_of
from coprod.permissions import get_object_for_user
from recruitment.enums import ClaimStatus, EngagementStatus
from recruitment.forms.claims import ClaimForm
from recruitment.models import ZERO, ClaimEvent, Engagement
from recruitment.selectors import eligibility_for_person, engagements_of_person
from recruitment.selectors.receipts import own_receipts
from recruitment.services import send_claim_with_receipts
from recruitment.views.claims import receipt_response

# Claims the person can still send (or send again, after a question).
SENDABLE = frozenset({ClaimStatus.DRAFT, ClaimStatus.QUERIED})
PAID_WORK_PER_PAGE = 20


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
    receipts = list(existing.receipts.all()) if existing is not None else []
    initial = {
        "method": existing.method if existing is not None else eligibility.preference,
        "expenses": existing.expenses if existing is not None and existing.expenses else None,
        "expenses_note": existing.expenses_note if existing is not None else "",
    }
    form = ClaimForm(
        form_data_or_draft(request),
        request.FILES if request.method == "POST" else None,
        eligibility=eligibility,
        initial=initial,
        receipts_attached=len(receipts),
    )
    if request.method == "POST" and form.is_valid():
        try:
            send_claim_with_receipts(
                engagement,
                by=request.user,
                method=form.cleaned_data["method"],
                expenses=form.cleaned_data["expenses"] or ZERO,
                expenses_note=form.cleaned_data["expenses_note"],
                receipts=form.cleaned_data["receipts"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your claim is sent."))
            return redirect("paid_work:list")
    return render(
        request,
        "recruitment/claim.html",
        {
            "form": form,
            "engagement": engagement,
            "claim": existing,
            "question": _question(existing),
            "receipts": receipts,
        },
    )


def _question(claim: object) -> ClaimEvent | None:
    """Staff's question, when the claim was sent back to the person (the latest one)."""
    if claim is None or claim.status != ClaimStatus.QUERIED:
        return None
    return (
        ClaimEvent.objects.filter(claim=claim, to_status=ClaimStatus.QUERIED)
        .order_by("-at", "-pk")
        .first()
    )


@require_http_methods(["GET"])
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the person's own receipts, as a download."""
    return receipt_response(get_object_for_user(request, own_receipts, pk=pk))
