"""The portal's scoring pages for panel members: "Your reviews", a review (the proposal, then
one scoring form), stepping back, and the panel's other scores of a proposal (only when
funding.permissions.may_see_panel_scores says so: members score independently)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.doors import form_data_or_draft, saves_draft_on_timeout
from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, require
from funding.enums import ReviewStatus
from funding.forms.reviews import ReviewForm, StepBackForm
from funding.models import Panel, Review
from funding.permissions import may_see_panel_scores, scoring_is_open
from funding.selectors.reviews import (
    my_reviews,
    other_reviews,
    reviews_for_user,
    scored_proposals_for_user,
)
from funding.services.reviews import criteria_for, save_review, step_back, submit_review

PER_PAGE = 30


def add_service_errors(form: ReviewForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_http_methods(["GET"])
def review_list(request: HttpRequest) -> HttpResponse:
    require(request, request.user.person_id is not None)
    page = page_of(request, my_reviews(request.user), per_page=PER_PAGE)
    return render(request, "funding/reviews/list.html", {"page": page})


def _review(request: HttpRequest, review_id: int) -> Review:
    return get_object_for_user(request, reviews_for_user, pk=review_id)


def _refused_because(review: Review, panel: Panel) -> str:
    if review.status == ReviewStatus.SUBMITTED:
        return _("You have already sent this review, so it cannot be changed.")
    if panel.scoring_started_at is None:
        return _("Scoring has not started yet, so your review could not be saved.")
    return _(
        "Scoring has closed, so your review could not be saved. The funding team can still "
        "enter it with you: please contact them."
    )


@saves_draft_on_timeout
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    proposal, panel = review.proposal, review.proposal.call.panel
    criteria = criteria_for(review.member, proposal.call_id)
    open_now = scoring_is_open(panel)
    locked = review.status == ReviewStatus.SUBMITTED or not open_now
    data = None if locked else form_data_or_draft(request)
    form = ReviewForm(data, criteria=criteria, review=review, disabled=locked)
    if request.method == "POST" and locked:
        # Say why, rather than a bare 403: the deadline may have passed while they typed.
        messages.error(request, _refused_because(review, panel))
        return redirect("funding_reviews:review", review_id=review.pk)
    if request.method == "POST" and form.is_valid():
        service = submit_review if form.sending else save_review
        try:
            service(review, by=request.user, **form.to_service())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.sending:
                messages.success(
                    request,
                    _("Thank you. Your review is sent. You will be paid for this work."),
                )
                return redirect("funding_reviews:list")
            messages.success(
                request,
                _("Your review is saved. You can come back and finish it before it is due."),
            )
            return redirect("funding_reviews:review", review_id=review.pk)
    return render(
        request,
        "funding/reviews/review.html",
        {
            "review": review,
            "proposal": proposal,
            "panel": panel,
            "form": form,
            "locked": locked,
            "scoring_open": open_now,
            "may_see_scores": may_see_panel_scores(request.user, proposal),
        },
    )


@require_http_methods(["GET", "POST"])
def step_back_view(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    require(request, review.status in (ReviewStatus.ASSIGNED, ReviewStatus.DRAFT))
    form = StepBackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            step_back(review, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "You have stepped back from this review. The funding team will give it to "
                    "someone else. This does not count against you."
                ),
            )
            return redirect("funding_reviews:list")
    return render(request, "funding/reviews/step_back.html", {"review": review, "form": form})


@require_http_methods(["GET"])
def panel_scores(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_for_user(
        request, scored_proposals_for_user, action=may_see_panel_scores, pk=proposal_id
    )
    own = reviews_for_user(request.user).filter(proposal=proposal).first()
    reviews = other_reviews(proposal.pk, excluding_member_id=own.member_id if own else None)
    return render(
        request,
        "funding/reviews/panel_scores.html",
        {"proposal": proposal, "reviews": reviews, "own": own},
    )
