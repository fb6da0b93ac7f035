"""Reads for the good-practice library: the published resources, searched and filtered; a
person's own proposals and contributions; the staff's queue.

Search uses the database. On PostgreSQL it is full-text search: the title weighs most, then the
summary, then the text (`SearchVector` with weights A, B, C), the words as a person types them
(`websearch`: "quoted phrases", -excluded words), ranked by `SearchRank`. Elsewhere (SQLite, in
development and tests) every word must appear somewhere in the title, summary or text, newest
first. For plain words the two find the same resources.

Each list reads its rows, their tags and their named contributors in a fixed number of queries,
however many rows there are."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from coprod.models import Person, User
from coprod.permissions import is_staff_with
from partnerships.enums import ResourceKind, ResourceStatus
from partnerships.models import Resource, ResourceContributor, Tag
from partnerships.permissions import resources_for_user

# The text search configuration (stemming: "paying" finds "pay"); the GIN index, if any, must
# use the same expression.
SEARCH_CONFIG = "english"
# Longer queries are cut: nobody types more, and it bounds the work of one search.
QUERY_MAX = 200


def search_vector() -> SearchVector:
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def credited_contributors() -> Prefetch:
    """The contributors who agreed to be named (as `resource.credited`), with their person (for
    the display name; nothing else of them is shown)."""
    return Prefetch(
        "contributors",
        queryset=ResourceContributor.objects.filter(credited=True)
        .select_related("person")
        .order_by("pk"),
        to_attr="credited",
    )


def with_listing(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    """What a list of resources shows: the partnership, the tags, the named contributors."""
    return resources.select_related("partnership").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name")), credited_contributors()
    )


def _words(query: str) -> list[str]:
    return query[:QUERY_MAX].split()


def search_resources(resources: QuerySet[Resource], query: str) -> QuerySet[Resource]:
    """`resources` that match `query`, best first (PostgreSQL: by rank; elsewhere newest first).
    An empty query keeps them all, newest first."""
    query = " ".join(_words(query))
    if not query:
        return resources.order_by("-published_at", "-pk")
    if connection.vendor == "postgresql":
        search = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            resources.annotate(document=search_vector())
            .filter(document=search)
            .annotate(rank=SearchRank(F("document"), search))
            .order_by("-rank", "-published_at", "-pk")
        )
    for word in _words(query):
        resources = resources.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        )
    return resources.order_by("-published_at", "-pk")


def published_resources(
    query: str = "", tag: Tag | str | None = None, kind: ResourceKind | str | None = None
) -> QuerySet[Resource]:
    """The library as every signed-in person sees it: published resources matching `query`,
    with `tag` (a Tag or its short name) and of `kind` if given, best match first."""
    resources = Resource.objects.filter(status=ResourceStatus.PUBLISHED)
    if kind:
        resources = resources.filter(kind=kind)
    if tag:
        slug = tag.slug if isinstance(tag, Tag) else tag
        resources = resources.filter(
            Exists(Tag.resources.through.objects.filter(resource=OuterRef("pk"), tag__slug=slug))
        )
    return with_listing(search_resources(resources, query))


def tags_in_use() -> QuerySet[Tag]:
    """Tags on at least one published resource (the library's filter), by name."""
    return Tag.objects.filter(
        Exists(
            Tag.resources.through.objects.filter(
                tag=OuterRef("pk"), resource__status=ResourceStatus.PUBLISHED
            )
        )
    ).order_by("name")


def library_resources_for_user(user: User) -> QuerySet[Resource]:
    """A resource's page: what `user` may open (coprod.permissions' door), with its listing."""
    return with_listing(resources_for_user(user))


def proposals_of(person: Person) -> QuerySet[Resource]:
    """The resources `person` proposed, newest first, whatever their status."""
    return with_listing(Resource.objects.filter(proposed_by=person)).order_by("-created_at", "-pk")


def contributions_of(person: Person) -> QuerySet[ResourceContributor]:
    """Where `person` is a contributor (to ask or change their consent to be named)."""
    return (
        ResourceContributor.objects.filter(person=person)
        .select_related("resource")
        .order_by("-resource__created_at", "-pk")
    )


def contributions_for_user(user: User) -> QuerySet[ResourceContributor]:
    if not (user.is_authenticated and user.is_active):
        return ResourceContributor.objects.none()
    return contributions_of(user.person)


def credit_unanswered() -> Exists:
    """For the portal's "Things to do" (the person's row is OuterRef("pk")): a resource they
    contributed to where they have not yet said whether they may be named."""
    return Exists(
        ResourceContributor.objects.filter(person=OuterRef("pk"), credit_agreed_at__isnull=True)
    )


# Staff pages ----------------------------------------------------------------------------------

VIEW = "partnerships.view_resource"


def may_see_staff_library(user: User) -> bool:
    return is_staff_with(user, VIEW)


def staff_resources_for_user(user: User) -> QuerySet[Resource]:
    """Every resource, for the partnerships team (`partnerships.view_resource`); none else."""
    if not may_see_staff_library(user):
        return Resource.objects.none()
    return Resource.objects.all()


def waiting_proposals() -> QuerySet[Resource]:
    """Proposals waiting for the team, oldest first, with who proposed them."""
    return (
        Resource.objects.filter(status=ResourceStatus.PROPOSED)
        .select_related("proposed_by", "partnership")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by("created_at", "pk")
    )


def waiting_proposals_count() -> int:
    return Resource.objects.filter(status=ResourceStatus.PROPOSED).count()


def all_contributors(resource: Resource) -> QuerySet[ResourceContributor]:
    """Every contributor of `resource` (the staff page lists them, named or not)."""
    return resource.contributors.select_related("person").order_by("pk")
