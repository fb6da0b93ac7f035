"""The good-practice library of the demo.

At scale 1: eight published resources of every kind, with tags, from the two demo partnerships;
the demo LEE (Ayo) is named on one (they agreed) and is a contributor not named on another (they
asked not to be); one resource Ayo proposed waits for the team. Rows are written directly (no
messages to anyone), found by title, so running again adds nothing.

At a scale N > 1, in bulk: `RESOURCES_PER_UNIT` × (N - 1) published resources with tags, spread
over the scale partnerships, for measuring the library's search."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from coprod.demo import STAFF_EMAIL, demo_user
from coprod.doors import DemoRun
from partnerships.demo.base import FIRST, LEE_EMAIL, SECOND, scale_partnership_ids
from partnerships.enums import ResourceKind, ResourceStatus
from partnerships.models import Partnership, Resource, ResourceContributor, Tag

RESOURCES_PER_UNIT = 30
SCALE_TITLE = "Demo scale resource {:06d}"

TAGS = [
    "Pay",
    "Meetings",
    "Interpreters",
    "Childcare",
    "Trust",
    "Power sharing",
    "Policing",
    "Safe work",
    "Access",
    "Wellbeing",
]

# (title, kind, partnership, tags, summary, body)
RESOURCES = [
    (
        "Paying lived experience experts on the day",
        ResourceKind.GUIDE,
        FIRST,
        ["Pay", "Access"],
        "How we pay people for their time the same day, in the way that suits them.",
        "Ask each person how they want to be paid: cash, vouchers or a bank transfer. Pay on "
        "the day. Never ask for receipts for small travel costs.",
    ),
    (
        "Meetings people can come to",
        ResourceKind.LESSONS,
        FIRST,
        ["Meetings", "Childcare", "Access"],
        "What we learned about times, places and breaks for partnership meetings.",
        "Evening meetings suited people in work. We paid for childcare and taxis, and took a "
        "break every hour. Papers went out a week before.",
    ),
    (
        "Working with interpreters",
        ResourceKind.GUIDE,
        SECOND,
        ["Interpreters", "Access"],
        "Book interpreters early and check the language and dialect with the person.",
        "Use the same interpreter each time if the person wants. Brief them before the "
        "meeting. Never use a family member or a member of the partnership.",
    ),
    (
        "Co-writing local police guidance",
        ResourceKind.CASE_STUDY,
        FIRST,
        ["Policing", "Power sharing"],
        "How survivors and police officers wrote guidance together, step by step.",
        "We started by informing, then asked for comments, then wrote the guidance together "
        "with half the seats held by lived experience experts.",
    ),
    (
        "Terms of reference template",
        ResourceKind.TEMPLATE,
        SECOND,
        ["Power sharing", "Trust"],
        "A short template for a partnership's terms of reference, in plain language.",
        "Who we are. What we want to change. How we decide. How we pay people. What we do when "
        "we disagree. When we will look at these terms again.",
    ),
    (
        "Building trust in the first three months",
        ResourceKind.LESSONS,
        SECOND,
        ["Trust", "Wellbeing"],
        "Small things that helped people trust the partnership early on.",
        "Doing what we said we would do. Saying what changed after each meeting. Offering a "
        "support worker before and after hard conversations.",
    ),
    (
        "Routes into safe work",
        ResourceKind.CASE_STUDY,
        SECOND,
        ["Safe work", "Pay"],
        "What survivors told us helped them find safe, fairly paid work.",
        "Mentors with lived experience, employers who understood trauma, and flexible hours "
        "made the most difference.",
    ),
    (
        "Wellbeing check-in template",
        ResourceKind.TEMPLATE,
        FIRST,
        ["Wellbeing", "Meetings"],
        "Questions to open and close a meeting so that everyone can say how they are.",
        "How are you today? Is there anything you need to take part? Who would you like to "
        "talk to after the meeting?",
    ),
]
# Ayo is named on the first (agreed), and a contributor not named on the second (said no).
AYO_NAMED = RESOURCES[0][0]
AYO_NOT_NAMED = RESOURCES[1][0]
AYO_PROPOSAL = (
    "Questions to ask before you join a partnership",
    ResourceKind.GUIDE,
    FIRST,
    ["Trust"],
    "Things I wish I had asked before I joined, for people thinking of joining.",
    "Will I be paid, and how? Who will know my name? Can I leave when I want? Who can I talk "
    "to if something goes wrong?",
)


def seed(run: DemoRun) -> None:
    staff = demo_user(STAFF_EMAIL)
    ayo = demo_user(LEE_EMAIL).person
    tags = _tags()
    partnerships = dict(
        Partnership.objects.filter(title__in=[FIRST, SECOND]).values_list("title", "pk")
    )
    now = timezone.now()
    with transaction.atomic():
        for index, resource in enumerate(RESOURCES):
            _resource(
                resource,
                tags,
                partnerships,
                status=ResourceStatus.PUBLISHED,
                published_at=now - timedelta(days=10 * (len(RESOURCES) - index)),
                published_by=staff,
            )
        _resource(AYO_PROPOSAL, tags, partnerships, status=ResourceStatus.PROPOSED, proposer=ayo)
        for title, credited in ((AYO_NAMED, True), (AYO_NOT_NAMED, False)):
            ResourceContributor.objects.get_or_create(
                resource=Resource.objects.get(title=title),
                person=ayo,
                defaults={"credited": credited, "credit_agreed_at": now},
            )
    if run.scale > 1:
        added = scale(run.scale, staff, tags)
        if added:
            run.report(f"Library at scale {run.scale}: {added} resources added.")


def _tags() -> dict[str, Tag]:
    found = {tag.slug: tag for tag in Tag.objects.filter(slug__in=[slugify(n) for n in TAGS])}
    missing = [Tag(name=name, slug=slugify(name)) for name in TAGS if slugify(name) not in found]
    Tag.objects.bulk_create(missing)
    return {tag.name: tag for tag in Tag.objects.filter(slug__in=[slugify(n) for n in TAGS])}


def _resource(row, tags, partnerships, *, status, proposer=None, **fields) -> Resource:
    title, kind, partnership, tag_names, summary, body = row
    resource = Resource.objects.filter(title=title).first()
    if resource is not None:
        return resource
    resource = Resource.objects.create(
        title=title,
        kind=kind,
        summary=summary,
        body=body,
        partnership_id=partnerships.get(partnership),
        status=status,
        proposed_by=proposer,
        **fields,
    )
    resource.tags.set([tags[name] for name in tag_names])
    return resource


# Scale ------------------------------------------------------------------------------------------

# Words the scale resources are written from, so that searches find a realistic share of them.
WORDS = [
    "meetings",
    "payment",
    "interpreters",
    "childcare",
    "trust",
    "power",
    "policing",
    "employment",
    "housing",
    "wellbeing",
    "travel",
    "training",
    "evaluation",
    "consent",
    "language",
]


def scale(scale: int, staff, tags: dict[str, Tag]) -> int:
    """The scale resources that are missing, in bulk, published, with two tags each."""
    titles = [SCALE_TITLE.format(index) for index in range(RESOURCES_PER_UNIT * (scale - 1))]
    existing = set(Resource.objects.filter(title__in=titles).values_list("title", flat=True))
    missing = [(index, title) for index, title in enumerate(titles) if title not in existing]
    if not missing:
        return 0
    partnerships = scale_partnership_ids(scale) or [None]
    kinds = list(ResourceKind)
    tag_list = list(tags.values())
    now = timezone.now()
    with transaction.atomic():
        Resource.objects.bulk_create(
            Resource(
                title=title,
                kind=kinds[index % len(kinds)],
                summary=f"A demo resource about {WORDS[index % len(WORDS)]} and "
                f"{WORDS[(index * 7 + 3) % len(WORDS)]}.",
                body=" ".join(WORDS[(index + step) % len(WORDS)] for step in range(0, 40, 3)),
                partnership_id=partnerships[index % len(partnerships)],
                status=ResourceStatus.PUBLISHED,
                published_at=now - timedelta(minutes=index),
                published_by=staff,
            )
            for index, title in missing
        )
        made = dict(
            Resource.objects.filter(title__in=[title for _i, title in missing]).values_list(
                "title", "pk"
            )
        )
        Through = Resource.tags.through
        Through.objects.bulk_create(
            Through(resource_id=made[title], tag_id=tag_list[(index + step) % len(tag_list)].pk)
            for index, title in missing
            for step in (0, 3)
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Resource, Through):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return len(missing)
