"""Proposal files: fetching one (as a download) and removing one from a draft.

A file comes through `attachments_for_user` (404 for anyone who may not see its proposal: a
conflicted panel member too); funding staff's fetches are recorded in the audit trail."""

from __future__ import annotations

from io import BytesIO
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coprod.audit import log_restricted_view
from coprod.models import User
from coprod.permissions import get_object_for_user, require
from funding.models import ProposalAttachment, proposal_file_storage
from funding.permissions import may_open_proposal
from funding.selectors import attachments_for_user
from funding.services import remove_attachment as remove_service
from funding.services.attachments import EXTENSIONS


def _own_attachments(user: User):
    return attachments_for_user(user).filter(proposal__applicant_id=user.person_id)


def download_name(attachment: ProposalAttachment) -> str:
    """The name the researcher gave the file, with the extension of what it really is."""
    stem = PurePath(attachment.original_name).stem or "file"
    return f"{stem}.{EXTENSIONS[attachment.content_type]}"


@require_http_methods(["GET"])
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    found = get_object_for_user(request, attachments_for_user, pk=attachment_id)
    user = request.user
    own = found.proposal.applicant_id == user.person_id
    # The selector already keeps everyone else out; the rule is asked again, by its one name.
    require(request, own or may_open_proposal(user, found.proposal))
    if not own:
        log_restricted_view(found, actor=user, fields=["file"], context="proposal file")
    # Read whole (files are small, settings.COPROD_PROPOSAL_FILE_MAX_BYTES): no file is left
    # open if the download is cut short.
    with proposal_file_storage.open(found.file.name, "rb") as stored:
        content = BytesIO(stored.read())
    response = FileResponse(
        content,
        as_attachment=True,
        filename=download_name(found),
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
def remove_attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    found = get_object_for_user(request, _own_attachments, pk=attachment_id)
    try:
        remove_service(found, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("funding:proposal", proposal_id=found.proposal_id)
    messages.success(
        request, _("“%(name)s” is removed from your proposal.") % {"name": found.original_name}
    )
    return redirect("funding:propose", call_id=found.proposal.call_id)
