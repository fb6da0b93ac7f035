"""Receipts a person attaches to the expenses of their claim.

The file is kept by `ReceiptStorage`, outside every folder that is served to the web (its root is
settings.COPROD_RECEIPTS_ROOT), under a random name: the name the person's file had is kept only
to show it back to them and to staff. A receipt is only ever sent through a view that checks who
may see its claim (recruitment.views)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from recruitment.models.honoraria import HonorariumClaim


class ReceiptType(models.TextChoices):
    """The kinds of file accepted, recognised by their first bytes (never by their name)."""

    PDF = "application/pdf", _("PDF")
    JPEG = "image/jpeg", _("JPEG picture")
    PNG = "image/png", _("PNG picture")


# The first bytes of each kind of file, and the extension its stored copy gets.
RECEIPT_SIGNATURES: tuple[tuple[bytes, ReceiptType, str], ...] = (
    (b"%PDF-", ReceiptType.PDF, "pdf"),
    (b"\xff\xd8\xff", ReceiptType.JPEG, "jpg"),
    (b"\x89PNG\r\n\x1a\n", ReceiptType.PNG, "png"),
)


@deconstructible(path="recruitment.models.receipts.ReceiptStorage")
class ReceiptStorage(FileSystemStorage):
    """Files under settings.COPROD_RECEIPTS_ROOT, read when used (so tests can point it at a
    temporary folder). It has no URL: receipts are never served as files."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.COPROD_RECEIPTS_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    @cached_property
    def base_url(self) -> str:  # type: ignore[override]
        return ""

    def url(self, name: str | None) -> str:
        raise ValueError("Receipts have no address: they are sent by a view that checks access.")


receipt_storage = ReceiptStorage()


class ClaimReceipt(models.Model):
    """One receipt (a PDF or a picture) for the expenses of a claim."""

    claim = models.ForeignKey(HonorariumClaim, on_delete=models.CASCADE, related_name="receipts")
    file = models.FileField(_("file"), storage=receipt_storage, max_length=200)
    original_name = models.CharField(
        _("file name"), max_length=200, help_text=_("Shown only: the stored file has another.")
    )
    content_type = models.CharField(_("type"), max_length=40, choices=ReceiptType.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    added_at = models.DateTimeField(_("added on"), default=timezone.now)

    class Meta:
        verbose_name = _("claim receipt")
        verbose_name_plural = _("claim receipts")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_content_type_display()} #{self.pk}"

    @property
    def extension(self) -> str:
        return next(ext for _sig, kind, ext in RECEIPT_SIGNATURES if kind == self.content_type)
