"""The participant portal: a person's own profile, contact preferences, consent and involvement.

Everything here is about the signed-in person's own records; there is no object id in the URL
to guess, except the consent purpose, which is checked against the known purposes."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from coprod.doors import form_data_or_draft, saves_draft_on_timeout
from coprod.enums import ConsentPurpose, PersonStatus
from coprod.forms import (
    ConsentAnswerForm,
    InvolvementForm,
    LeaveConfirmForm,
    LeaveForm,
    ProfileForm,
    SafeContactForm,
)
from coprod.pagination import page_of
from coprod.selectors import (
    consent_states_for_person,
    messages_for_person,
    pending_erasure_request,
    safe_contact_for_person,
    things_to_do_for_person,
)
from coprod.services.consent import give_consent, withdraw_consent
from coprod.services.contact import update_safe_contact
from coprod.services.people import set_involvement_status, update_profile
from coprod.services.rights import (
    cancel_erasure_request,
    export_personal_data,
    request_erasure,
)


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
    prefs = safe_contact_for_person(person)
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


MESSAGES_PER_PAGE = 20


@require_http_methods(["GET"])
def message_list(request: HttpRequest) -> HttpResponse:
    """A page of messages, newest first (coprod.pagination: no count query)."""
    page = page_of(request, messages_for_person(request.user.person), per_page=MESSAGES_PER_PAGE)
    return render(request, "portal/messages.html", {"page": page})


@require_http_methods(["GET"])
def support(request: HttpRequest) -> HttpResponse:
    prefs = safe_contact_for_person(request.user.person)
    return render(request, "portal/support.html", {"prefs": prefs})


# Your information: download it, stop taking part, have it deleted -------------------------------

# Headings for the core's sections of the download; an app's sections use their own keys.
SECTION_TITLES = {
    "coprod": _lazy("Your account"),
    "about_you": _lazy("About you"),
    "sign_in": _lazy("Signing in"),
    "roles": _lazy("Your roles"),
    "what_you_agreed_to": _lazy("What you agreed to"),
    "how_we_contact_you": _lazy("How we contact you"),
    "messages": _lazy("Messages"),
    "invitations": _lazy("Invitations"),
    "saved_form_answers": _lazy("Answers we saved for you"),
    "requests_to_delete_your_information": _lazy("Requests to delete your information"),
}


def _title(key: str) -> str:
    return str(SECTION_TITLES.get(key, key.replace("_", " ").capitalize()))


def _shown(value: object) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        return ", ".join(_shown(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{_title(key)}: {_shown(item)}" for key, item in value.items())
    return str(value)


def _rows(record: dict[str, object]) -> list[tuple[str, str]]:
    return [(_title(key), _shown(value)) for key, value in record.items()]


# A long list (years of messages) is shown in part on the page; the file holds all of it.
RECORDS_SHOWN_PER_SECTION = 10


def _sections(data: dict[str, object]) -> list[dict[str, object]]:
    """The download as headed sections: a record is a list of (label, value) rows; a list of
    records is shown one after another, the first RECORDS_SHOWN_PER_SECTION of them."""
    sections = []
    for app, parts in data.items():
        if not isinstance(parts, dict):
            continue
        for key, value in parts.items():
            if isinstance(value, list):
                records = [item for item in value if isinstance(item, dict)]
            elif isinstance(value, dict):
                records = [value]
            else:
                records = []
            shown = records[:RECORDS_SHOWN_PER_SECTION]
            sections.append(
                {
                    "app": app,
                    "title": _title(key),
                    "records": [_rows(record) for record in shown],
                    "not_shown": len(records) - len(shown),
                }
            )
    return sections


@require_http_methods(["GET"])
def my_data(request: HttpRequest) -> HttpResponse:
    data = export_personal_data(request.user.person, by=request.user)
    return render(
        request,
        "portal/my_data.html",
        {"sections": _sections(data), "generated": data["generated"]},
    )


@require_http_methods(["GET"])
def my_data_download(request: HttpRequest) -> HttpResponse:
    data = export_personal_data(request.user.person, by=request.user)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="my-information.json"'
    return response


@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest) -> HttpResponse:
    person = request.user.person
    pending = pending_erasure_request(person)
    if pending is not None:
        return render(request, "portal/leave_pending.html", {"request_": pending})
    form = LeaveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        url = reverse("portal:leave_confirm")
        return redirect(f"{url}?{urlencode({'choice': form.cleaned_data['choice']})}")
    return render(
        request,
        "portal/leave.html",
        {"form": form, "withdrawn": person.status == PersonStatus.WITHDRAWN},
    )


@require_http_methods(["GET", "POST"])
def leave_confirm(request: HttpRequest) -> HttpResponse:
    person = request.user.person
    if pending_erasure_request(person) is not None:
        return redirect("portal:leave")
    choice = (request.POST if request.method == "POST" else request.GET).get("choice")
    if choice not in ("withdraw", "erase"):
        return redirect("portal:leave")
    form = LeaveConfirmForm(
        request.POST if request.method == "POST" else None, initial={"choice": choice}
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm"] != "yes":
            return redirect("portal:home")
        if form.cleaned_data["choice"] == "erase":
            request_erasure(person, by=request.user)
            messages.success(
                request,
                _("We have your request. We will delete your information within one month."),
            )
            return redirect("portal:leave")
        set_involvement_status(person, PersonStatus.WITHDRAWN, by=request.user)
        messages.success(request, _("You have stopped taking part. We will not contact you."))
        return redirect("portal:home")
    return render(request, "portal/leave_confirm.html", {"form": form, "choice": choice})


@require_POST
def erasure_cancel(request: HttpRequest) -> HttpResponse:
    pending = pending_erasure_request(request.user.person)
    if pending is not None:
        cancel_erasure_request(pending, by=request.user, reason="Cancelled by the person.")
        messages.success(request, _("Your request is cancelled. We will keep your information."))
    return redirect("portal:leave")
