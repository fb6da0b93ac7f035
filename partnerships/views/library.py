"""The good-practice library in the portal: search and filter the published resources, open
one (and its file), propose a resource, see your proposals, and say whether you may be named as
a contributor.

Every resource comes through `resources_for_user` (published ones for everyone signed in, a
proposal only for whoever proposed it and the partnerships team: 404 for anyone else); a
contribution through the visitor's own contributions. People are shown by display name only,
and a contributor only where they agreed to be named."""

from __future__ import annotations

from io import BytesIO
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.doors import form_data_or_draft, saves_draft_on_timeout
from coprod.pagination import page_of
from coprod.permissions import get_object_for_user
from partnerships.forms.library import YES, CreditForm, LibrarySearchForm, ProposeResourceForm
from partnerships.models import Resource, partnership_file_storage
from partnerships.permissions import member_partnerships_for_user, resources_for_user
from partnerships.selectors.library import (
    contributions_for_user,
    contributions_of,
    library_resources_for_user,
    proposals_of,
    published_resources,
    tags_in_use,
)
from partnerships.services.library import propose_resource, set_contributor_credit

PER_PAGE = 20
# The person's own contributions shown on "Your proposals" (most recent first).
CONTRIBUTIONS_SHOWN = 50
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@require_http_methods(["GET"])
def library(request: HttpRequest) -> HttpResponse:
    form = LibrarySearchForm(request.GET or None, tags=list(tags_in_use()))
    filters = form.filters() if request.GET else {"query": "", "tag": "", "kind": ""}
    page = page_of(request, published_resources(**filters), per_page=PER_PAGE)
    searched = any(filters.values())
    return render(
        request,
        "partnerships/library/library.html",
        {"form": form, "page": page, "searched": searched, "query_string": _without_page(request)},
    )


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_http_methods(["GET"])
def resource(request: HttpRequest, resource_id: int) -> HttpResponse:
    found = get_object_for_user(request, library_resources_for_user, pk=resource_id)
    return render(request, "partnerships/library/resource.html", {"resource": found})


def download_name(resource: Resource) -> tuple[str, str]:
    """The person's file name with the extension of what the file really is, and its type."""
    extension = PurePath(resource.file.name).suffix.lstrip(".")
    stem = PurePath(resource.file_name).stem or "resource"
    return f"{stem}.{extension}", CONTENT_TYPES[extension]


@require_http_methods(["GET"])
def resource_file(request: HttpRequest, resource_id: int) -> HttpResponse:
    found = get_object_for_user(request, resources_for_user, pk=resource_id)
    if not found.file:
        raise Http404
    # Read whole (files are small, the proposal files' limit): no file is left open if the
    # download is cut short.
    with partnership_file_storage.open(found.file.name, "rb") as stored:
        content = BytesIO(stored.read())
    filename, content_type = download_name(found)
    response = FileResponse(
        content, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@saves_draft_on_timeout
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    form = ProposeResourceForm(
        form_data_or_draft(request),
        request.FILES if request.method == "POST" else None,
        partnerships=member_partnerships_for_user(request.user).order_by("title"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            propose_resource(by=request.user, **form.proposal(request.user.person))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Thank you. The team will look at it and tell you when it is published."),
            )
            return redirect("partnerships_library:proposals")
    return render(request, "partnerships/library/propose.html", {"form": form})


@require_http_methods(["GET"])
def proposals(request: HttpRequest) -> HttpResponse:
    person = request.user.person
    page = page_of(request, proposals_of(person), per_page=PER_PAGE)
    contributions = list(contributions_of(person)[:CONTRIBUTIONS_SHOWN])
    return render(
        request,
        "partnerships/library/proposals.html",
        {"page": page, "contributions": contributions},
    )


@require_http_methods(["GET", "POST"])
def credit(request: HttpRequest, contribution_id: int) -> HttpResponse:
    contribution = get_object_for_user(request, contributions_for_user, pk=contribution_id)
    answered = contribution.credit_agreed_at is not None
    initial = {"credit": YES if contribution.credited else "no"} if answered else {}
    form = CreditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        set_contributor_credit(contribution, by=request.user, credited=form.credited)
        if form.credited:
            messages.success(request, _("Thank you. We will show your name on it."))
        else:
            messages.success(request, _("Thank you. We will not show your name on it."))
        return redirect("partnerships_library:proposals")
    return render(
        request,
        "partnerships/library/credit.html",
        {"form": form, "contribution": contribution, "resource": contribution.resource},
    )
