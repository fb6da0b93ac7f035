"""The portal's opportunities: the list and each opportunity's page, applying (saved as a draft
until sent), "Your applications" (withdraw, answer an offer), and referrals by practitioners."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.audit import log_restricted_view
from coprod.doors import current_roles, form_data_or_draft, saves_draft_on_timeout
from coprod.enums import Role
from coprod.models import User
from coprod.pagination import page_of
from coprod.permissions import Selector, get_object_for_user, require
from recruitment.enums import FINAL_APPLICATION_STATES, ApplicationStatus
from recruitment.forms.applications import (
    ACCEPT,
    ApplicationForm,
    OfferAnswerForm,
    ReferralAnswersForm,
    ReferralForm,
    WithdrawForm,
)
from recruitment.models import Application, Opportunity
from recruitment.selectors.opportunities import (
    answerable_offers,
    applications_of_person,
    listed_opportunities,
    offered_to,
    own_applications,
    people_supported_by,
    portal_opportunities,
    referrals_by,
)
from recruitment.services.applications import (
    accept_offer,
    decline_offer,
    may_answer_offer,
    refer_person,
    save_application,
    start_application,
    submit_application,
    withdraw_application,
)

PER_PAGE = 20
# The answers a referring practitioner is shown (restricted: their view is audited).
ANSWER_FIELDS = ("why_interested", "what_they_bring", "support_needs", "safe_contact")


def _visible(roles: frozenset[str]) -> Selector:
    return lambda user: portal_opportunities(user, roles=roles)


def _own_application(opportunity: Opportunity, user: User) -> Application | None:
    return Application.objects.filter(opportunity=opportunity, person_id=user.person_id).first()


def _posted(request: HttpRequest) -> QueryDict | None:
    """The post, even an empty one (a form with only a button)."""
    return request.POST if request.method == "POST" else None


def _answers(application: Application | None) -> dict[str, str]:
    if application is None:
        return {}
    return {field: getattr(application, field) for field in ANSWER_FIELDS}


@require_http_methods(["GET"])
def opportunity_list(request: HttpRequest) -> HttpResponse:
    roles = current_roles(request)
    page = page_of(request, listed_opportunities(request.user, roles=roles), per_page=PER_PAGE)
    for opportunity in page.items:
        status = opportunity.my_status
        opportunity.my_status_label = ApplicationStatus(status).label if status else ""
    return render(
        request,
        "recruitment/opportunities/list.html",
        {"page": page, "practitioner": Role.PRACTITIONER in roles},
    )


@require_http_methods(["GET"])
def opportunity_detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    roles = current_roles(request)
    opportunity = get_object_for_user(request, _visible(roles), pk=opportunity_id)
    application = _own_application(opportunity, request.user)
    return render(
        request,
        "recruitment/opportunities/detail.html",
        {
            "opportunity": opportunity,
            "application": application,
            "may_apply": opportunity.is_open and offered_to(opportunity, roles),
            "may_refer": opportunity.is_open and Role.PRACTITIONER in roles,
        },
    )


@saves_draft_on_timeout
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    roles = current_roles(request)
    opportunity = get_object_for_user(request, _visible(roles), pk=opportunity_id)
    existing = _own_application(opportunity, request.user)
    require(request, existing is not None or offered_to(opportunity, roles))
    if existing is not None and existing.status != ApplicationStatus.DRAFT:
        messages.info(request, _("You have already sent this application. You can see it below."))
        return redirect("opportunities:applications")
    form = ApplicationForm(form_data_or_draft(request), initial=_answers(existing))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                application = existing or start_application(opportunity, by=request.user)
                save_application(application, by=request.user, **form.answers())
                if form.sending:
                    submit_application(application, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.sending:
                messages.success(
                    request,
                    _("Thank you. Your application is sent. We will tell you what happens next."),
                )
            else:
                messages.success(
                    request,
                    _(
                        "Your answers are saved. You can finish your application later, on "
                        "this or another device, before the closing date."
                    ),
                )
            return redirect("opportunities:applications")
    return render(
        request,
        "recruitment/opportunities/apply.html",
        {"form": form, "opportunity": opportunity, "application": existing},
    )


@require_http_methods(["GET"])
def application_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, applications_of_person(request.user.person), per_page=PER_PAGE)
    return render(
        request,
        "recruitment/opportunities/applications.html",
        {"page": page, "final_states": FINAL_APPLICATION_STATES},
    )


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    application = get_object_for_user(request, own_applications, pk=application_id)
    if application.status in FINAL_APPLICATION_STATES:
        messages.info(request, _("This application has ended: there is nothing to withdraw."))
        return redirect("opportunities:applications")
    form = WithdrawForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            withdraw_application(application, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your application is withdrawn."))
            return redirect("opportunities:applications")
    return render(
        request,
        "recruitment/opportunities/withdraw.html",
        {"form": form, "application": application},
    )


@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, application_id: int) -> HttpResponse:
    application = get_object_for_user(request, answerable_offers, pk=application_id)
    for_someone_else = application.person_id != request.user.person_id
    done = "opportunities:referrals" if for_someone_else else "opportunities:applications"
    if application.status != ApplicationStatus.OFFERED:
        messages.info(request, _("There is no offer to answer for this application."))
        return redirect(done)
    form = OfferAnswerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        accepting = form.cleaned_data["answer"] == ACCEPT
        try:
            if accepting:
                accept_offer(application, by=request.user)
            else:
                decline_offer(application, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if accepting:
                messages.success(
                    request,
                    _("Thank you. The place is accepted. We will be in touch about what is next."),
                )
            else:
                messages.success(request, _("Thank you for telling us. The place is declined."))
            return redirect(done)
    return render(
        request,
        "recruitment/opportunities/offer.html",
        {"form": form, "application": application, "for_someone_else": for_someone_else},
    )


# Referrals: practitioners only, and only the referrals they made.


def _require_practitioner(request: HttpRequest) -> None:
    require(request, Role.PRACTITIONER in current_roles(request))


@saves_draft_on_timeout
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    roles = current_roles(request)
    opportunity = get_object_for_user(request, _visible(roles), pk=opportunity_id)
    _require_practitioner(request)
    form = ReferralForm(
        form_data_or_draft(request), supported=people_supported_by(request.user.person)
    )
    if request.method == "POST" and form.is_valid():
        try:
            refer_person(
                opportunity,
                by=request.user,
                person=form.chosen_person(),
                display_name=form.cleaned_data["display_name"],
                consent_confirmed=form.cleaned_data["consent"],
                send=form.sending,
                **form.answers(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.sending:
                messages.success(request, _("Thank you. Your referral is sent."))
            else:
                messages.success(
                    request, _("Your referral is saved. You can finish it and send it later.")
                )
            return redirect("opportunities:referrals")
    return render(
        request, "recruitment/opportunities/refer.html", {"form": form, "opportunity": opportunity}
    )


@require_http_methods(["GET"])
def referral_list(request: HttpRequest) -> HttpResponse:
    _require_practitioner(request)
    page = page_of(request, referrals_by(request.user), per_page=PER_PAGE)
    return render(request, "recruitment/opportunities/referrals.html", {"page": page})


@saves_draft_on_timeout
@require_http_methods(["GET", "POST"])
def referral(request: HttpRequest, application_id: int) -> HttpResponse:
    _require_practitioner(request)
    application = get_object_for_user(request, referrals_by, pk=application_id)
    form = None
    if application.status == ApplicationStatus.DRAFT:
        form = ReferralAnswersForm(form_data_or_draft(request), initial=_answers(application))
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    save_application(application, by=request.user, **form.answers())
                    if form.sending:
                        submit_application(application, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Thank you. Your referral is sent.")
                    if form.sending
                    else _("Your referral is saved. You can finish it and send it later."),
                )
                return redirect("opportunities:referrals")
    elif request.method == "POST":
        messages.info(request, _("This referral has been sent: it cannot be changed."))
        return redirect("opportunities:referrals")
    log_restricted_view(
        application, actor=request.user, fields=ANSWER_FIELDS, context="portal referral"
    )
    return render(
        request,
        "recruitment/opportunities/referral.html",
        {
            "application": application,
            "form": form,
            "no_login": not User.objects.filter(person_id=application.person_id).exists(),
            "may_answer": application.status == ApplicationStatus.OFFERED
            and may_answer_offer(request.user, application),
            "final_states": FINAL_APPLICATION_STATES,
        },
    )
