"""Staff pages for honorarium claims: the queue (by state), timeliness, a claim with its history
and the team's actions (approve, query, mark paid), a claim's receipts, and finance's export.

The engagement team and finance see every claim (`recruitment.view_honorariumclaim`); other
staff and participants are refused these pages (403). A claim comes through `claims_for_user`
(404 for the unseen); each action is checked against its predicate (403: finance does not
approve, the engagement team does not mark paid, nobody acts on their own claim); the services
refuse the rest (a method the person's eligibility forbids) with the reason shown on the form.
People are shown by their display name: the legal name is only in finance's export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from coprod.audit import log_restricted_view
from coprod.fields import without_encrypted
from coprod.models import User, london_today
from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, is_staff_with, require
from recruitment.enums import OPEN_CLAIM_STATES, ClaimStatus, PaymentMethod
from recruitment.forms.claims import ApproveClaimForm, MarkPaidForm, QueryClaimForm
from recruitment.models import ClaimEvent, ClaimReceipt, HonorariumClaim
from recruitment.models.receipts import receipt_storage
from recruitment.permissions import may_approve_claim, may_export_payments, may_mark_claim_paid
from recruitment.selectors import (
    claims_for_user,
    late_claims,
    median_days_to_pay_by_month,
    year_total_for_person,
)
from recruitment.selectors.receipts import receipts_for_user
from recruitment.services import approve_claim, export_payments, mark_claim_paid, query_claim

PER_PAGE = 50
# Months of the median time to pay shown on the timeliness page.
TIMELINESS_MONTHS = 12
# How late, in days: the bands of the timeliness page (from, to inclusive; None: no end).
LATE_BANDS: list[tuple[int, int | None]] = [(1, 7), (8, 14), (15, 30), (31, None)]


def may_see_claims(user: User) -> bool:
    """The claim pages: the engagement team and finance."""
    return is_staff_with(user, "recruitment.view_honorariumclaim")


@dataclass(frozen=True)
class QueueState:
    slug: str
    label: Any  # a lazy translation

    def claims(self, user: User, today: date) -> QuerySet[HonorariumClaim]:
        if self.slug == "late":
            return late_claims(today=today)
        claims = claims_for_user(user).filter(status=STATUS_OF[self.slug])
        if self.slug == "paid":
            return claims.order_by("-paid_on", "-pk")
        return claims.order_by("pay_by", "pk")


STATUS_OF = {
    "waiting": ClaimStatus.SUBMITTED,
    "queried": ClaimStatus.QUERIED,
    "approved": ClaimStatus.APPROVED,
    "paid": ClaimStatus.PAID,
}
QUEUE_STATES = [
    QueueState("waiting", gettext_lazy("Waiting for approval")),
    QueueState("queried", gettext_lazy("Queried")),
    QueueState("approved", gettext_lazy("Approved, to pay")),
    QueueState("late", gettext_lazy("Late")),
    QueueState("paid", gettext_lazy("Paid")),
]
STATES = {state.slug: state for state in QUEUE_STATES}


def days_late(claim: HonorariumClaim, today: date) -> int:
    """How many days past its pay-by date the claim is (still unpaid: until today; paid: when
    it was paid); 0 when on time. A declined payment is never late: nothing is paid."""
    if claim.method == PaymentMethod.DECLINED:
        return 0
    if claim.status == ClaimStatus.PAID and claim.paid_on is not None:
        end = claim.paid_on
    elif claim.status in OPEN_CLAIM_STATES:
        end = today
    else:
        return 0
    return max(0, (end - claim.pay_by).days)


@require_http_methods(["GET"])
def claim_queue(request: HttpRequest, state: str = "waiting") -> HttpResponse:
    require(request, may_see_claims(request.user))
    if state not in STATES:
        raise Http404
    today = london_today()
    claims = without_encrypted(
        STATES[state].claims(request.user, today).select_related("engagement__person"),
        "engagement__person",
    )
    page = page_of(request, claims, per_page=PER_PAGE)
    rows = [(claim, days_late(claim, today)) for claim in page.items]
    return render(
        request,
        "recruitment/claims/queue.html",
        {"page": page, "rows": rows, "state": STATES[state], "states": QUEUE_STATES},
    )


def first_of_month_before(day: date, *, months: int) -> date:
    """The first day of the month `months` calendar months before the month of `day`."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class LateBand:
    label: str
    count: int


@require_http_methods(["GET"])
def timeliness(request: HttpRequest) -> HttpResponse:
    require(request, may_see_claims(request.user))
    today = london_today()
    since = first_of_month_before(today, months=TIMELINESS_MONTHS - 1)
    # How many claims are late by how much: one query, counted by the database.
    counts = late_claims(today=today).aggregate(
        total=Count("pk"),
        **{
            f"band_{index}": Count(
                "pk",
                filter=Q(pay_by__lte=today - timedelta(days=start))
                & (Q() if end is None else Q(pay_by__gte=today - timedelta(days=end))),
            )
            for index, (start, end) in enumerate(LATE_BANDS)
        },
    )
    bands = [
        LateBand(
            _("%(start)s to %(end)s days") % {"start": start, "end": end}
            if end is not None
            else _("More than %(days)s days") % {"days": start - 1},
            counts[f"band_{index}"],
        )
        for index, (start, end) in enumerate(LATE_BANDS)
    ]
    latest = list(without_encrypted(late_claims(today=today), "engagement__person")[:10])
    return render(
        request,
        "recruitment/claims/timeliness.html",
        {
            "late_total": counts["total"],
            "bands": bands,
            "latest": [(claim, days_late(claim, today)) for claim in latest],
            "months": median_days_to_pay_by_month(since=since),
            "since": since,
        },
    )


