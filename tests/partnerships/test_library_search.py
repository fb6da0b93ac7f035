"""The library's search (partnerships.selectors.library.published_resources), on whichever
database the tests run: PostgreSQL's full-text search there, the plain fallback on SQLite. Plain
words give the same results on both; the ranking and the search syntax are PostgreSQL's only."""

from __future__ import annotations

import pytest
from django.db import connection

from partnerships.enums import ResourceKind, ResourceStatus
from partnerships.models import Resource
from partnerships.selectors.library import published_resources, search_resources, tags_in_use
from tests.factories.partnerships import ResourceFactory, TagFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="full-text ranking and websearch syntax are PostgreSQL's (SQLite has the fallback)",
)


def titles(**search: object) -> list[str]:
    return sorted(resource.title for resource in published_resources(**search))


@pytest.fixture
def library() -> None:
    ResourceFactory(
        title="Interpreters at meetings",
        summary="Book them early.",
        body="Ask which language and dialect.",
    )
    ResourceFactory(
        title="Paying people",
        summary="Offer vouchers as well as bank transfers.",
        body="Pay on the day.",
        kind=ResourceKind.TEMPLATE,
    )
    ResourceFactory(
        title="Evening sessions",
        summary="When people work in the day.",
        body="Offer childcare and a meal.",
        kind=ResourceKind.LESSONS,
    )


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("interpreters", ["Interpreters at meetings"]),  # in the title
        ("vouchers", ["Paying people"]),  # in the summary
        ("childcare", ["Evening sessions"]),  # in the text
        ("CHILDCARE", ["Evening sessions"]),  # whatever the case
        ("offer", ["Evening sessions", "Paying people"]),  # in a summary and a text
        ("offer childcare", ["Evening sessions"]),  # every word must be there
        ("childcare unicorns", []),
        ("", ["Evening sessions", "Interpreters at meetings", "Paying people"]),
    ],
)
def test_words_are_found_in_title_summary_and_text(library, query, found):
    assert titles(query=query) == found


def test_unpublished_resources_are_never_found():
    ResourceFactory(title="Published childcare", status=ResourceStatus.PUBLISHED)
    ResourceFactory(title="Proposed childcare", status=ResourceStatus.PROPOSED, published_at=None)
    ResourceFactory(title="Declined childcare", status=ResourceStatus.DECLINED, published_at=None)

    assert titles(query="childcare") == ["Published childcare"]
    assert titles() == ["Published childcare"]


def test_filter_by_kind_with_and_without_words(library):
    assert titles(kind=ResourceKind.TEMPLATE) == ["Paying people"]
    assert titles(query="offer", kind=ResourceKind.LESSONS) == ["Evening sessions"]
    assert titles(query="interpreters", kind=ResourceKind.LESSONS) == []


def test_filter_by_tag_with_and_without_words():
    pay, access = TagFactory(name="Pay", slug="pay"), TagFactory(name="Access", slug="access")
    one = ResourceFactory(title="Vouchers", body="Offer vouchers.")
    one.tags.set([pay, access])
    ResourceFactory(title="Cash", body="Offer cash.").tags.set([pay])
    ResourceFactory(title="Ramps", body="Offer ramps.").tags.set([access])

    assert titles(tag="pay") == ["Cash", "Vouchers"]  # each once, though it has two tags
    assert titles(tag=access, query="offer") == ["Ramps", "Vouchers"]
    assert titles(tag="pay", query="ramps") == []


def test_the_tag_filter_offers_only_tags_of_published_resources():
    used, unused = TagFactory(name="Used", slug="used"), TagFactory(name="Hidden", slug="hidden")
    ResourceFactory().tags.set([used])
    ResourceFactory(status=ResourceStatus.PROPOSED, published_at=None).tags.set([unused])

    assert list(tags_in_use()) == [used]


@on_postgresql
def test_postgresql_ranks_a_title_match_above_a_text_match():
    ResourceFactory(title="Meals", summary="Food.", body="Children welcome, with childcare.")
    ResourceFactory(title="Childcare", summary="Who looks after children.", body="Ask.")

    found = [resource.title for resource in published_resources(query="childcare")]

    assert found == ["Childcare", "Meals"]


@on_postgresql
def test_postgresql_understands_word_forms_and_the_web_search_syntax(library):
    assert titles(query="interpreter") == ["Interpreters at meetings"]  # stemmed
    assert titles(query="offer -childcare") == ["Paying people"]
    assert titles(query='"bank transfers"') == ["Paying people"]


@on_postgresql
def test_postgresql_searches_through_the_gin_index(library):
    # The search's own match (without the status filter, whose index the planner would take
    # for a handful of rows): the index serves it only if both expressions are the same.
    query = search_resources(Resource.objects.all(), "childcare").query
    sql, params = query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "partnerships_resource_search" in plan, plan
