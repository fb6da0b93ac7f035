"""Writes for proposal files: a researcher keeps their draft (or sends it) with files attached,
and removes a file while it is still a draft.

A file is recognised by its content, never by its name or the type the browser claims: a PDF by
its first bytes (`%PDF-`), a Word document (.docx) by being a real zip archive holding
`word/document.xml` and `[Content_Types].xml` that declares that part a Word document's main
part, with no macros in it (a renamed program, a plain zip, a macro-enabled .docm — however its
list of types is dressed up — or a picture named `.pdf` is refused).

Files are written before their rows are saved; if anything after fails (a bad file further down
the list, the proposal refused), every file written is removed again: no row without a file, no
file without a row."""

from __future__ import annotations

import secrets
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from funding.enums import ProposalStatus
from funding.models import AttachmentType, Call, Proposal, ProposalAttachment, proposal_file_storage
from funding.services.calls import save_proposal, start_proposal, submit_proposal

# Files a proposal can carry, all savings together.
MAX_ATTACHMENTS_PER_PROPOSAL = 5
# How much of the person's own file name is kept (to show it back).
NAME_LENGTH = 200
PDF_SIGNATURE = b"%PDF-"
DOCX_PARTS = frozenset({"word/document.xml", "[Content_Types].xml"})
# What a plain .docx declares its main part to be (a macro-enabled .docm declares another).
DOCX_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCX_MAIN_PART = "/word/document.xml"
# Where Word keeps macros, and what a macro-enabled part's type says.
MACRO_PART = "vbaproject.bin"
MACRO_TYPE = "macroenabled"
# [Content_Types].xml is a short list; anything far longer is not a Word document's.
CONTENT_TYPES_MAX_BYTES = 64 * 1024
EXTENSIONS = {AttachmentType.PDF: "pdf", AttachmentType.DOCX: "docx"}


@dataclass(frozen=True)
class CheckedAttachment:
    """An upload that passed the checks: what it is, by its content."""

    upload: UploadedFile
    content_type: AttachmentType
    name: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def _is_docx(upload: UploadedFile) -> bool:
    upload.seek(0)
    try:
        if not zipfile.is_zipfile(upload):
            return False
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            if not set(archive.namelist()) >= DOCX_PARTS:
                return False
            if any(name.lower().endswith(MACRO_PART) for name in archive.namelist()):
                return False
            types = archive.getinfo("[Content_Types].xml")
            if types.file_size > CONTENT_TYPES_MAX_BYTES:
                return False
            return _declares_a_word_document(archive.read(types))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ElementTree.ParseError,
        OSError,
        ValueError,
        EOFError,
        KeyError,
    ):
        return False
    finally:
        upload.seek(0)


def _declares_a_word_document(types: bytes) -> bool:
    """Whether `[Content_Types].xml` gives the main part a Word document's type and declares no
    macro-enabled part anywhere (a .docm renamed, or with a Word type added beside its own)."""
    # Word writes no DTD; without one, there are no entities to expand or fetch.
    if b"<!" in types.replace(b"<![CDATA[", b""):
        return False
    content_types = {}
    for element in ElementTree.fromstring(types).iter():  # noqa: S314 (no DTD: checked above)
        kind = element.get("ContentType", "")
        if MACRO_TYPE in kind.lower():
            return False
        # Part names are case-insensitive (Open Packaging Conventions).
        if element.tag.rsplit("}", 1)[-1] == "Override":
            content_types[element.get("PartName", "").lower()] = kind
    return content_types.get(DOCX_MAIN_PART) == DOCX_MAIN_TYPE


def attachment_type(upload: UploadedFile) -> AttachmentType | None:
    """The kind of file `upload` is, read from its content, or None."""
    upload.seek(0)
    head = upload.read(len(PDF_SIGNATURE))
    upload.seek(0)
    if head == PDF_SIGNATURE:
        return AttachmentType.PDF
    if _is_docx(upload):
        return AttachmentType.DOCX
    return None


def _shown_name(upload: UploadedFile) -> str:
    return (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].strip()[:NAME_LENGTH]


