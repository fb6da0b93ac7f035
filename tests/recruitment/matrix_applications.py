"""Permission-matrix entries for the portal's opportunities, applications and referrals."""
# Joined with the rest in permission_matrix.py.
#
# The applicant and "another person", the referring practitioner and "another practitioner" are
# cases of an entry rather than kinds of visitor of their own: each case's `build` makes the
# application the visitor's own (or a referral the visiting practitioner made), or someone
# else's, so every base visitor is asked about both.

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from coprod.enums import ContactChannel, Role
from coprod.models import Person
from coprod.services.contact import update_safe_contact
from recruitment.enums import ApplicationRoute, ApplicationStatus, OpportunityStatus, RoleSought
from recruitment.models import Application
from tests.factories.core import TEST_ACTOR, UserFactory, make_person
from tests.factories.recruitment import ApplicationFactory, OpportunityFactory, application_in
from tests.matrix import (
    LOGIN,
    MFA,
    PARTICIPANT_ROLES,
    STAFF_GROUPS,
    Entry,
    Expect,
    Expected,
    Visit,
    signed_in,
)


def expect(
    *,
    anonymous: Expected = LOGIN,
    staff_no_mfa: Expected = MFA,
    participants: Expected = 404,
    staff: Expected = 404,
    **kinds: Expected,
) -> Expect:
    """Every base visitor's answer: `participants` and `staff` for those not named in `kinds`."""
    answers = {
        "anonymous": anonymous,
        **dict.fromkeys(PARTICIPANT_ROLES, participants),
        "staff_no_mfa": staff_no_mfa,
        **dict.fromkeys(STAFF_GROUPS, staff),
    }
    unknown = set(kinds) - set(answers)
    assert not unknown, unknown
    return {**answers, **kinds}


# Who sees which opportunity: PWLE ones are for PWLE and LEE; LEE ones for LEE; practitioners see
# every open one (to refer someone); engagement and finance staff see all, drafts included.
SEES_PWLE = expect(pwle=200, lee=200, practitioner=200, staff_engagement=200, staff_finance=200)
SEES_LEE = expect(pwle=200, lee=200, practitioner=200, staff_engagement=200, staff_finance=200)
SEES_DRAFT = expect(staff_engagement=200, staff_finance=200)
# Applying: those who see it and hold a role it is for; others who see it are refused.
MAY_APPLY = expect(pwle=200, lee=200, practitioner=403, staff_engagement=403, staff_finance=403)
APPLIED = expect(pwle=302, lee=302, practitioner=403, staff_engagement=403, staff_finance=403)
# Referring: practitioners only; others who see the opportunity are refused.
MAY_REFER = expect(pwle=403, lee=403, practitioner=200, staff_engagement=403, staff_finance=403)
REFERRED = {**MAY_REFER, "practitioner": 302}
# "Your referrals": a page for practitioners.
PRACTITIONERS = expect(participants=403, staff=403, practitioner=200)
# The visitor's own application: any signed-in person (staff too: the portal is their own).
OWN = signed_in(200)
NOT_THEIRS = expect()


def _visitor_or_someone(visit: Visit) -> Person:
    return visit.person or make_person(roles=[Role.PWLE])


def open_opportunities(visit: Visit) -> dict[str, Any]:
    """One of each kind that could leak into the list: for PWLE, for LEE, a draft, a closed one,
    and one the visitor applied to."""
    OpportunityFactory(title="For PWLE")
    OpportunityFactory(title="For LEE", role_sought=RoleSought.LEE)
    OpportunityFactory(title="A draft", status=OpportunityStatus.DRAFT)
    OpportunityFactory(title="Closed", closes_at=timezone.now() - timedelta(days=1))
    application_in(ApplicationStatus.SUBMITTED, person=_visitor_or_someone(visit))
    return {}


def opportunity(**fields: Any) -> Callable[[Visit], dict[str, Any]]:
    def build(visit: Visit) -> dict[str, Any]:
        return {"opportunity_id": OpportunityFactory(**fields).pk}

    return build


