"""Agreements a partnership works under: add, change (the document too), delete.

The document is a PDF or a Word document (.docx), recognised by its content with funding's check
(`funding.services.attachments.attachment_type`: never by the name or the type the browser
claims), no bigger than `max_document_bytes()`. It is stored in the private partnership files
(`partnership_file_storage`) under a random name; `document_name` keeps the name it came with, to
show it back. A file is written before its row is saved and removed again if anything after
fails; a replaced or deleted file goes from the disk once the change is committed."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.models import User
from funding.models import AttachmentType
from funding.services.attachments import attachment_type
from partnerships.models import Agreement, Partnership, partnership_file_storage
from partnerships.permissions import may_manage_partnership

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
EXTENSIONS = {AttachmentType.PDF: "pdf", AttachmentType.DOCX: "docx"}
NAME_LENGTH = 200
FIELDS = ("kind", "title", "signed_on", "review_on", "notes")


def max_document_bytes() -> int:
    """The largest document accepted (COPROD_PARTNERSHIP_FILE_MAX_BYTES, 10 MB by default)."""
    return int(getattr(settings, "COPROD_PARTNERSHIP_FILE_MAX_BYTES", DEFAULT_MAX_BYTES))


def shown_name(upload: UploadedFile) -> str:
    return (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].strip()[:NAME_LENGTH]


def check_document(upload: UploadedFile) -> str:
    """Refuse a document that is empty, too big, or not a PDF or .docx (by its content), on the
    `document` field, in words staff can act on. Returns the extension it is stored with."""
    name = shown_name(upload)
    limit = max_document_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {
                "document": _("“%(name)s” is too big. The file must be %(limit)s or smaller.")
                % {"name": name, "limit": filesizeformat(limit)}
            },
            code="too_big",
        )
    if upload.size == 0:
        raise ValidationError({"document": _("“%(name)s” is empty.") % {"name": name}})
    kind = attachment_type(upload)
    if kind is None:
        raise ValidationError(
            {
                "document": _(
                    "“%(name)s” is not a PDF or a Word document (.docx). Save it as a PDF or a "
                    ".docx file and try again."
                )
                % {"name": name}
            },
            code="wrong_type",
        )
    return EXTENSIONS[kind]


def _refuse_unless_manager(partnership: Partnership, by: Actor) -> None:
    if isinstance(by, User) and not may_manage_partnership(by, partnership):
        raise ValidationError(_("You cannot change this partnership's agreements."))


def _validate(agreement: Agreement) -> None:
    """The model's rules, with the review date's own message on its own field."""
    errors: dict[str, list[str]] = {}
    signed_on: date | None = agreement.signed_on
    review_on: date | None = agreement.review_on
    if signed_on and review_on and review_on < signed_on:
        errors["review_on"] = [_("The review date must be on or after the date it was signed.")]
    try:
        agreement.full_clean(exclude=["partnership", "document"], validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _save_with_document(agreement: Agreement, document: UploadedFile | None) -> Agreement:
    """Write `document` (if any) under a random name, then save `agreement`; the new file is
    removed if the save fails, the one it replaces after commit."""
    old_name = agreement.document.name if agreement.pk else ""
    new_name = ""
    if document is not None:
        extension = check_document(document)
        new_name = partnership_file_storage.save(
            f"agreements/{secrets.token_hex(16)}.{extension}", document, max_length=200
        )
        agreement.document.name = new_name
        agreement.document_name = shown_name(document) or f"agreement.{extension}"
    try:
        with transaction.atomic():
            agreement.save()
    except BaseException:
        if new_name:
            partnership_file_storage.delete(new_name)
        raise
    if new_name and old_name:
        transaction.on_commit(lambda: partnership_file_storage.delete(old_name))
    return agreement


@records_actor
@transaction.atomic
def add_agreement(
    partnership: Partnership,
    *,
    by: Actor,
    document: UploadedFile | None = None,
    **fields: Any,
) -> Agreement:
    """Record an agreement of `partnership` (kind, title, signed_on, review_on, notes) with its
    `document`. The review date cannot be before the signing date.

    Side effects: saves the Agreement (audited); writes the document to the private partnership
    files (removed again if the save fails)."""
    _refuse_unless_manager(partnership, by)
    agreement = Agreement(
        partnership=partnership,
        created_by=by if isinstance(by, User) else None,
        **{name: fields[name] for name in FIELDS if name in fields},
    )
    agreement.title = (agreement.title or "").strip()
    _validate(agreement)
    return _save_with_document(agreement, document)


@records_actor
@transaction.atomic
def change_agreement(
    agreement: Agreement,
    *,
    by: Actor,
    document: UploadedFile | None = None,
    **fields: Any,
) -> Agreement:
    """Change `agreement`'s details; a `document` replaces the one it had.

    Side effects: saves the Agreement (audited); writes the new document, and deletes the old
    file after commit."""
    locked = (
        Agreement.objects.select_for_update().select_related("partnership").get(pk=agreement.pk)
    )
    _refuse_unless_manager(locked.partnership, by)
    for name in FIELDS:
        if name in fields:
            setattr(locked, name, fields[name])
    locked.title = (locked.title or "").strip()
    _validate(locked)
    return _save_with_document(locked, document)


@records_actor
@transaction.atomic
def delete_agreement(agreement: Agreement, *, by: Actor) -> None:
    """Delete `agreement`; its document goes from the disk once the deletion is committed.

    Side effects: deletes the Agreement (audited); deletes its file after commit."""
    locked = (
        Agreement.objects.select_for_update().select_related("partnership").get(pk=agreement.pk)
    )
    _refuse_unless_manager(locked.partnership, by)
    name = locked.document.name
    locked.delete()
    if name:
        transaction.on_commit(lambda: partnership_file_storage.delete(name))
