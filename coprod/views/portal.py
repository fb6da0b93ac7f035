"""The participant portal: a person's own profile, contact preferences, consent and involvement.

Everything here is about the signed-in person's own records; there is no object id in the URL
to guess, except the consent purpose, which is checked against the known purposes."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.doors import form_data_or_draft, saves_draft_on_timeout
from coprod.enums import ConsentPurpose, PersonStatus
from coprod.forms import ConsentAnswerForm, InvolvementForm, ProfileForm, SafeContactForm
from coprod.models import SafeContactPreferences
from coprod.selectors import (
    consent_states_for_person,
    messages_for_person,
    things_to_do_for_person,
)
from coprod.services.consent import give_consent, withdraw_consent
from coprod.services.contact import update_safe_contact
from coprod.services.people import set_involvement_status, update_profile


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    person = request.user.person
    return render(
        request,
        "portal/home.html",
        {
            "person": person,
            "paused": person.status == PersonStatus.PAUSED,
            "things_to_do": things_to_do_for_person(person),
        },
    )


@saves_draft_on_timeout
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    person = request.user.person
    form = ProfileForm(form_data_or_draft(request), instance=person)
    if request.method == "POST" and form.is_valid():
        update_profile(person, by=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("portal:home")
    return render(request, "portal/profile.html", {"form": form, "person": person})


@saves_draft_on_timeout
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    person = request.user.person
    prefs, _created = SafeContactPreferences.objects.select_related("support_worker").get_or_create(
        person=person
    )
    form = SafeContactForm(form_data_or_draft(request), prefs=prefs)
    if request.method == "POST" and form.is_valid():
        update_safe_contact(person, by=request.user, confirm=True, **form.changes())
        messages.success(request, _("Thank you. Your contact preferences are saved and confirmed."))
        return redirect("portal:home")
    return render(request, "portal/contact.html", {"form": form, "prefs": prefs})


@require_http_methods(["GET"])
def consents(request: HttpRequest) -> HttpResponse:
    states = consent_states_for_person(request.user.person)
    return render(request, "portal/consents.html", {"states": states})


@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, purpose: str) -> HttpResponse:
    if purpose not in ConsentPurpose.values:
        raise Http404
    person = request.user.person
    state = next(s for s in consent_states_for_person(person) if s.purpose == purpose)
    if state.text is None:
        raise Http404
    form = ConsentAnswerForm(
        request.POST if request.method == "POST" else None,
        initial={"answer": "yes" if state.is_given else None},
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["answer"] == "yes":
            give_consent(person, purpose, by=request.user)
            messages.success(request, _("Thank you. We have saved that you agree."))
        else:
            withdraw_consent(person, purpose, by=request.user)
            messages.success(request, _("We have saved that you do not agree. This applies now."))
        return redirect("portal:consents")
    return render(request, "portal/consent.html", {"form": form, "state": state})


@require_http_methods(["GET", "POST"])
def involvement(request: HttpRequest) -> HttpResponse:
    person = request.user.person
    paused = person.status == PersonStatus.PAUSED
    if person.status == PersonStatus.WITHDRAWN:
        return render(request, "portal/involvement_withdrawn.html", {"person": person})
    form = InvolvementForm(request.POST if request.method == "POST" else None, paused=paused)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm"] == "yes":
            new_status = PersonStatus.ACTIVE if paused else PersonStatus.PAUSED
            set_involvement_status(person, new_status, by=request.user)
            messages.success(
                request,
                _("Welcome back. You are taking part again.")
                if paused
                else _("Your involvement is paused. We will not contact you until you come back."),
            )
        return redirect("portal:home")
    return render(request, "portal/involvement.html", {"form": form, "paused": paused})


@require_http_methods(["GET"])
def message_list(request: HttpRequest) -> HttpResponse:
    items = list(messages_for_person(request.user.person)[:100])
    return render(request, "portal/messages.html", {"items": items})


@require_http_methods(["GET"])
def support(request: HttpRequest) -> HttpResponse:
    prefs = (
        SafeContactPreferences.objects.select_related("support_worker")
        .filter(person=request.user.person)
        .first()
    )
    return render(request, "portal/support.html", {"prefs": prefs})