def closed_with_visitors_draft(visit: Visit) -> dict[str, Any]:
    """A closed opportunity the visitor (or, anonymous, someone) has a draft for."""
    closed = OpportunityFactory(closes_at=timezone.now() - timedelta(minutes=1))
    application = ApplicationFactory(opportunity=closed, person=_visitor_or_someone(visit))
    return {"opportunity_id": closed.pk, "_application": application.pk}


def application_answers(kwargs: dict[str, Any]) -> Any:
    return list(
        Application.objects.filter(opportunity_id=kwargs["opportunity_id"]).values_list(
            "status", "why_interested", "submitted_at"
        )
    )


def own_application(status: ApplicationStatus) -> Callable[[Visit], dict[str, Any]]:
    def build(visit: Visit) -> dict[str, Any]:
        application = application_in(status, person=_visitor_or_someone(visit))
        return {"application_id": application.pk}

    return build


def someone_elses_application(status: ApplicationStatus) -> Callable[[Visit], dict[str, Any]]:
    def build(visit: Visit) -> dict[str, Any]:
        return {"application_id": application_in(status).pk}

    return build


def _referral(referrer: Person, status: ApplicationStatus, person: Person | None = None) -> int:
    return application_in(
        status,
        person=person or make_person(),
        route=ApplicationRoute.REFERRAL,
        referred_by=referrer,
        consent_confirmed_at=timezone.now(),
    ).pk


def _supported_by(practitioner: Person) -> Person:
    person = make_person(roles=[Role.PWLE])
    update_safe_contact(
        person,
        by=TEST_ACTOR,
        confirm=False,
        channels=[ContactChannel.SUPPORT_WORKER],
        support_worker=practitioner,
    )
    return person


def referral_by_visitor(status: ApplicationStatus) -> Callable[[Visit], dict[str, Any]]:
    """A referral the visiting practitioner made, for a person without a login whom they
    support; other kinds of visitor made no referral: one by some other practitioner is built
    for them."""

    def build(visit: Visit) -> dict[str, Any]:
        referrer = (
            visit.person if visit.kind == "practitioner" else make_person(roles=[Role.PRACTITIONER])
        )
        return {"application_id": _referral(referrer, status, person=_supported_by(referrer))}

    return build


def referral_by_another_practitioner(status: ApplicationStatus) -> Callable[[Visit], Any]:
    def build(visit: Visit) -> dict[str, Any]:
        return {"application_id": _referral(make_person(roles=[Role.PRACTITIONER]), status)}

    return build


def referral_of_someone_with_a_login(visit: Visit) -> dict[str, Any]:
    """An offer to a person who can sign in and answer it themself, though the visiting
    practitioner referred them."""
    person = UserFactory().person
    referrer = visit.person if visit.kind == "practitioner" else make_person()
    return {"application_id": _referral(referrer, ApplicationStatus.OFFERED, person=person)}


def application_state(kwargs: dict[str, Any]) -> Any:
    return Application.objects.filter(pk=kwargs["application_id"]).values_list(
        "status", "why_interested", "status_changed_at"
    )[0]


def referrals_made(visit: Visit) -> dict[str, Any]:
    """The visitor's referral (when a practitioner) and another practitioner's."""
    if visit.kind == "practitioner":
        _referral(visit.person, ApplicationStatus.SUBMITTED)
    _referral(make_person(roles=[Role.PRACTITIONER]), ApplicationStatus.SUBMITTED)
    return {}


def applications_and_people(kwargs: dict[str, Any]) -> Any:
    return (Application.objects.count(), Person.objects.count())


APPLY = {"why_interested": "Because", "what_they_bring": "Ideas", "safe_contact": "Email"}
REFER = {**APPLY, "person": "new", "display_name": "Jo", "consent": "on"}

