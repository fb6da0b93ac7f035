"""Staff pages of organisations and partnerships (mounted at staff/partnerships/).

- The overview: every partnership the visitor manages (partnerships.permissions), where each
  stands on the ladder, and open barriers by kind across them. Any member of staff may open it
  (a lead of another team sees the partnerships they lead); participants are refused (403).
- A partnership's page, edit, "move on the ladder", members: fetched through
  `managed_partnerships_for_user` (404 for a partnership the visitor does not manage), then the
  action is checked (403). A new partnership: the team with `partnerships.add_partnership`.
- Organisations: the partnerships team only (403 for other staff, a lead included).
People are shown by display name only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, is_staff_with, require
from partnerships.enums import (
    OrganisationKind,
    ParticipationLevel,
    PartnershipStatus,
)
from partnerships.forms.partnerships import (
    ConfirmForm,
    EndMembershipForm,
    LevelChangeForm,
    MemberForm,
    OrganisationForm,
    PartnershipForm,
    PractitionerForm,
)
from partnerships.models import Organisation, OrganisationPractitioner
from partnerships.permissions import (
    managed_partnerships_for_user,
    may_change_level,
    may_manage_partnership,
)
from partnerships.selectors.partnerships import (
    ladder,
    lead_choices,
    level_in_words,
    member_choices,
    members_of,
    open_barriers_by_kind,
    organisation_list,
    organisations_for_user,
    overview,
    partnership_page,
    practitioner_choices,
    practitioners_of,
)
from partnerships.services.partnerships import (
    ORGANISATION_FIELDS,
    add_member,
    add_practitioner,
    change_level,
    create_organisation,
    create_partnership,
    end_membership,
    remove_practitioner,
    update_organisation,
    update_partnership,
)

PER_PAGE = 50


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _staff_only(request: HttpRequest) -> None:
    require(request, request.user.is_staff)


def _may_manage_organisations(request: HttpRequest, permission: str) -> None:
    require(request, is_staff_with(request.user, "partnerships.view_organisation", permission))


def _partnership(request: HttpRequest, partnership_id: int, action: Any = None) -> Any:
    _staff_only(request)
    return get_object_for_user(
        request, managed_partnerships_for_user, action=action, pk=partnership_id
    )


# The overview ------------------------------------------------------------------------------------


def _choice(value: str, choices: list[tuple[Any, Any]]) -> str:
    return value if value in {str(key) for key, _label in choices} else ""


@require_http_methods(["GET"])
def overview_page(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    level = _choice(request.GET.get("level", ""), ParticipationLevel.choices)
    status = _choice(request.GET.get("status", ""), PartnershipStatus.choices)
    partnerships = overview(request.user, level=int(level) if level else None, status=status)
    page = page_of(request, partnerships, per_page=PER_PAGE)
    rows = [
        {
            "partnership": partnership,
            "lead": partnership.lead.person.display_name,
            "level": level_in_words(partnership.level),
        }
        for partnership in page.items
    ]
    query = "&".join(
        f"{name}={value}" for name, value in (("level", level), ("status", status)) if value
    )
    return render(
        request,
        "partnerships/staff/overview.html",
        {
            "page": page,
            "rows": rows,
            "barriers": open_barriers_by_kind(request.user),
            "levels": ParticipationLevel.choices,
            "statuses": PartnershipStatus.choices,
            "level": level,
            "status": status,
            "query": query,
            "may_add": is_staff_with(request.user, "partnerships.add_partnership"),
            "may_see_organisations": is_staff_with(request.user, "partnerships.view_organisation"),
        },
    )


# Partnerships ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def partnership_create(request: HttpRequest) -> HttpResponse:
    require(request, is_staff_with(request.user, "partnerships.add_partnership"))
    form = PartnershipForm(
        request.POST if request.method == "POST" else None,
        leads=lead_choices(),
        organisations=Organisation.objects.order_by("name"),
        initial={"lead": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            partnership = create_partnership(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The partnership is created."))
            return redirect("partnerships_staff:partnership", partnership_id=partnership.pk)
    return render(request, "partnerships/staff/partnership_form.html", {"form": form})


@require_http_methods(["GET"])
def partnership_detail(request: HttpRequest, partnership_id: int) -> HttpResponse:
    _staff_only(request)
    partnership = get_object_for_user(
        request,
        lambda user: managed_partnerships_for_user(user).select_related("lead__person"),
        pk=partnership_id,
    )
    return render(
        request,
        "partnerships/staff/partnership.html",
        {
            "partnership": partnership,
            "lead": partnership.lead.person.display_name,
            "may_manage": may_manage_partnership(request.user, partnership),
            "may_change_level": may_change_level(request.user, partnership),
            **partnership_page(partnership),
        },
    )


@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id, may_manage_partnership)
    initial = {
        "title": partnership.title,
        "aims": partnership.aims,
        "lead": partnership.lead_id,
        "organisations": list(partnership.organisations.values_list("pk", flat=True)),
        "starts_on": partnership.starts_on,
        "ends_on": partnership.ends_on,
        "status": partnership.status,
    }
    form = PartnershipForm(
        request.POST if request.method == "POST" else None,
        leads=lead_choices(),
        organisations=Organisation.objects.order_by("name"),
        initial=initial,
        new=False,
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        organisations = fields.pop("organisations")
        try:
            update_partnership(partnership, by=request.user, organisations=organisations, **fields)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The partnership is saved."))
            return redirect("partnerships_staff:partnership", partnership_id=partnership.pk)
    return render(
        request,
        "partnerships/staff/partnership_form.html",
        {"form": form, "partnership": partnership},
    )


@require_http_methods(["GET", "POST"])
def level_change(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id, may_change_level)
    form = LevelChangeForm(
        request.POST if request.method == "POST" else None, current=partnership.level
    )
    if request.method == "POST" and form.is_valid():
        try:
            change_level(partnership, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The partnership is now at %(level)s.")
                % {"level": level_in_words(partnership.level)},
            )
            return redirect("partnerships_staff:partnership", partnership_id=partnership.pk)
    return render(
        request,
        "partnerships/staff/level_form.html",
        {
            "form": form,
            "partnership": partnership,
            "ladder": ladder(partnership.level),
            "level_in_words": level_in_words(partnership.level),
        },
    )


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id, may_manage_partnership)
    form = MemberForm(
        request.POST if request.method == "POST" else None, people=member_choices(partnership)
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = add_member(
                partnership,
                form.cleaned_data["person"],
                form.cleaned_data["role"],
                by=request.user,
                joined_on=form.cleaned_data["joined_on"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now a member.") % {"name": member.person.display_name},
            )
            return redirect("partnerships_staff:partnership", partnership_id=partnership.pk)
    return render(
        request,
        "partnerships/staff/member_form.html",
        {"form": form, "partnership": partnership},
    )


@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, partnership_id: int, member_id: int) -> HttpResponse:
    _staff_only(request)
    member = get_object_for_user(
        request,
        lambda user: (
            members_of(user)
            .filter(partnership_id=partnership_id)
            .select_related("person", "partnership")
        ),
        action=lambda user, member: may_manage_partnership(user, member.partnership),
        pk=member_id,
    )
    form = EndMembershipForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            end_membership(member, by=request.user, left_on=form.cleaned_data["left_on"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s's membership has ended.") % {"name": member.person.display_name},
            )
            return redirect("partnerships_staff:partnership", partnership_id=partnership_id)
    return render(
        request,
        "partnerships/staff/member_end.html",
        {"form": form, "member": member, "partnership": member.partnership},
    )


# Organisations -----------------------------------------------------------------------------------


@require_http_methods(["GET"])
def organisation_list_page(request: HttpRequest) -> HttpResponse:
    _may_manage_organisations(request, "partnerships.view_organisation")
    kind = _choice(request.GET.get("kind", ""), OrganisationKind.choices)
    page = page_of(request, organisation_list(request.user, kind=kind), per_page=PER_PAGE)
    return render(
        request,
        "partnerships/staff/organisations.html",
        {
            "page": page,
            "kinds": OrganisationKind.choices,
            "kind": kind,
            "query": f"kind={kind}" if kind else "",
            "may_add": request.user.has_perm("partnerships.add_organisation"),
        },
    )


def _organisation_form(request: HttpRequest, organisation: Organisation | None) -> HttpResponse:
    initial = (
        {
            "pk": organisation.pk,
            **{name: getattr(organisation, name) for name in ORGANISATION_FIELDS},
        }
        if organisation
        else {}
    )
    form = OrganisationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        submit_label=_("Save") if organisation else _("Add the organisation"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if organisation is None:
                organisation = create_organisation(by=request.user, **form.cleaned_data)
            else:
                update_organisation(organisation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The organisation is saved."))
            return redirect("partnerships_staff:organisation", organisation_id=organisation.pk)
    return render(
        request,
        "partnerships/staff/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    _may_manage_organisations(request, "partnerships.add_organisation")
    return _organisation_form(request, None)


@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    _may_manage_organisations(request, "partnerships.change_organisation")
    organisation = get_object_for_user(request, organisations_for_user, pk=organisation_id)
    return _organisation_form(request, organisation)


@require_http_methods(["GET"])
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    _may_manage_organisations(request, "partnerships.view_organisation")
    organisation = get_object_for_user(request, organisations_for_user, pk=organisation_id)
    return render(
        request,
        "partnerships/staff/organisation.html",
        {
            "organisation": organisation,
            "practitioners": practitioners_of(organisation),
            "partnerships": list(organisation.partnerships.order_by("title")),
            "may_change": request.user.has_perm("partnerships.change_organisation"),
        },
    )


@require_http_methods(["GET", "POST"])
def practitioner_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    _may_manage_organisations(request, "partnerships.change_organisation")
    organisation = get_object_for_user(request, organisations_for_user, pk=organisation_id)
    form = PractitionerForm(
        request.POST if request.method == "POST" else None,
        people=practitioner_choices(organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            add_practitioner(organisation, form.cleaned_data["person"], by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is added as a practitioner.")
                % {"name": form.cleaned_data["person"].display_name},
            )
            return redirect("partnerships_staff:organisation", organisation_id=organisation.pk)
    return render(
        request,
        "partnerships/staff/practitioner_form.html",
        {"form": form, "organisation": organisation},
    )


@require_http_methods(["GET", "POST"])
def practitioner_remove(request: HttpRequest, organisation_id: int, link_id: int) -> HttpResponse:
    _may_manage_organisations(request, "partnerships.change_organisation")
    link = get_object_for_user(
        request,
        lambda user: OrganisationPractitioner.objects.filter(
            organisation__in=organisations_for_user(user), organisation_id=organisation_id
        ).select_related("person", "organisation"),
        pk=link_id,
    )
    form = ConfirmForm(
        request.POST if request.method == "POST" else None,
        submit_label=_("Remove the practitioner"),
    )
    if request.method == "POST" and form.is_valid():
        remove_practitioner(link.organisation, link.person, by=request.user)
        messages.success(
            request,
            _("%(name)s is no longer listed as a practitioner here.")
            % {"name": link.person.display_name},
        )
        return redirect("partnerships_staff:organisation", organisation_id=organisation_id)
    return render(
        request,
        "partnerships/staff/practitioner_remove.html",
        {"form": form, "link": link, "organisation": link.organisation},
    )
