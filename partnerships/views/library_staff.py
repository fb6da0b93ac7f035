"""Staff pages of the good-practice library: proposals waiting, a resource's page (with every
contributor, named or not), publishing, declining with a reason, editing, and the published list.

For the partnerships team (`partnerships.view_resource` to see, `partnerships.change_resource` to
act; 403 for anyone else); a resource comes through `staff_resources_for_user`. People are shown
by display name only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coprod.models import Person
from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, require
from partnerships.enums import ResourceStatus
from partnerships.forms.library import DeclineForm, EditResourceForm
from partnerships.models import Resource
from partnerships.permissions import current_memberships, may_publish_resource
from partnerships.selectors.library import (
    all_contributors,
    may_see_staff_library,
    staff_resources_for_user,
    waiting_proposals,
    with_listing,
)
from partnerships.services.library import decline_resource, edit_resource, publish_resource

PER_PAGE = 50


@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    require(request, may_see_staff_library(request.user))
    page = page_of(request, waiting_proposals(), per_page=PER_PAGE)
    return render(request, "partnerships/library/staff/queue.html", {"page": page})


@require_http_methods(["GET"])
def published(request: HttpRequest) -> HttpResponse:
    require(request, may_see_staff_library(request.user))
    resources = with_listing(
        staff_resources_for_user(request.user).filter(status=ResourceStatus.PUBLISHED)
    ).order_by("-published_at", "-pk")
    page = page_of(request, resources, per_page=PER_PAGE)
    return render(request, "partnerships/library/staff/published.html", {"page": page})


def _resource(request: HttpRequest, resource_id: int, *, acting: bool = False) -> Resource:
    require(request, may_see_staff_library(request.user))
    return get_object_for_user(
        request,
        lambda user: with_listing(staff_resources_for_user(user)).select_related("proposed_by"),
        action=may_publish_resource if acting else None,
        pk=resource_id,
    )


@require_http_methods(["GET"])
def resource(request: HttpRequest, resource_id: int) -> HttpResponse:
    found = _resource(request, resource_id)
    return render(
        request,
        "partnerships/library/staff/resource.html",
        {
            "resource": found,
            "contributors": list(all_contributors(found)),
            "may_act": may_publish_resource(request.user, found),
        },
    )


@require_POST
def publish(request: HttpRequest, resource_id: int) -> HttpResponse:
    found = _resource(request, resource_id, acting=True)
    try:
        publish_resource(found, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(title)s” is published.") % {"title": found.title})
    return redirect("partnerships_library_staff:resource", resource_id=found.pk)


@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, resource_id: int) -> HttpResponse:
    found = _resource(request, resource_id, acting=True)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            decline_resource(found, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("“%(title)s” will not be published. The person who proposed it is told.")
                % {"title": found.title},
            )
            return redirect("partnerships_library_staff:queue")
    return render(
        request, "partnerships/library/staff/decline.html", {"form": form, "resource": found}
    )


def _candidates(resource: Resource):
    """Current members of the resource's partnership who are not yet its contributors."""
    if resource.partnership_id is None:
        return Person.objects.none()
    members = current_memberships().filter(partnership_id=resource.partnership_id)
    return (
        Person.objects.filter(pk__in=members.values("person_id"))
        .exclude(resource_contributions__resource=resource)
        .order_by("chosen_name", "generated_name", "pk")
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    found = _resource(request, resource_id, acting=True)
    form = EditResourceForm(
        request.POST if request.method == "POST" else None,
        resource=found,
        candidates=_candidates(found),
    )
    if request.method == "POST" and form.is_valid():
        try:
            edit_resource(found, by=request.user, **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("partnerships_library_staff:resource", resource_id=found.pk)
    return render(
        request, "partnerships/library/staff/edit.html", {"form": form, "resource": found}
    )
