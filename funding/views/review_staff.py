"""Staff pages for reviews (funding staff who may change reviews, 403 for anyone else): the calls
with panels, a call's reviews by state (stepped back first, to reassign), reopening a sent review
with a reason, and an assisted review (staff enter a member's scores after talking it through)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, require
from funding.enums import ReviewStatus
from funding.forms.reviews import ReopenForm, ReviewForm
from funding.models import Review
from funding.permissions import may_manage_reviews
from funding.selectors.reviews import (
    call_reviews,
    staff_calls_for_user,
    staff_reviews_for_user,
)
from funding.services.reviews import criteria_for, reopen_review, submit_assisted_review
from funding.views.reviews import add_service_errors

PER_PAGE = 50


@require_http_methods(["GET"])
def call_list(request: HttpRequest) -> HttpResponse:
    require(request, may_manage_reviews(request.user))
    page = page_of(request, staff_calls_for_user(request.user), per_page=PER_PAGE)
    return render(request, "funding/reviews/staff/calls.html", {"page": page})


@require_http_methods(["GET"])
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    require(request, may_manage_reviews(request.user))
    call = get_object_for_user(request, staff_calls_for_user, pk=call_id)
    page = page_of(request, call_reviews(call), per_page=PER_PAGE)
    return render(request, "funding/reviews/staff/call.html", {"call": call, "page": page})


def _review(request: HttpRequest, review_id: int) -> Review:
    require(request, may_manage_reviews(request.user))
    return get_object_for_user(request, staff_reviews_for_user, pk=review_id)


@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if review.status != ReviewStatus.SUBMITTED:
        messages.info(request, _("Only a sent review can be reopened."))
        return redirect("funding_review_staff:call", call_id=review.proposal.call_id)
    if request.method == "POST" and form.is_valid():
        try:
            reopen_review(review, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The review is reopened. The member has been told."))
            return redirect("funding_review_staff:call", call_id=review.proposal.call_id)
    return render(request, "funding/reviews/staff/reopen.html", {"review": review, "form": form})


@require_http_methods(["GET", "POST"])
def assisted(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    if review.status not in (ReviewStatus.ASSIGNED, ReviewStatus.DRAFT):
        messages.info(request, _("Only a review not yet sent can be entered for a member."))
        return redirect("funding_review_staff:call", call_id=review.proposal.call_id)
    criteria = criteria_for(review.member, review.proposal.call_id)
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        criteria=criteria,
        review=review,
        send_label=_("Send the review for the member"),
        may_save=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            submit_assisted_review(review, by=request.user, **form.to_service())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The review is sent, recorded as entered with your help."))
            return redirect("funding_review_staff:call", call_id=review.proposal.call_id)
    return render(request, "funding/reviews/staff/assisted.html", {"review": review, "form": form})