def _claim_page(
    request: HttpRequest,
    claim: HonorariumClaim,
    *,
    approve_form: Form | None = None,
    query_form: Form | None = None,
    paid_form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    may_approve = may_approve_claim(user, claim)
    may_pay = may_mark_claim_paid(user, claim)
    events = (
        ClaimEvent.objects.filter(claim=claim).select_related("by__person").order_by("at", "pk")
    )
    # The form that was sent (if any): its errors mark the page's title.
    posted = approve_form or query_form or paid_form
    approve_form = approve_form or ApproveClaimForm()
    query_form = query_form or QueryClaimForm()
    paid_form = paid_form or MarkPaidForm()
    for form, url_name in (
        (approve_form, "recruitment:claim_approve"),
        (query_form, "recruitment:claim_query"),
        (paid_form, "recruitment:claim_mark_paid"),
    ):
        form.helper.form_action = reverse(url_name, kwargs={"pk": claim.pk})
    return render(
        request,
        "recruitment/claims/claim.html",
        {
            "claim": claim,
            "engagement": claim.engagement,
            "person": claim.engagement.person,
            "events": list(events),
            "receipts": list(claim.receipts.all()),
            "year": year_total_for_person(claim.engagement.person, on=claim.engagement.date),
            "days_late": days_late(claim, london_today()),
            "own": user.person_id == claim.engagement.person_id,
            "may_approve": may_approve and claim.status == ClaimStatus.SUBMITTED,
            "may_query": may_approve
            and claim.status in {ClaimStatus.SUBMITTED, ClaimStatus.APPROVED},
            "may_pay": may_pay and claim.status == ClaimStatus.APPROVED,
            "form": posted,
            "approve_form": approve_form,
            "query_form": query_form,
            "paid_form": paid_form,
        },
        status=status,
    )


def _claims_to_see(user: User) -> QuerySet[HonorariumClaim]:
    """The claim pages show staff every claim they may see (never their people's encrypted
    fields: the legal name is for finance's export only); anyone else is refused before."""
    if not may_see_claims(user):
        return HonorariumClaim.objects.none()
    return without_encrypted(claims_for_user(user), "engagement__person")


@require_http_methods(["GET"])
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, may_see_claims(request.user))
    claim = get_object_for_user(request, _claims_to_see, pk=pk)
    return _claim_page(request, claim)


@require_POST
def claim_approve(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, may_see_claims(request.user))
    claim = get_object_for_user(request, _claims_to_see, action=may_approve_claim, pk=pk)
    form = ApproveClaimForm(request.POST)
    if form.is_valid():
        try:
            approve_claim(claim, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Claim %(reference)s is approved.") % {"reference": claim.reference}
            )
            return redirect("recruitment:claim", pk=claim.pk)
    return _claim_page(request, claim, approve_form=form, status=400)


@require_POST
def claim_query(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, may_see_claims(request.user))
    claim = get_object_for_user(request, _claims_to_see, action=may_approve_claim, pk=pk)
    form = QueryClaimForm(request.POST)
    if form.is_valid():
        try:
            query_claim(claim, by=request.user, question=form.cleaned_data["question"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your question is sent with claim %(reference)s.")
                % {"reference": claim.reference},
            )
            return redirect("recruitment:claim", pk=claim.pk)
    return _claim_page(request, claim, query_form=form, status=400)


@require_POST
def claim_mark_paid(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, may_see_claims(request.user))
    claim = get_object_for_user(request, _claims_to_see, action=may_mark_claim_paid, pk=pk)
    form = MarkPaidForm(request.POST)
    if form.is_valid():
        try:
            mark_claim_paid(
                claim,
                by=request.user,
                paid_on=form.cleaned_data["paid_on"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Claim %(reference)s is marked paid.") % {"reference": claim.reference},
            )
            return redirect("recruitment:claim", pk=claim.pk)
    return _claim_page(request, claim, paid_form=form, status=400)


def receipt_response(receipt: ClaimReceipt) -> HttpResponse:
    """The receipt as a download, never shown in the browser: saved as a file, with the kind
    recognised when it was sent, no guessing by the browser, and not kept in any cache. Read
    whole (receipts are small, settings.COPROD_RECEIPT_MAX_BYTES): no file is left open."""
    with receipt_storage.open(receipt.file.name, "rb") as stored:
        content = stored.read()
    response = HttpResponse(content, content_type=receipt.content_type)
    filename = f"receipt-{receipt.claim.reference}-{receipt.pk}.{receipt.extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_http_methods(["GET"])
def claim_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, may_see_claims(request.user))
    receipt = get_object_for_user(request, receipts_for_user, pk=pk)
    log_restricted_view(receipt, actor=request.user, fields=["file"], context="claim receipt")
    return receipt_response(receipt)


@require_http_methods(["GET"])
def payments_csv(request: HttpRequest) -> HttpResponse:
    require(request, may_export_payments(request.user))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"payments-{london_today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    export_payments(response, by=request.user)
    return response
