"""Staff pages for selection: the opportunities list, an opportunity's pipeline (blind until the
shortlist is fixed), one application (answers, scores, decisions), who is ready (training), and an
accepted person's onboarding.

Every page is for staff who may manage selection (403 for anyone else); objects come from the
`selection_*_for_user` selectors (404 for what does not exist for the visitor); each write calls
one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coprod.audit import log_restricted_view
from coprod.models import Person
from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, may_see_contact_details, require
from recruitment.enums import ApplicationStatus
from recruitment.forms.selection import (
    DecisionForm,
    OnboardingStepForm,
    OpportunityStatusForm,
    RecordTrainingForm,
    ScoreForm,
    TurnDownForm,
)
from recruitment.models import Application, Opportunity, TrainingModule
from recruitment.selectors.selection import (
    COUNTED_STATES,
    PIPELINE_STATES,
    applicant_label,
    application_history,
    onboarding_checklist,
    opportunities_with_counts,
    pipeline,
    pipeline_rows,
    scores_of,
    selection_applications_for_user,
    selection_opportunities_for_user,
    training_of,
    who_is_ready,
)
from recruitment.services.selection import (
    DECISIONS,
    fix_shortlist,
    may_change_opportunity_status,
    may_manage_selection,
    move_opportunity,
    score_application,
    turn_down_remaining,
)
from recruitment.services.training import (
    confirm_access_needs,
    record_agreement_signed,
    record_training_completion,
)

PER_PAGE = 50
# What everyone on the selection pages may read of an application.
ANSWERS = ("why_interested", "what_they_bring")
# Restricted (support and health needs, how to reach the person safely): not a selection
# criterion, so not shown while the shortlist is blind, and only to staff who may see contact,
# access and safe-contact details (coprod.view_contact_details).
SUPPORT = ("support_needs", "safe_contact")


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _opportunity(request: HttpRequest, pk: int) -> Opportunity:
    require(request, may_manage_selection(request.user))
    return get_object_for_user(request, selection_opportunities_for_user, pk=pk)


def _application(request: HttpRequest, pk: int, application_pk: int) -> Application:
    require(request, may_manage_selection(request.user))
    return get_object_for_user(
        request, selection_applications_for_user, pk=application_pk, opportunity_id=pk
    )


@require_http_methods(["GET"])
def opportunity_list(request: HttpRequest) -> HttpResponse:
    require(request, may_manage_selection(request.user))
    page = page_of(request, opportunities_with_counts(request.user), per_page=PER_PAGE)
    return render(
        request,
        "recruitment/selection/opportunity_list.html",
        {"page": page, "states": [ApplicationStatus(state).label for state in COUNTED_STATES]},
    )


def _pipeline_page(
    request: HttpRequest,
    opportunity: Opportunity,
    *,
    status_form: OpportunityStatusForm | None = None,
    status: int = 200,
) -> HttpResponse:
    state = request.GET.get("state", "")
    page = page_of(request, pipeline(opportunity, state=state), per_page=PER_PAGE)
    return render(
        request,
        "recruitment/selection/pipeline.html",
        {
            "opportunity": opportunity,
            "rows": pipeline_rows(opportunity, page.items),
            "page": page,
            "state": state if state in PIPELINE_STATES else "",
            "states": [(value, ApplicationStatus(value).label) for value in PIPELINE_STATES],
            "modules_needed": opportunity.required_modules.count(),
            "status_form": status_form or OpportunityStatusForm(opportunity=opportunity),
            "may_change_status": may_change_opportunity_status(request.user),
        },
        status=status,
    )


@require_http_methods(["GET"])
def opportunity_pipeline(request: HttpRequest, pk: int) -> HttpResponse:
    return _pipeline_page(request, _opportunity(request, pk))


@require_POST
def opportunity_status(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, pk)
    require(request, may_change_opportunity_status(request.user))
    form = OpportunityStatusForm(request.POST, opportunity=opportunity)
    if not form.is_valid():
        return _pipeline_page(request, opportunity, status_form=form, status=400)
    try:
        move_opportunity(opportunity, form.cleaned_data["to"], by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("The opportunity is now “%(status)s”.")
            % {"status": opportunity.get_status_display()},
        )
    return redirect("selection:pipeline", pk=opportunity.pk)


@require_POST
def shortlist_fix(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, pk)
    try:
        fix_shortlist(opportunity, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The shortlist is fixed. Names are now shown."))
    return redirect("selection:pipeline", pk=opportunity.pk)


@require_http_methods(["GET", "POST"])
def turn_down_rest(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, pk)
    form = TurnDownForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            count = turn_down_remaining(
                opportunity,
                by=request.user,
                reason=form.cleaned_data["reason"],
                feedback=form.cleaned_data["feedback"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(count)s people were told they were not selected.") % {"count": count}
            )
            return redirect("selection:pipeline", pk=opportunity.pk)
    return render(
        request,
        "recruitment/selection/turn_down.html",
        {"opportunity": opportunity, "form": form},
        status=400 if form.errors else 200,
    )


def _application_page(
    request: HttpRequest,
    application: Application,
    *,
    score_form: ScoreForm | None = None,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    opportunity = application.opportunity
    hidden = opportunity.names_hidden
    shows_support = not hidden and may_see_contact_details(request.user)
    shown = [*ANSWERS, *(SUPPORT if shows_support else ())]
    log_restricted_view(application, actor=request.user, fields=shown, context="selection")
    scores = scores_of(application)
    criteria = list(opportunity.criteria.all())
    mine = {score.criterion_id: score for score in scores if score.scorer_id == request.user.pk}
    # While names are hidden, the person and the referrer are not even read.
    label = applicant_label(application.number)
    referred_by = None
    if not hidden:
        label = application.person.display_name
        if application.referred_by_id is not None:
            referred_by = application.referred_by.display_name
    return render(
        request,
        "recruitment/selection/application.html",
        {
            "opportunity": opportunity,
            "application": application,
            "label": label,
            "hidden": hidden,
            "referred_by": referred_by,
            "shows_support": shows_support,
            "history": application_history(application),
            "scores": scores,
            "criteria": criteria,
            "score_form": score_form or ScoreForm(criteria=criteria, mine=mine),
            "scorable": application.status
            in {
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.SHORTLISTED,
                ApplicationStatus.CONVERSATION,
            },
            "own": request.user.person_id in (application.person_id, application.referred_by_id),
            "decision_form": decision_form or DecisionForm(application=application),
        },
        status=status,
    )


@require_http_methods(["GET"])
def application_detail(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    return _application_page(request, _application(request, pk, application_pk))


@require_POST
def application_score(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    application = _application(request, pk, application_pk)
    form = ScoreForm(request.POST, criteria=list(application.opportunity.criteria.all()))
    if form.is_valid():
        try:
            score_application(application, by=request.user, scores=form.scores())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect("selection:application", pk=pk, application_pk=application.pk)
    return _application_page(request, application, score_form=form, status=400)


@require_POST
def application_decide(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    application = _application(request, pk, application_pk)
    form = DecisionForm(request.POST, application=application)
    if form.is_valid():
        to = form.cleaned_data["to"]
        extra: dict[str, Any] = {}
        if to in (ApplicationStatus.OFFERED, ApplicationStatus.UNSUCCESSFUL):
            extra["feedback"] = form.cleaned_data["feedback"]
        try:
            DECISIONS[to](application, by=request.user, reason=form.cleaned_data["reason"], **extra)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Done: the application is now “%(status)s”.")
                % {"status": application.get_status_display()},
            )
            return redirect("selection:application", pk=pk, application_pk=application.pk)
    return _application_page(request, application, decision_form=form, status=400)


def _ready_page(
    request: HttpRequest,
    opportunity: Opportunity,
    *,
    form: RecordTrainingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    modules, rows = who_is_ready(opportunity)
    form = form or RecordTrainingForm(
        people=[(row.application_id, row.label) for row in rows], modules=modules
    )
    return render(
        request,
        "recruitment/selection/ready.html",
        {"opportunity": opportunity, "modules": modules, "rows": rows, "form": form},
        status=status,
    )


@require_http_methods(["GET"])
def ready(request: HttpRequest, pk: int) -> HttpResponse:
    return _ready_page(request, _opportunity(request, pk))


@require_POST
def ready_record(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, pk)
    modules, rows = who_is_ready(opportunity)
    people = {row.application_id: row for row in rows}
    form = RecordTrainingForm(
        request.POST, people=[(row.application_id, row.label) for row in rows], modules=modules
    )
    if form.is_valid():
        row = people[form.cleaned_data["application"]]
        module: TrainingModule = form.cleaned_data["module"]
        try:
            record_training_completion(
                Person.objects.get(pk=row.person_id),
                module,
                by=request.user,
                completed_on=form.cleaned_data["completed_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Recorded: %(who)s completed “%(module)s”.")
                % {"who": row.label, "module": module.name},
            )
            return redirect("selection:ready", pk=opportunity.pk)
    return _ready_page(request, opportunity, form=form, status=400)


@require_http_methods(["GET", "POST"])
def onboarding(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    require(request, may_manage_selection(request.user))
    application = get_object_for_user(
        request,
        lambda user: selection_applications_for_user(user).filter(
            status=ApplicationStatus.ACCEPTED
        ),
        pk=application_pk,
        opportunity_id=pk,
    )
    person = application.person
    form = OnboardingStepForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        record = (
            record_agreement_signed
            if form.cleaned_data["step"] == "agreement_signed"
            else confirm_access_needs
        )
        date_name = "signed_on" if record is record_agreement_signed else "confirmed_on"
        try:
            record(person, by=request.user, **{date_name: form.cleaned_data["on"]})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The step is recorded."))
            return redirect("selection:onboarding", pk=pk, application_pk=application.pk)
    return render(
        request,
        "recruitment/selection/onboarding.html",
        {
            "opportunity": application.opportunity,
            "application": application,
            "name": person.display_name,
            "checklist": onboarding_checklist(person),
            "training": training_of(person),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