ENTRIES: dict[str, Entry | list[Entry]] = {
    "opportunities:list": Entry(signed_in(200), build=open_opportunities),
    "opportunities:detail": [
        Entry(SEES_PWLE, build=opportunity(), case="open, for PWLE"),
        Entry(SEES_LEE, build=opportunity(role_sought=RoleSought.LEE), case="open, for LEE"),
        Entry(SEES_DRAFT, build=opportunity(status=OpportunityStatus.DRAFT), case="a draft"),
        Entry(
            signed_in(200),
            build=closed_with_visitors_draft,
            case="closed, the visitor applied",
        ),
    ],
    "opportunities:apply": [
        Entry(MAY_APPLY, build=opportunity(), case="open, for PWLE"),
        Entry(
            APPLIED,
            build=opportunity(),
            case="open, for PWLE, sent",
            method="post",
            data={**APPLY, "send": ""},
            snapshot=application_answers,
        ),
        Entry(
            APPLIED,
            build=opportunity(role_sought=RoleSought.LEE),
            case="for LEE, sent",
            method="post",
            data={**APPLY, "send": ""},
            snapshot=application_answers,
        ),
        # Their own draft: the page is theirs, but the send is refused (shown as an error).
        Entry(
            signed_in(200),
            build=closed_with_visitors_draft,
            case="closed, the visitor's draft sent",
            method="post",
            data={**APPLY, "send": ""},
            snapshot=application_answers,
            never_changes=True,
        ),
    ],
    "opportunities:refer": [
        Entry(MAY_REFER, build=opportunity(), case="open"),
        Entry(
            REFERRED,
            build=opportunity(),
            case="open, sent",
            method="post",
            data={**REFER, "send": ""},
            snapshot=applications_and_people,
        ),
    ],
    "opportunities:applications": Entry(OWN, build=open_opportunities),
    "opportunities:withdraw": [
        Entry(OWN, build=own_application(ApplicationStatus.SUBMITTED), case="the visitor's"),
        Entry(
            NOT_THEIRS,
            build=someone_elses_application(ApplicationStatus.SUBMITTED),
            case="someone else's",
        ),
        Entry(
            NOT_THEIRS,
            build=someone_elses_application(ApplicationStatus.SUBMITTED),
            case="someone else's, withdrawn",
            method="post",
            snapshot=application_state,
            never_changes=True,
        ),
        Entry(
            NOT_THEIRS,
            build=referral_by_visitor(ApplicationStatus.SUBMITTED),
            case="a referral by the visitor, withdrawn",
            method="post",
            snapshot=application_state,
            never_changes=True,
        ),
    ],
    "opportunities:offer": [
        Entry(OWN, build=own_application(ApplicationStatus.OFFERED), case="the visitor's"),
        Entry(
            NOT_THEIRS,
            build=someone_elses_application(ApplicationStatus.OFFERED),
            case="someone else's",
        ),
        Entry(
            NOT_THEIRS,
            build=someone_elses_application(ApplicationStatus.OFFERED),
            case="someone else's, accepted",
            method="post",
            data={"answer": "accept"},
            snapshot=application_state,
            never_changes=True,
        ),
        Entry(
            expect(practitioner=200),
            build=referral_by_visitor(ApplicationStatus.OFFERED),
            case="referred by the visitor, no login",
        ),
        Entry(
            NOT_THEIRS,
            build=referral_of_someone_with_a_login,
            case="referred by the visitor, who can sign in",
            method="post",
            data={"answer": "decline"},
            snapshot=application_state,
            never_changes=True,
        ),
    ],
    "opportunities:referrals": Entry(PRACTITIONERS, build=referrals_made),
    "opportunities:referral": [
        Entry(
            PRACTITIONERS,
            build=referral_by_visitor(ApplicationStatus.SUBMITTED),
            case="made by the visitor",
        ),
        Entry(
            {**PRACTITIONERS, "practitioner": 404},
            build=referral_by_another_practitioner(ApplicationStatus.SUBMITTED),
            case="made by another practitioner",
        ),
        Entry(
            {**PRACTITIONERS, "practitioner": 404},
            build=referral_by_another_practitioner(ApplicationStatus.DRAFT),
            case="another practitioner's draft, sent",
            method="post",
            data={**APPLY, "send": ""},
            snapshot=application_state,
            never_changes=True,
        ),
    ],
}
VISITORS: dict[str, Callable[[], Any]] = {}
