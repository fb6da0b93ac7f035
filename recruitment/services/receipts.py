"""Writes for receipts: a person sends their claim with receipts for its expenses, and their
receipts go when their information is erased.

A receipt's file is written before its row is saved; if anything after it fails (a bad file
further down the list, the claim refused), every file written is removed again, so nothing is
left half saved: no row without a file, no file without a row."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.models import Person, User
from recruitment.enums import ClaimStatus, PaymentMethod
from recruitment.models import ClaimReceipt, Engagement, HonorariumClaim, ReceiptType
from recruitment.models.receipts import RECEIPT_SIGNATURES, receipt_storage
from recruitment.services.honoraria import create_claim, submit_claim

# Receipts a claim can carry, all sendings together.
MAX_RECEIPTS_PER_CLAIM = 10
# Claims whose receipts the person can still add to.
OPEN_FOR_RECEIPTS = frozenset({ClaimStatus.DRAFT, ClaimStatus.QUERIED})
# How much of the person's own file name is kept (to show it back to them).
NAME_LENGTH = 200


@dataclass(frozen=True)
class CheckedReceipt:
    """An upload that passed the checks: what it is, by its content."""

    upload: UploadedFile
    content_type: ReceiptType
    extension: str
    name: str


def receipt_type(upload: UploadedFile) -> tuple[ReceiptType, str] | None:
    """The kind of file `upload` is, read from its first bytes (its name and the type the
    browser claims are ignored: both are whatever the sender says), or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, kind, extension in RECEIPT_SIGNATURES:
        if head.startswith(signature):
            return kind, extension
    return None


def check_receipt(upload: UploadedFile) -> CheckedReceipt:
    """Refuse a file that is too big or not a PDF, JPEG or PNG, in words the person can act
    on. Saves nothing."""
    name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].strip()[:NAME_LENGTH]
    limit = settings.COPROD_RECEIPT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is too big. Each receipt must be %(limit)s or smaller.")
            % {"name": name, "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    found = receipt_type(upload)
    if found is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF, JPEG or PNG. Send a photo or a PDF of the receipt.")
            % {"name": name}
        )
    return CheckedReceipt(upload, found[0], found[1], name or found[1])


def check_receipts(uploads: Sequence[UploadedFile], *, already: int = 0) -> list[CheckedReceipt]:
    """Every upload checked (the first problem found is raised), and no more than
    MAX_RECEIPTS_PER_CLAIM in all with the `already` attached."""
    if already + len(uploads) > MAX_RECEIPTS_PER_CLAIM:
        raise ValidationError(
            _("A claim can have up to %(count)s receipts.") % {"count": MAX_RECEIPTS_PER_CLAIM}
        )
    return [check_receipt(upload) for upload in uploads]


def _refuse_not_theirs(engagement: Engagement, by: Actor) -> None:
    if not isinstance(by, User) or by.person_id != engagement.person_id:
        raise ValidationError(_("You can only claim for your own engagements."))


@records_actor
def send_claim_with_receipts(
    engagement: Engagement,
    *,
    by: User,
    method: PaymentMethod | str,
    expenses: Decimal,
    expenses_note: str,
    receipts: Sequence[UploadedFile] = (),
) -> HonorariumClaim:
    """The person sends the claim for their own completed engagement (a draft, or a claim sent
    back with a question), with receipts for its expenses. Everything or nothing: a receipt
    that is too big or of the wrong kind, or a claim the services refuse, leaves no claim sent,
    no receipt row and no file behind.

    Side effects: create_claim (if none yet) and submit_claim (the claim, its ClaimEvents,
    audited); a ClaimReceipt and its stored file for each receipt."""
    _refuse_not_theirs(engagement, by)
    written: list[str] = []
    try:
        with transaction.atomic():
            claim = create_claim(engagement, by=by)
            claim = HonorariumClaim.objects.select_for_update().get(pk=claim.pk)
            if claim.status not in OPEN_FOR_RECEIPTS:
                raise ValidationError(_("You have already sent this claim."))
            checked = check_receipts(receipts, already=claim.receipts.count())
            for receipt in checked:
                written.append(_store(claim, receipt).file.name)
            return submit_claim(
                claim, by=by, method=method, expenses=expenses, expenses_note=expenses_note
            )
    except BaseException:
        for name in written:
            receipt_storage.delete(name)
        raise


def _store(claim: HonorariumClaim, receipt: CheckedReceipt) -> ClaimReceipt:
    row = ClaimReceipt(
        claim=claim,
        original_name=receipt.name,
        content_type=receipt.content_type,
        size=receipt.upload.size,
    )
    # A random name: nothing of the person's file name, nor who they are, on disk.
    stored = receipt_storage.save(
        f"{secrets.token_hex(16)}.{receipt.extension}", receipt.upload, max_length=200
    )
    row.file.name = stored
    try:
        row.full_clean(exclude=["claim"])
        row.save()
    except BaseException:
        receipt_storage.delete(stored)
        raise
    return row


@records_actor
def erase_claim_receipts(person: Person, *, by: Actor) -> int:
    """This app's receipts part of erasing `person`: every receipt of every claim of theirs is
    deleted, paid claims' too. A receipt is a picture of someone else's document (a ticket, a
    till slip) that can show a name, an address, a card's last digits or a journey, and nothing
    in it can be blanked the way the claim's own text is; the paid claim keeps its amounts,
    which is what finance's records need. The rows go now; the files once the erasure's
    transaction commits (if it rolls back, rows and files are both still there).

    Side effects: deletes ClaimReceipt rows; deletes their files after commit. Returns how many."""
    receipts = ClaimReceipt.objects.filter(claim__engagement__person=person)
    names = list(receipts.values_list("file", flat=True))
    receipts.delete()

    def remove_files() -> None:
        for name in names:
            receipt_storage.delete(name)

    transaction.on_commit(remove_files)
    return len(names)
