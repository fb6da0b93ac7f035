"""The library's pages: the search page (results, filters, contributors named only with their
consent, fixed query counts), a resource's page and file, proposing (with errors that change
nothing), "Your proposals", the credit page, and the staff's queue, publishing and declining."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from coprod.enums import StaffGroup
from coprod.models import Notification
from partnerships.enums import PartnershipRole, ResourceKind, ResourceStatus
from partnerships.models import Resource, ResourceContributor
from partnerships.services.library import decline_resource
from tests.factories.core import make_person, make_staff, make_user
from tests.factories.partnerships import (
    PartnershipFactory,
    ResourceFactory,
    TagFactory,
    add_member,
    make_partnerships_staff,
)
from tests.funding.files import PDF, PNG
from tests.partnerships.library_support import contribute, pdf, proposed, published
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

LIBRARY = "/portal/library/"
QUEUE = "/staff/library/"


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path) -> Path:
    settings.COPROD_PARTNERSHIP_FILES_ROOT = tmp_path / "partnership-files"
    return settings.COPROD_PARTNERSHIP_FILES_ROOT


@pytest.fixture
def member(client):
    user = make_user()
    client.force_login(user)
    return user


def text(response) -> str:
    return response.content.decode()


# The library page -------------------------------------------------------------------------------


def test_the_library_finds_published_resources_by_words_with_their_facts(client, member):
    partnership = PartnershipFactory(title="Safe work pathways")
    found = ResourceFactory(
        title="Evening sessions",
        summary="When people work in the day.",
        body="Offer childcare.",
        partnership=partnership,
        kind=ResourceKind.LESSONS,
    )
    found.tags.set([TagFactory(name="Access", slug="access")])
    ResourceFactory(title="Paying people", body="Pay on the day.")
    ResourceFactory(title="Waiting childcare", status=ResourceStatus.PROPOSED, published_at=None)

    page = text(client.get(LIBRARY, {"q": "childcare"}))

    assert "Evening sessions" in page
    assert "When people work in the day." in page
    assert "Lessons learned" in page
    assert "Safe work pathways" in page
    assert "Access" in page
    assert "Paying people" not in page
    assert "Waiting childcare" not in page


def test_the_library_filters_by_tag_and_kind_through_the_get_form(client, member):
    pay = TagFactory(name="Pay", slug="pay")
    ResourceFactory(title="Vouchers", kind=ResourceKind.GUIDE).tags.set([pay])
    ResourceFactory(title="Cash template", kind=ResourceKind.TEMPLATE).tags.set([pay])
    ResourceFactory(title="Ramps", kind=ResourceKind.TEMPLATE)

    by_tag = text(client.get(LIBRARY, {"tag": "pay"}))
    by_both = text(client.get(LIBRARY, {"tag": "pay", "kind": "template"}))

    assert ("Vouchers" in by_tag, "Cash template" in by_tag, "Ramps" in by_tag) == (
        True,
        True,
        False,
    )
    assert ("Vouchers" in by_both, "Cash template" in by_both) == (False, True)
    assert 'method="get"' in by_tag


def test_the_library_filters_by_a_tag_in_another_script(client, member):
    published(title="Перекладачі", tags=["Доступ"])
    published(title="Paying people", tags=["Pay"])

    page = text(client.get(LIBRARY, {"tag": "доступ"}))

    assert ("Перекладачі" in page, "Paying people" in page) == (True, False)


def test_a_contributor_is_named_only_with_their_consent(client, member):
    resource = published(title="Shared guide")
    contribute(resource, make_person(chosen_name="Tendai"), credited=True)
    contribute(resource, make_person(chosen_name="Lina"), credited=False)
    refused = contribute(resource, make_person(chosen_name="Noor"))
    refused.credit_agreed_at = refused.resource.created_at
    refused.save()

    library, page = (
        text(client.get(LIBRARY)),
        text(client.get(reverse("partnerships_library:resource", args=[resource.pk]))),
    )

    for html in (library, page):
        assert "Tendai" in html
        assert "Lina" not in html
        assert "Noor" not in html


def test_the_library_search_makes_the_same_queries_for_1_and_4_rows(client, member):
    tag = TagFactory(name="Pay", slug="pay")

    def add_row():
        resource = ResourceFactory(title="Paying people", partnership=PartnershipFactory())
        resource.tags.set([tag, TagFactory()])
        contribute(resource, make_person(), credited=True)
        contribute(resource, make_person(), credited=True)

    count = assert_queries_do_not_grow(client, f"{LIBRARY}?q=paying&tag=pay", add_row)

    # The session's login with its person; the tags for the filter; the page of resources with
    # their partnership; their tags; their named contributors with their person.
    assert count == 5


def test_a_page_past_the_end_is_not_found_and_links_keep_the_search(client, member):
    for index in range(21):
        ResourceFactory(title=f"Guide {index}", body="childcare")

    first = text(client.get(LIBRARY, {"q": "childcare"}))

    assert 'href="?q=childcare&amp;page=2"' in first
    assert client.get(LIBRARY, {"q": "childcare", "page": 3}).status_code == 404


# A resource and its file ------------------------------------------------------------------------


def test_someone_elses_proposal_is_not_found_by_its_id_but_the_proposer_sees_theirs(client):
    proposer, other = make_user(), make_user()
    resource = proposed(proposer, title="My waiting guide")
    url = reverse("partnerships_library:resource", args=[resource.pk])

    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(proposer)
    response = client.get(url)

    assert response.status_code == 200
    assert "My waiting guide" in text(response)
    assert "Only you and the team can see this" in text(response)


def test_the_file_is_a_download_not_kept_or_sniffed(client, member):
    resource = published(body="", file=pdf("Our guide.pdf"))

    response = client.get(reverse("partnerships_library:file", args=[resource.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Our guide.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"].split(", ")


def test_a_resource_without_a_file_has_no_download(client, member):
    resource = published()

    assert client.get(reverse("partnerships_library:file", args=[resource.pk])).status_code == 404


def test_someone_elses_proposals_file_is_not_found(client, member):
    resource = proposed(file=pdf())

    assert client.get(reverse("partnerships_library:file", args=[resource.pk])).status_code == 404


# Proposing -------------------------------------------------------------------------------------


def proposal(**fields: object) -> dict:
    return {
        "title": "Evening sessions",
        "kind": ResourceKind.LESSONS,
        "summary": "Meet when people can come.",
        "body": "Offer childcare.",
        "tags": "Access, Childcare",
        "credit": "yes",
        **fields,
    }


def test_proposing_from_ones_partnership_saves_it_with_tags_and_consent(client, member):
    partnership = PartnershipFactory()
    add_member(partnership, member.person, PartnershipRole.LEE)

    response = client.post(
        reverse("partnerships_library:propose"), proposal(partnership=partnership.pk)
    )

    assert response.status_code == 302
    resource = Resource.objects.get()
    assert (resource.title, resource.status, resource.partnership_id) == (
        "Evening sessions",
        ResourceStatus.PROPOSED,
        partnership.pk,
    )
    assert sorted(resource.tags.values_list("name", flat=True)) == ["Access", "Childcare"]
    assert list(resource.contributors.values_list("person_id", "credited")) == [
        (member.person_id, True)
    ]


def test_proposing_with_a_file_and_no_text(client, member):
    client.post(reverse("partnerships_library:propose"), proposal(body="", file=pdf("Plan.pdf")))

    assert Resource.objects.get().file_name == "Plan.pdf"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"body": ""}, "body", "Write the text, or add it as a file"),
        ({"title": ""}, "title", "Enter a title"),
        ({"credit": ""}, "credit", "Choose whether we can show your name"),
        (
            {"file": "picture"},
            "file",
            "“guide.pdf” is not a PDF or a Word document (.docx). Save it as a PDF or a .docx "
            "file and try again.",
        ),
    ],
    ids=["no-text-or-file", "no-title", "no-credit-answer", "picture-named-pdf"],
)
def test_a_proposal_with_errors_says_what_to_fix_and_saves_nothing(
    client, member, files_root, fields, field, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if fields.get("file") == "picture":
        fields = {"file": SimpleUploadedFile("guide.pdf", PNG, content_type="application/pdf")}

    response = client.post(reverse("partnerships_library:propose"), proposal(**fields))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in text(response)
    assert "govuk-error-summary" in text(response)
    assert Resource.objects.count() == 0
    assert not files_root.exists() or not any(files_root.rglob("*.*"))


def test_a_text_too_long_to_index_says_so_on_the_form_and_saves_nothing(client, member):
    # On PostgreSQL a text this long (distinct words) would overflow the search index: a 500.
    words = " ".join(f"word{index:x}" for index in range(200_000))

    response = client.post(reverse("partnerships_library:propose"), proposal(body=words))

    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [
        "The text must be 100000 characters or fewer. Add a longer text as a file."
    ]
    assert Resource.objects.count() == 0


def test_the_partnership_choice_lists_only_ones_current_partnerships(client, member):
    mine, other = PartnershipFactory(title="Mine"), PartnershipFactory(title="Not mine")
    add_member(mine, member.person, PartnershipRole.LEE)

    response = client.post(reverse("partnerships_library:propose"), proposal(partnership=other.pk))

    assert list(response.context["form"].fields["partnership"].queryset) == [mine]
    assert "partnership" in response.context["form"].errors
    assert Resource.objects.count() == 0


def test_your_proposals_show_status_and_the_reason_it_was_not_published(client, member):
    proposed(member, title="Waiting guide")
    declined = proposed(member, title="Declined guide")
    decline_resource(declined, by=make_partnerships_staff(), reason="It names a person.")
    proposed(title="Someone else's guide")

    page = text(client.get(reverse("partnerships_library:proposals")))

    assert "Waiting guide" in page
    assert "Declined guide" in page
    assert "It names a person." in page
    assert "Someone else&#x27;s guide" not in page
    assert "Someone else's guide" not in page


# Credit ------------------------------------------------------------------------------------------


def test_a_contributor_says_yes_and_is_then_named_in_the_library(client, member):
    member.person.chosen_name = "Ayo"
    member.person.save()
    resource = published(title="Shared guide")
    contribution = contribute(resource, member.person)
    assert "Ayo" not in text(client.get(LIBRARY))

    response = client.post(
        reverse("partnerships_library:credit", args=[contribution.pk]), {"credit": "yes"}
    )

    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.credited is True
    assert contribution.credit_agreed_at is not None
    assert "Ayo" in text(client.get(LIBRARY))


def test_the_credit_page_without_an_answer_shows_an_error_and_changes_nothing(client, member):
    contribution = contribute(published(), member.person)

    response = client.post(reverse("partnerships_library:credit", args=[contribution.pk]), {})

    assert response.context["form"].errors == {"credit": ["Choose whether we can show your name"]}
    contribution.refresh_from_db()
    assert (contribution.credited, contribution.credit_agreed_at) == (False, None)


def test_an_unanswered_credit_is_a_thing_to_do_until_answered(client, member):
    contribution = contribute(published(), member.person)
    thing = "Say whether we can show your name on a resource you helped with"

    before = text(client.get(reverse("portal:home")))
    client.post(reverse("partnerships_library:credit", args=[contribution.pk]), {"credit": "no"})
    after = text(client.get(reverse("portal:home")))

    assert (thing in before, thing in after) == (True, False)


# Staff -------------------------------------------------------------------------------------------


def test_the_queue_lists_waiting_proposals_with_a_fixed_query_count(client):
    client.force_login(make_partnerships_staff())
    tag = TagFactory(name="Pay", slug="pay")

    def add_row():
        resource = proposed(partnership=None)
        resource.tags.add(tag)

    count = assert_queries_do_not_grow(client, QUEUE, add_row)

    # The session's login with its person; its authenticator (MFA); its permissions; the page
    # of proposals with proposer and partnership; their tags.
    assert count == 5


def test_the_staff_home_counts_proposals_waiting(client):
    client.force_login(make_partnerships_staff())
    proposed()
    proposed()
    published()

    response = client.get(reverse("staff:home"))

    links = {link.url: link for _title, links in response.context["sections"] for link in links}
    assert links[QUEUE].count == 2


def test_staff_publish_from_the_resources_page_and_the_proposer_is_told(client):
    proposer = make_user()
    resource = proposed(proposer, title="Evening sessions")
    client.force_login(make_partnerships_staff())

    response = client.post(reverse("partnerships_library_staff:publish", args=[resource.pk]))

    assert response.status_code == 302
    assert Resource.objects.get(pk=resource.pk).status == ResourceStatus.PUBLISHED
    assert list(Notification.objects.values_list("person_id", "kind")) == [
        (proposer.person_id, "partnerships_resource_published")
    ]


def test_declining_without_a_reason_shows_an_error_and_changes_nothing(client):
    resource = proposed()
    client.force_login(make_partnerships_staff())

    response = client.post(
        reverse("partnerships_library_staff:decline", args=[resource.pk]), {"reason": ""}
    )

    assert response.context["form"].errors == {"reason": ["Say why it will not be published"]}
    assert Resource.objects.get(pk=resource.pk).status == ResourceStatus.PROPOSED
    assert Notification.objects.count() == 0


def test_the_staff_page_lists_every_contributor_with_their_answer(client):
    resource = published()
    contribute(resource, make_person(chosen_name="Tendai"), credited=True)
    contribute(resource, make_person(chosen_name="Lina"))
    client.force_login(make_partnerships_staff())

    page = text(client.get(reverse("partnerships_library_staff:resource", args=[resource.pk])))

    assert "Tendai: agreed to be named" in page
    assert "Lina: has not answered yet (not named)" in page


def test_staff_add_a_partnership_member_as_contributor_who_is_not_named_until_they_agree(client):
    partnership = PartnershipFactory()
    member = add_member(partnership, make_person(chosen_name="Noor"), PartnershipRole.LEE)
    resource = published(partnership=None)
    Resource.objects.filter(pk=resource.pk).update(partnership=partnership)
    client.force_login(make_partnerships_staff())

    client.post(
        reverse("partnerships_library_staff:edit", args=[resource.pk]),
        {
            "title": resource.title,
            "kind": resource.kind,
            "summary": resource.summary,
            "body": resource.body,
            "tags": "Pay",
            "add_contributors": [member.person_id],
        },
    )

    assert list(ResourceContributor.objects.values_list("person_id", "credited")) == [
        (member.person_id, False)
    ]
    client.force_login(make_user())
    assert "Noor" not in text(client.get(LIBRARY))


def test_other_staff_cannot_publish(client):
    resource = proposed()
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    response = client.post(reverse("partnerships_library_staff:publish", args=[resource.pk]))

    assert response.status_code == 403
    assert Resource.objects.get(pk=resource.pk).status == ResourceStatus.PROPOSED


def test_what_was_typed_when_the_session_timed_out_comes_back_on_the_propose_form(client):
    from coprod.services.drafts import save_draft

    user = make_user()
    path = reverse("partnerships_library:propose")
    save_draft(user, path=path, data={"title": ["Evening sessions"], "summary": ["Meet late."]})
    client.force_login(user)

    response = client.get(path)

    assert response.context["form"].data["title"] == "Evening sessions"
    assert 'value="Evening sessions"' in text(response)
    assert Resource.objects.count() == 0


def test_the_contributors_offered_are_the_resources_partnerships_current_members_only(client):
    ours, theirs = PartnershipFactory(), PartnershipFactory()
    noor = add_member(ours, make_person(chosen_name="Noor"), PartnershipRole.LEE)
    add_member(ours, make_person(chosen_name="Gone"), PartnershipRole.LEE, left_on=ours.starts_on)
    outsider = add_member(theirs, make_person(chosen_name="Sami"), PartnershipRole.LEE)
    resource = published(partnership=None)
    Resource.objects.filter(pk=resource.pk).update(partnership=ours)
    client.force_login(make_partnerships_staff())
    url = reverse("partnerships_library_staff:edit", args=[resource.pk])

    form = client.get(url).context["form"]
    response = client.post(
        url,
        {
            "title": resource.title,
            "kind": resource.kind,
            "summary": resource.summary,
            "body": resource.body,
            "add_contributors": [outsider.person_id],
        },
    )

    assert list(form.fields["add_contributors"].queryset) == [noor.person]
    assert "add_contributors" in response.context["form"].errors
    assert ResourceContributor.objects.count() == 0


def test_staff_cannot_empty_the_text_of_a_resource_without_a_file(client):
    resource = published(title="Text only", body="Offer childcare.")
    client.force_login(make_partnerships_staff())

    response = client.post(
        reverse("partnerships_library_staff:edit", args=[resource.pk]),
        {"title": "Text only", "kind": resource.kind, "summary": resource.summary, "body": " "},
    )

    assert response.context["form"].errors["body"] == ["Write the text: this resource has no file"]
    assert Resource.objects.get(pk=resource.pk).body == "Offer childcare."
