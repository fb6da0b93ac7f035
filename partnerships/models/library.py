"""The good-practice library: guides, lessons learned, case studies and templates. Members
propose; staff publish. Contributors are credited by display name, only with their consent."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerships.enums import ResourceKind, ResourceStatus
from partnerships.models.files import partnership_file_storage
from partnerships.models.partnerships import Partnership


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    # Any script: a tag in Arabic or Ukrainian is as much a tag as one in English.
    slug = models.SlugField(_("short name"), max_length=60, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    summary = models.TextField(_("summary, in plain language"))
    body = models.TextField(_("text"), blank=True)
    file = models.FileField(
        _("file"),
        storage=partnership_file_storage,
        upload_to="library/",
        max_length=200,
        blank=True,
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="resources", verbose_name=_("tags"))
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("the partnership it came from"),
    )
    status = models.CharField(
        max_length=10, choices=ResourceStatus.choices, default=ResourceStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        "coprod.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_resources",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(_("why it was not published"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("library resource")
        verbose_name_plural = _("library resources")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="partnerships_resource_pub")
        ]

    def __str__(self) -> str:
        return self.title


class ResourceContributor(models.Model):
    """Someone who contributed to a resource. Shown, by display name only, where `credited` (their
    consent to be named); otherwise not shown at all."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="contributors")
    person = models.ForeignKey(
        "coprod.Person", on_delete=models.CASCADE, related_name="resource_contributions"
    )
    credited = models.BooleanField(_("agrees to be named"), default=False)
    credit_agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "person"], name="partnerships_contributor_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} on {self.resource_id}"
