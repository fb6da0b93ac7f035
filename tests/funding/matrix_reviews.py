"""Permission-matrix entries for scoring online: the portal's review pages (a member's own
review only; the panel's scores only under the independence rule; an excluded member finds
nothing) and the staff's review pages (funding staff only). Refused writes change nothing.
Joined with the rest in permission_matrix.py."""

from __future__ import annotations

from typing import Any

from funding.enums import ReviewStatus
from funding.models import Review, Score
from tests.funding.permission_matrix import expect
from tests.funding.scene import VISITORS, scene
from tests.matrix import Entry, Visit, signed_in

# Anyone signed in has a "Your reviews" page (empty without a seat).
SIGNED_IN = {**signed_in(200), **dict.fromkeys(VISITORS, 200)}
# Only the visitor's own review, assigned and not excluded.
OWN_REVIEW = expect(member_assigned=200)
OWN_REVIEW_SAVED = expect(member_assigned=302)
NOBODY = expect()
STAFF_ONLY = expect(participants=403, staff=403, staff_funding=200)
STAFF_WRITES = expect(participants=403, staff=403, staff_funding=302)
# An assisted review posted without scores: shown again with errors, nothing saved.
STAFF_FORM_ERRORS = STAFF_ONLY
# Others' scores while scoring is open: the chair and funding staff; members who may open the
# proposal are refused (403); an excluded member and everyone else find nothing (404).
SCORES_OPEN = expect(staff_funding=200, chair=200, member_assigned=403, member_unassigned=403)
# Once closed: also a member with no review left unsent.
SCORES_CLOSED = expect(staff_funding=200, chair=200, member_assigned=403, member_unassigned=200)


def my_reviews(visit: Visit) -> dict[str, Any]:
    scene(visit)
    return {}


def visitors_review(visit: Visit) -> dict[str, Any]:
    """The visitor's own review when they have one (assigned, or kept out by a conflict), else
    another member's."""
    built = scene(visit)
    own = Review.objects.filter(member=built.member).first() if built.member else None
    review = own or built.other_review
    return {"review_id": review.pk, "_other": built.other_review.pk}


def someone_elses_review(visit: Visit) -> dict[str, Any]:
    return {"review_id": scene(visit).other_review.pk}


def sent_review(visit: Visit) -> dict[str, Any]:
    review = scene(visit).other_review
    Review.objects.filter(pk=review.pk).update(status=ReviewStatus.SUBMITTED)
    return {"review_id": review.pk}


def proposal_scores(scoring: str):
    def build(visit: Visit) -> dict[str, Any]:
        return {"proposal_id": scene(visit, scoring=scoring).proposal.pk}

    return build


def call_of_scene(visit: Visit) -> dict[str, Any]:
    return {"call_id": scene(visit).panel.call_id}


def listed(visit: Visit) -> dict[str, Any]:
    scene(visit)
    return {}


def review_state(kwargs: dict[str, Any]) -> Any:
    review = Review.objects.get(pk=kwargs["review_id"])
    scores = sorted(Score.objects.filter(review=review).values_list("criterion_id", "value"))
    return (review.status, review.assisted_by_id, review.reopen_reason, scores)


ENTRIES: dict[str, Entry | list[Entry]] = {
    "funding_reviews:list": Entry(SIGNED_IN, build=my_reviews),
    "funding_reviews:review": [
        Entry(OWN_REVIEW, build=visitors_review, case="the visitor's own"),
        Entry(
            OWN_REVIEW_SAVED,
            build=visitors_review,
            case="the visitor's own, saved",
            method="post",
            data={"save": ""},
            snapshot=review_state,
        ),
        Entry(
            NOBODY,
            build=someone_elses_review,
            case="someone else's, saved",
            method="post",
            data={"save": ""},
            snapshot=review_state,
            never_changes=True,
        ),
    ],
    "funding_reviews:step_back": [
        Entry(OWN_REVIEW, build=visitors_review, case="the visitor's own"),
        Entry(
            NOBODY,
            build=someone_elses_review,
            case="someone else's, stepped back",
            method="post",
            snapshot=review_state,
            never_changes=True,
        ),
    ],
    "funding_reviews:panel_scores": [
        Entry(SCORES_OPEN, build=proposal_scores("open"), case="scoring open"),
        Entry(SCORES_CLOSED, build=proposal_scores("closed"), case="scoring closed"),
    ],
    "funding_review_staff:calls": Entry(STAFF_ONLY, build=listed),
    "funding_review_staff:call": Entry(STAFF_ONLY, build=call_of_scene),
    "funding_review_staff:reopen": [
        Entry(STAFF_ONLY, build=sent_review, case="a sent review"),
        Entry(
            STAFF_WRITES,
            build=sent_review,
            case="a sent review, reopened",
            method="post",
            data={"reason": "A score was entered by mistake"},
            snapshot=review_state,
        ),
    ],
    "funding_review_staff:assisted": [
        Entry(STAFF_ONLY, build=someone_elses_review, case="an assigned review"),
        Entry(
            STAFF_FORM_ERRORS,
            build=someone_elses_review,
            case="an assigned review, sent without scores",
            method="post",
            data={"comment": "Talked it through"},
            snapshot=review_state,
        ),
    ],
}