def check_attachment(upload: UploadedFile) -> CheckedAttachment:
    """Refuse a file that is empty, too big, or not a PDF or a Word document, in words the
    researcher can act on. Saves nothing."""
    name = _shown_name(upload)
    limit = settings.COPROD_PROPOSAL_FILE_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is too big. Each file must be %(limit)s or smaller.")
            % {"name": name, "limit": filesizeformat(limit)},
            code="too_big",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    kind = attachment_type(upload)
    if kind is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a PDF or a Word document (.docx). Save it as a PDF or a "
                ".docx file and try again."
            )
            % {"name": name},
            code="wrong_type",
        )
    return CheckedAttachment(upload, kind, name or f"file.{EXTENSIONS[kind]}")


def check_attachments(
    uploads: Sequence[UploadedFile], *, already: int = 0
) -> list[CheckedAttachment]:
    """Every upload checked (the first problem found is raised), and no more than
    MAX_ATTACHMENTS_PER_PROPOSAL in all with the `already` attached."""
    if already + len(uploads) > MAX_ATTACHMENTS_PER_PROPOSAL:
        raise ValidationError(
            _("A proposal can have up to %(count)s files. Remove one before adding another.")
            % {"count": MAX_ATTACHMENTS_PER_PROPOSAL},
            code="too_many",
        )
    return [check_attachment(upload) for upload in uploads]


@records_actor
def keep_proposal(
    call: Call,
    *,
    by: Actor,
    draft: Proposal | None,
    fields: dict[str, Any],
    files: Sequence[UploadedFile] = (),
    send: bool = False,
) -> Proposal:
    """The proposal form's one door: start `by`'s draft to `call` (or save their `draft`) with
    `fields`, attach `files`, and send it if `send`. Everything or nothing: a bad file, too many
    files, a refused field or a refused sending leaves no change, no attachment row and no file.

    Side effects: start_proposal or save_proposal (and submit_proposal if sending); a
    ProposalAttachment and its stored file for each file."""
    written: list[str] = []
    try:
        with transaction.atomic():
            if draft is None:
                proposal = start_proposal(call, by=by, **fields)
            else:
                proposal = save_proposal(draft, by=by, **fields)
            # save_proposal holds the proposal's row locked: the count cannot change under us.
            checked = check_attachments(files, already=proposal.attachments.count())
            for attachment in checked:
                written.append(_store(proposal, attachment).file.name)
            if send:
                submit_proposal(proposal, by=by)
            return proposal
    except BaseException:
        for name in written:
            proposal_file_storage.delete(name)
        raise


def _store(proposal: Proposal, attachment: CheckedAttachment) -> ProposalAttachment:
    row = ProposalAttachment(
        proposal=proposal,
        original_name=attachment.name,
        content_type=attachment.content_type,
        size=attachment.upload.size,
    )
    # A random name: nothing of the researcher's file name, nor who they are, on disk.
    stored = proposal_file_storage.save(
        f"{secrets.token_hex(16)}.{attachment.extension}", attachment.upload, max_length=200
    )
    row.file.name = stored
    try:
        row.full_clean(exclude=["proposal"])
        row.save()
    except BaseException:
        proposal_file_storage.delete(stored)
        raise
    return row


@records_actor
@transaction.atomic
def remove_attachment(attachment: ProposalAttachment, *, by: Actor) -> None:
    """The applicant takes a file off their own draft (a sent proposal keeps its files). The
    file goes from the disk once the removal is committed.

    Side effects: deletes the ProposalAttachment; deletes its file after commit."""
    proposal = Proposal.objects.select_for_update().get(pk=attachment.proposal_id)
    if proposal.applicant_id != getattr(by, "person_id", None):
        raise ValidationError(_("This is not your proposal."), code="not_yours")
    if proposal.status != ProposalStatus.DRAFT:
        raise ValidationError(
            _("This proposal has been sent: its files cannot be changed."), code="sent"
        )
    name = attachment.file.name
    ProposalAttachment.objects.filter(pk=attachment.pk).delete()
    transaction.on_commit(lambda: proposal_file_storage.delete(name))
