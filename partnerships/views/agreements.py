"""Staff pages of a partnership's agreements: the list, add, change (and replace the document),
the document itself (a download), delete.

For the partnerships team and the partnership's lead: a person who is not staff is refused at
the door (403); a partnership or agreement the visitor does not manage does not exist (404), and
an agreement id of another partnership is not found either."""

from __future__ import annotations

from io import BytesIO
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, require
from partnerships.forms.meetings import AgreementForm, ConfirmForm
from partnerships.models import Agreement, Partnership, partnership_file_storage
from partnerships.permissions import managed_partnerships_for_user, may_manage_partnership
from partnerships.selectors.meetings import agreements_for_user
from partnerships.services.agreements import add_agreement, change_agreement, delete_agreement

PER_PAGE = 50
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def add_errors(form, error: ValidationError) -> None:  # type: ignore[no-untyped-def]
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def staff_door(request: HttpRequest) -> None:
    """The staff pages are for staff: anyone else is refused (403) before any lookup."""
    require(request, request.user.is_authenticated and request.user.is_staff)


def managed_partnership(request: HttpRequest, partnership_id: int) -> Partnership:
    staff_door(request)
    return get_object_for_user(
        request,
        managed_partnerships_for_user,
        action=may_manage_partnership,
        pk=partnership_id,
    )


def _agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    staff_door(request)
    return get_object_for_user(
        request,
        lambda user: agreements_for_user(user).select_related("partnership"),
        action=lambda user, agreement: may_manage_partnership(user, agreement.partnership),
        pk=agreement_id,
    )


@require_http_methods(["GET"])
def agreement_list(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = managed_partnership(request, partnership_id)
    agreements = Agreement.objects.filter(partnership=partnership).order_by("review_on", "pk")
    page = page_of(request, agreements, per_page=PER_PAGE)
    return render(
        request,
        "partnerships/meetings/agreement_list.html",
        {"partnership": partnership, "page": page},
    )


@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = managed_partnership(request, partnership_id)
    posted = request.method == "POST"
    form = AgreementForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            add_agreement(
                partnership,
                by=request.user,
                document=form.cleaned_data["document"],
                **form.fields_for_service,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect("partnerships_agreements:list", partnership_id=partnership.pk)
    return render(
        request,
        "partnerships/meetings/agreement_form.html",
        {"partnership": partnership, "form": form, "agreement": None},
    )


@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    posted = request.method == "POST"
    initial = {
        name: getattr(agreement, name)
        for name in ("kind", "title", "signed_on", "review_on", "notes")
    }
    form = AgreementForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        replacing=bool(agreement.document),
    )
    if posted and form.is_valid():
        try:
            change_agreement(
                agreement,
                by=request.user,
                document=form.cleaned_data["document"],
                **form.fields_for_service,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect("partnerships_agreements:list", partnership_id=agreement.partnership_id)
    return render(
        request,
        "partnerships/meetings/agreement_form.html",
        {"partnership": agreement.partnership, "form": form, "agreement": agreement},
    )


def download_name(agreement: Agreement) -> str:
    """The name the file came with, with the extension of what it really is."""
    extension = PurePath(agreement.document.name).suffix.lstrip(".")
    stem = PurePath(agreement.document_name).stem or "agreement"
    return f"{stem}.{extension}"


@require_http_methods(["GET"])
def agreement_document(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    if not agreement.document:
        raise Http404
    extension = PurePath(agreement.document.name).suffix.lstrip(".")
    # Read whole (documents are small): no file is left open if the download is cut short.
    with partnership_file_storage.open(agreement.document.name, "rb") as stored:
        content = BytesIO(stored.read())
    response = FileResponse(
        content,
        as_attachment=True,
        filename=download_name(agreement),
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_http_methods(["GET", "POST"])
def agreement_delete(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    form = ConfirmForm(request.POST or None, label=_("Delete the agreement"))
    if request.method == "POST":
        delete_agreement(agreement, by=request.user)
        messages.success(
            request, _("The agreement “%(title)s” is deleted.") % {"title": agreement.title}
        )
        return redirect("partnerships_agreements:list", partnership_id=agreement.partnership_id)
    return render(
        request,
        "partnerships/meetings/agreement_delete.html",
        {"agreement": agreement, "form": form},
    )
