"""Writes for the good-practice library: proposing a resource, publishing or declining it,
editing it, its tags, and its contributors' consent to be named.

Anyone signed in may propose a resource (from a partnership only if they are a current member of
it, or staff who manage it); the partnerships team publishes or declines it, and the proposer is
told either way through the outbox. A contributor is named on a resource only once they agree
themselves: nobody else can switch their credit on.

A file is recognised by its content (a PDF or a Word .docx), with funding's checks
(`funding.services.attachments.check_attachment`), and kept under a random name in the
partnerships' private storage. It is written before the row is saved and removed again if
anything after fails: no row without its file, no file without its row."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.models import Person, User
from coprod.services.notifications import queue_notification
from funding.services.attachments import check_attachment
from partnerships.enums import ResourceKind, ResourceStatus
from partnerships.models import (
    Partnership,
    Resource,
    ResourceContributor,
    Tag,
    partnership_file_storage,
)
from partnerships.permissions import may_manage_partnership, may_publish_resource, membership_of

TAG_NAME_MAX = 60
# The longest text a resource can have; a longer one is added as a file. PostgreSQL refuses to
# index more than 1 MB of search words (a server error on saving); 100,000 characters stay well
# under that in any script (about 370 kB at worst, measured).
BODY_MAX = 100_000
# How many tags one resource can carry.
MAX_TAGS = 10
FILE_FOLDER = "library"


# Tags --------------------------------------------------------------------------------------------


def tag_named(name: str) -> Tag:
    """The tag called `name` (found by its short name, so "Pay" and "pay " are one tag), made if
    it is new. Side effects: may save a Tag."""
    name = " ".join(name.split())
    # Letters of every script count (an ASCII-only slug made "Доступ" no tag at all, and
    # "Доступ pay" the tag "pay").
    slug = slugify(name, allow_unicode=True)[:TAG_NAME_MAX]
    if not slug:
        raise ValidationError(
            {"tags": _("“%(name)s” cannot be a tag. Use letters or numbers.") % {"name": name}},
            code="bad_tag",
        )
    if len(name) > TAG_NAME_MAX:
        raise ValidationError(
            {"tags": _("Each tag must be %(max)s characters or fewer.") % {"max": TAG_NAME_MAX}},
            code="tag_too_long",
        )
    # A tag made before slugs kept accents ("Café", short name "cafe") is found by its name.
    existing = Tag.objects.filter(Q(slug=slug) | Q(name=name)).order_by("pk").first()
    if existing is not None:
        return existing
    tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
    return tag


def _tags(names: Iterable[str]) -> list[Tag]:
    wanted = [name for name in names if name and name.strip()]
    tags = {tag.pk: tag for tag in (tag_named(name) for name in wanted)}
    if len(tags) > MAX_TAGS:
        raise ValidationError(
            {"tags": _("A resource can have up to %(max)s tags.") % {"max": MAX_TAGS}},
            code="too_many_tags",
        )
    return list(tags.values())


# Proposing ------------------------------------------------------------------------------------


def _check_body_length(body: str) -> None:
    if len(body) > BODY_MAX:
        raise ValidationError(
            {
                "body": _(
                    "The text must be %(max)s characters or fewer. Add a longer text as a file."
                )
                % {"max": BODY_MAX}
            },
            code="body_too_long",
        )


def _person_of(by: Actor) -> Person | None:
    return by.person if isinstance(by, User) else None


def _check_partnership(by: Actor, partnership: Partnership | None) -> None:
    if partnership is None or not isinstance(by, User):
        return
    if membership_of(by, partnership) is None and not may_manage_partnership(by, partnership):
        raise ValidationError(
            {"partnership": _("You can only share a resource from a partnership you are in.")},
            code="not_a_member",
        )


def _store_file(upload: UploadedFile) -> tuple[str, str]:
    """Check `upload` and write it under a random name: (stored name, the person's file name)."""
    checked = check_attachment(upload)
    stored = partnership_file_storage.save(
        f"{FILE_FOLDER}/{secrets.token_hex(16)}.{checked.extension}", upload, max_length=200
    )
    return stored, checked.name


@records_actor
def propose_resource(
    *,
    by: Actor,
    title: str,
    kind: ResourceKind | str,
    summary: str,
    body: str = "",
    file: UploadedFile | None = None,
    tags: Sequence[str] = (),
    partnership: Partnership | None = None,
    contributors: Sequence[tuple[Person, bool]] = (),
) -> Resource:
    """`by` proposes a resource for the library. It waits for the partnerships team to publish it.

    Refused (nothing saved, no file kept): no text and no file; a text over BODY_MAX; a file
    that is not a PDF or a .docx, empty or too big; a partnership `by` is not a current member
    of (nor manages); a contributor credited who is not `by` (only a person can agree to be
    named — others are added uncredited and asked in the portal).

    Side effects: saves a Resource (status proposed, `proposed_by` = `by`'s person) with its
    tags (new tags are made), a ResourceContributor for each contributor (the credit of `by`
    themselves recorded with the time), and stores the file."""
    person = _person_of(by)
    _check_partnership(by, partnership)
    body = (body or "").strip()
    if not body and not file:
        raise ValidationError(
            {"body": _("Write the text of the resource, or add it as a file.")}, code="empty"
        )
    _check_body_length(body)
    for contributor, credited in contributors:
        if credited and (person is None or contributor.pk != person.pk):
            raise ValidationError(
                _("Only %(name)s can agree to be named as a contributor.")
                % {"name": contributor.display_name},
                code="credit_not_theirs",
            )
    stored = None
    try:
        with transaction.atomic():
            resource = Resource(
                title=title.strip(),
                kind=kind,
                summary=summary.strip(),
                body=body,
                partnership=partnership,
                status=ResourceStatus.PROPOSED,
                proposed_by=person,
            )
            if file:
                stored, resource.file_name = _store_file(file)
                resource.file.name = stored
            resource.full_clean()
            resource.save()
            resource.tags.set(_tags(tags))
            now = timezone.now()
            ResourceContributor.objects.bulk_create(
                ResourceContributor(
                    resource=resource,
                    person=contributor,
                    credited=credited,
                    credit_agreed_at=now if person and contributor.pk == person.pk else None,
                )
                for contributor, credited in {c.pk: (c, cr) for c, cr in contributors}.values()
            )
            return resource
    except BaseException:
        if stored:
            partnership_file_storage.delete(stored)
        raise


# Publishing and declining ----------------------------------------------------------------------


def _refuse_unless_publisher(by: Actor, resource: Resource) -> None:
    if isinstance(by, User) and not may_publish_resource(by, resource):
        raise ValidationError(_("You do not have permission to do this."), code="not_allowed")


def _locked_proposal(resource: Resource) -> Resource:
    # Only the resource's row is locked (PostgreSQL refuses to lock the nullable proposer's).
    locked = (
        Resource.objects.select_for_update(of=("self",))
        .select_related("proposed_by")
        .get(pk=resource.pk)
    )
    if locked.status != ResourceStatus.PROPOSED:
        raise ValidationError(
            _("This resource is no longer waiting: it has been %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code="not_waiting",
        )
    return locked


@records_actor
@transaction.atomic
def publish_resource(resource: Resource, *, by: Actor) -> Resource:
    """The partnerships team publishes a proposed resource: every signed-in person can now find
    it in the library.

    Side effects: saves the Resource (published, when and by whom); queues a message to the
    person who proposed it (`partnerships_resource_published`), once."""
    _refuse_unless_publisher(by, resource)
    locked = _locked_proposal(resource)
    locked.status = ResourceStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = by if isinstance(by, User) else None
    locked.decline_reason = ""
    locked.full_clean()
    locked.save()
    if locked.proposed_by is not None:
        queue_notification(
            locked.proposed_by,
            kind="partnerships_resource_published",
            key=f"partnerships-resource-published:{locked.pk}",
            context={"title": locked.title},
        )
    resource.__dict__.update(locked.__dict__)
    return resource


@records_actor
@transaction.atomic
def decline_resource(resource: Resource, *, by: Actor, reason: str) -> Resource:
    """The partnerships team decides not to publish a proposed resource, saying why (required:
    the proposer is told).

    Side effects: saves the Resource (declined, with the reason); queues a message to the
    person who proposed it (`partnerships_resource_declined`) with the reason, once."""
    _refuse_unless_publisher(by, resource)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why it will not be published: the person who proposed it is told.")},
            code="reason_needed",
        )
    locked = _locked_proposal(resource)
    locked.status = ResourceStatus.DECLINED
    locked.decline_reason = reason
    locked.full_clean()
    locked.save()
    if locked.proposed_by is not None:
        queue_notification(
            locked.proposed_by,
            kind="partnerships_resource_declined",
            key=f"partnerships-resource-declined:{locked.pk}",
            context={"title": locked.title, "reason": reason},
        )
    resource.__dict__.update(locked.__dict__)
    return resource


# Editing -----------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def edit_resource(
    resource: Resource,
    *,
    by: Actor,
    title: str,
    kind: ResourceKind | str,
    summary: str,
    body: str,
    tags: Sequence[str],
    add_contributors: Sequence[Person] = (),
) -> Resource:
    """The partnerships team corrects a resource (proposed or published): its words, kind and
    tags; and adds contributors, never credited — each is asked in the portal and named only if
    they agree. A resource with no file must keep its text; no text may pass BODY_MAX.

    Side effects: saves the Resource and its tags (new tags are made); saves a
    ResourceContributor (not credited) for each person added who is not one already."""
    _refuse_unless_publisher(by, resource)
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    body = (body or "").strip()
    if not body and not locked.file:
        raise ValidationError(
            {"body": _("Write the text of the resource: it has no file.")}, code="empty"
        )
    _check_body_length(body)
    locked.title, locked.kind = title.strip(), kind
    locked.summary, locked.body = summary.strip(), body
    locked.full_clean()
    locked.save()
    locked.tags.set(_tags(tags))
    existing = set(locked.contributors.values_list("person_id", flat=True))
    ResourceContributor.objects.bulk_create(
        ResourceContributor(resource=locked, person=person, credited=False)
        for person in {person.pk: person for person in add_contributors}.values()
        if person.pk not in existing
    )
    resource.__dict__.update(locked.__dict__)
    return resource


# Contributors' consent -------------------------------------------------------------------------


@records_actor
@transaction.atomic
def set_contributor_credit(
    contributor: ResourceContributor, *, by: Actor, credited: bool
) -> ResourceContributor:
    """The contributor themselves says whether they may be named on the resource ("Name me as a
    contributor" / "Do not name me"); they can change their mind at any time. Nobody else can
    answer for them.

    Side effects: saves the ResourceContributor (`credited`, and the time they answered in
    `credit_agreed_at`)."""
    locked = ResourceContributor.objects.select_for_update().get(pk=contributor.pk)
    if not isinstance(by, User) or by.person_id != locked.person_id:
        raise ValidationError(
            _("Only the contributor can say whether they may be named."), code="not_theirs"
        )
    locked.credited = credited
    locked.credit_agreed_at = timezone.now()
    locked.save(update_fields=["credited", "credit_agreed_at"])
    contributor.__dict__.update(locked.__dict__)
    return contributor
