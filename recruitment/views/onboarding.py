"""The portal's "Getting started": the signed-in person's own onboarding checklist, what to do
next, and the training they have done. Only ever their own: there is no id in the URL."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from recruitment.selectors.selection import onboarding_checklist, training_of


@require_http_methods(["GET"])
def checklist(request: HttpRequest) -> HttpResponse:
    person = request.user.person
    return render(
        request,
        "recruitment/onboarding/checklist.html",
        {"checklist": onboarding_checklist(person), "training": training_of(person)},
    )
