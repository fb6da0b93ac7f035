"""Files researchers attach to their proposals.

Kept by `ProposalFileStorage`, outside every folder served to the web (its root is
settings.COPROD_PROPOSAL_FILES_ROOT), under a random name; the name the file had is kept only to
show it. A file is only ever sent through a view that checks who may see its proposal."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from funding.models.calls import Proposal


class AttachmentType(models.TextChoices):
    """The kinds of file accepted, recognised by their content (never by their name)."""

    PDF = "application/pdf", _("PDF")
    DOCX = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _("Word document (.docx)"),
    )


@deconstructible(path="funding.models.files.ProposalFileStorage")
class ProposalFileStorage(FileSystemStorage):
    """Files under settings.COPROD_PROPOSAL_FILES_ROOT, read when used (so tests can point it at
    a temporary folder). It has no URL."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.COPROD_PROPOSAL_FILES_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    @cached_property
    def base_url(self) -> str:  # type: ignore[override]
        return ""

    def url(self, name: str | None) -> str:
        raise ValueError("Proposal files have no address: a view that checks access sends them.")


proposal_file_storage = ProposalFileStorage()


class ProposalAttachment(models.Model):
    """One file (PDF or .docx) attached to a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), storage=proposal_file_storage, max_length=200)
    original_name = models.CharField(
        _("file name"), max_length=200, help_text=_("Shown only: the stored file has another.")
    )
    content_type = models.CharField(_("type"), max_length=100, choices=AttachmentType.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    added_at = models.DateTimeField(_("added on"), default=timezone.now)

    class Meta:
        verbose_name = _("proposal attachment")
        verbose_name_plural = _("proposal attachments")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
