"""The library's services: who may propose (and from which partnership), what a proposal needs,
files recognised by their content, tags made on the fly, publishing and declining (the proposer
told through the outbox), editing, and credit only with the contributor's own consent."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coprod.enums import StaffGroup
from coprod.models import Notification
from coprod.services.rights import erase_person, request_erasure
from partnerships.enums import PartnershipRole, ResourceKind, ResourceStatus
from partnerships.models import Resource, ResourceContributor, Tag, partnership_file_storage
from partnerships.selectors.library import published_resources
from partnerships.selectors.personal_data import partnerships_personal_data
from partnerships.services.library import (
    BODY_MAX,
    decline_resource,
    edit_resource,
    publish_resource,
    set_contributor_credit,
)
from tests.factories.core import make_person, make_staff, make_user
from tests.factories.partnerships import PartnershipFactory, add_member, make_partnerships_staff
from tests.funding.files import PNG
from tests.partnerships.library_support import contribute, pdf, proposed, published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path) -> Path:
    settings.COPROD_PARTNERSHIP_FILES_ROOT = tmp_path / "partnership-files"
    return settings.COPROD_PARTNERSHIP_FILES_ROOT


def stored_files(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


# Proposing -----------------------------------------------------------------------------------


def test_anyone_signed_in_proposes_and_it_waits_with_them_as_proposer():
    user = make_user()

    resource = proposed(user, title="Evening meetings")

    resource.refresh_from_db()
    assert (resource.title, resource.status, resource.proposed_by_id) == (
        "Evening meetings",
        ResourceStatus.PROPOSED,
        user.person_id,
    )
    assert resource.published_at is None


def test_a_member_proposes_from_their_partnership():
    partnership = PartnershipFactory()
    user = make_user()
    add_member(partnership, user.person, PartnershipRole.PWLE)

    resource = proposed(user, partnership=partnership)

    assert Resource.objects.get(pk=resource.pk).partnership_id == partnership.pk


def test_proposing_from_a_partnership_one_is_not_in_is_refused_and_saves_nothing():
    partnership = PartnershipFactory()
    add_member(partnership, role=PartnershipRole.LEE)
    outsider = make_user()

    with pytest.raises(ValidationError) as refused:
        proposed(outsider, partnership=partnership)

    assert refused.value.message_dict == {
        "partnership": ["You can only share a resource from a partnership you are in."]
    }
    assert Resource.objects.count() == 0


def test_a_former_member_cannot_propose_from_the_partnership_but_its_lead_can():
    partnership = PartnershipFactory()
    former = make_user()
    add_member(partnership, former.person, PartnershipRole.LEE, left_on=partnership.starts_on)
    lead = make_staff(StaffGroup.ENGAGEMENT)
    partnership.lead = lead
    partnership.save()

    with pytest.raises(ValidationError):
        proposed(former, partnership=partnership)
    by_lead = proposed(lead, partnership=partnership)

    assert list(Resource.objects.values_list("pk", flat=True)) == [by_lead.pk]


def test_a_proposal_without_text_or_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        proposed(body="   ")

    assert refused.value.message_dict == {
        "body": ["Write the text of the resource, or add it as a file."]
    }
    assert Resource.objects.count() == 0


def test_a_text_longer_than_the_limit_is_refused_and_the_longest_allowed_is_saved_and_found():
    # Distinct words, as many as fit: the most PostgreSQL's search index has to hold for a text.
    words = " ".join(f"w{index:x}" for index in range(BODY_MAX // 6))
    longest = (words + " " + "x" * BODY_MAX)[:BODY_MAX]

    with pytest.raises(ValidationError) as refused:
        proposed(body=longest + "y")
    saved = proposed(title="Longest", body=longest)

    assert refused.value.message_dict == {
        "body": ["The text must be 100000 characters or fewer. Add a longer text as a file."]
    }
    assert list(Resource.objects.values_list("title", flat=True)) == ["Longest"]
    publish_resource(saved, by=make_partnerships_staff())
    assert [r.title for r in published_resources(query="w1f")] == ["Longest"]


def test_staff_cannot_edit_a_text_past_the_limit():
    resource = proposed(body="Short.")

    with pytest.raises(ValidationError, match="100000 characters or fewer"):
        edit_resource(
            resource,
            by=make_partnerships_staff(),
            title="t",
            kind=ResourceKind.GUIDE,
            summary="s",
            body="x" * (BODY_MAX + 1),
            tags=[],
        )

    assert Resource.objects.get(pk=resource.pk).body == "Short."


def test_a_pdf_is_kept_under_a_random_name_with_the_persons_file_name_shown(files_root):
    resource = proposed(body="", file=pdf("Our guide.pdf"))

    resource.refresh_from_db()
    assert resource.file_name == "Our guide.pdf"
    assert resource.file.name.startswith("library/")
    assert resource.file.name.endswith(".pdf")
    assert "guide" not in resource.file.name
    assert stored_files(files_root) == [Path(resource.file.name).name]


def test_a_picture_named_pdf_is_refused_and_nothing_is_stored(files_root):
    picture = SimpleUploadedFile("guide.pdf", PNG, content_type="application/pdf")

    with pytest.raises(ValidationError) as refused:
        proposed(file=picture)

    assert refused.value.messages == [
        "“guide.pdf” is not a PDF or a Word document (.docx). Save it as a PDF or a .docx file "
        "and try again."
    ]
    assert (Resource.objects.count(), stored_files(files_root)) == (0, [])


def test_a_file_over_the_limit_is_refused(settings, files_root):
    settings.COPROD_PROPOSAL_FILE_MAX_BYTES = 10

    with pytest.raises(ValidationError, match="too big"):
        proposed(file=pdf())

    assert (Resource.objects.count(), stored_files(files_root)) == (0, [])


def test_a_refused_proposal_removes_the_file_it_wrote(files_root):
    # The file passes, the title (too long) does not: the file must not stay behind.
    with pytest.raises(ValidationError):
        proposed(title="x" * 300, file=pdf())

    assert (Resource.objects.count(), stored_files(files_root)) == (0, [])


def test_tags_are_made_by_name_once_each():
    first = proposed(tags=["Pay", "pay ", "Access needs"])
    second = proposed(tags=["PAY", "Interpreters"])

    assert sorted(Tag.objects.values_list("slug", "name")) == [
        ("access-needs", "Access needs"),
        ("interpreters", "Interpreters"),
        ("pay", "Pay"),
    ]
    assert sorted(first.tags.values_list("slug", flat=True)) == ["access-needs", "pay"]
    assert sorted(second.tags.values_list("slug", flat=True)) == ["interpreters", "pay"]


def test_tags_in_any_script_are_tags_of_their_own():
    first = proposed(tags=["Доступ", "Доступ pay", "مترجم", "Pay"])
    second = proposed(tags=["доступ", "Café"])

    assert sorted(first.tags.values_list("name", flat=True)) == [
        "Pay",
        "Доступ",
        "Доступ pay",
        "مترجم",
    ]
    assert sorted(second.tags.values_list("slug", flat=True)) == ["café", "доступ"]
    assert Tag.objects.count() == 5


def test_a_tag_made_with_an_ascii_short_name_is_found_by_its_name():
    old = Tag.objects.create(name="Café", slug="cafe")

    resource = proposed(tags=["Café"])

    assert list(resource.tags.all()) == [old]


def test_a_tag_without_letters_or_numbers_is_refused():
    with pytest.raises(ValidationError) as refused:
        proposed(tags=["!!!"])

    assert refused.value.message_dict == {
        "tags": ["“!!!” cannot be a tag. Use letters or numbers."]
    }
    assert (Resource.objects.count(), Tag.objects.count()) == (0, 0)


def test_the_proposer_names_themselves_with_the_time_recorded():
    user = make_user()

    resource = proposed(user, contributors=[(user.person, True)])

    contribution = ResourceContributor.objects.get(resource=resource)
    assert (contribution.person_id, contribution.credited) == (user.person_id, True)
    assert contribution.credit_agreed_at is not None


def test_the_proposer_cannot_switch_credit_on_for_someone_else():
    user, other = make_user(), make_person(chosen_name="Noor")

    with pytest.raises(ValidationError) as refused:
        proposed(user, contributors=[(other, True)])

    assert refused.value.messages == ["Only Noor can agree to be named as a contributor."]
    assert (Resource.objects.count(), ResourceContributor.objects.count()) == (0, 0)


def test_someone_else_added_by_the_proposer_is_not_named_until_they_agree():
    user, other = make_user(), make_person()

    resource = proposed(user, contributors=[(other, False)])

    contribution = ResourceContributor.objects.get(resource=resource)
    assert (contribution.credited, contribution.credit_agreed_at) == (False, None)


# Publishing and declining ----------------------------------------------------------------------


def test_publishing_makes_it_published_and_tells_the_proposer_once():
    proposer = make_user()
    resource = proposed(proposer, title="Evening meetings")
    staff = make_partnerships_staff()

    publish_resource(resource, by=staff)

    resource.refresh_from_db()
    assert (resource.status, resource.published_by_id) == (ResourceStatus.PUBLISHED, staff.pk)
    assert resource.published_at is not None
    told = Notification.objects.get(person=proposer.person)
    assert told.kind == "partnerships_resource_published"
    assert told.content["full"]["subject"] == "Your resource “Evening meetings” is published"
    assert told.content["neutral"]["subject"] == "A message for you"


def test_publishing_needs_the_teams_permission_and_changes_nothing_otherwise():
    resource = proposed()

    with pytest.raises(ValidationError, match="permission"):
        publish_resource(resource, by=make_staff(StaffGroup.ENGAGEMENT))

    resource.refresh_from_db()
    assert (resource.status, Notification.objects.count()) == (ResourceStatus.PROPOSED, 0)


def test_only_a_proposed_resource_can_be_published():
    resource = proposed()
    staff = make_partnerships_staff()
    decline_resource(resource, by=staff, reason="It names a person.")

    with pytest.raises(ValidationError, match="no longer waiting"):
        publish_resource(resource, by=staff)

    assert Resource.objects.get(pk=resource.pk).status == ResourceStatus.DECLINED


def test_declining_needs_a_reason_and_changes_nothing_without_one():
    resource = proposed()

    with pytest.raises(ValidationError) as refused:
        decline_resource(resource, by=make_partnerships_staff(), reason="  ")

    assert refused.value.message_dict == {
        "reason": ["Say why it will not be published: the person who proposed it is told."]
    }
    resource.refresh_from_db()
    assert (resource.status, Notification.objects.count()) == (ResourceStatus.PROPOSED, 0)


def test_declining_tells_the_proposer_why():
    proposer = make_user()
    resource = proposed(proposer, title="Evening meetings")

    decline_resource(resource, by=make_partnerships_staff(), reason="It names a person.")

    resource.refresh_from_db()
    assert (resource.status, resource.decline_reason) == (
        ResourceStatus.DECLINED,
        "It names a person.",
    )
    told = Notification.objects.get(person=proposer.person)
    assert told.kind == "partnerships_resource_declined"
    assert "It names a person." in told.content["full"]["body"]
    assert "It names a person." not in told.content["neutral"]["body"]


# Editing --------------------------------------------------------------------------------------


def test_staff_edit_words_kind_and_tags_and_add_contributors_uncredited():
    resource = proposed(tags=["Pay"])
    someone = make_person()

    edit_resource(
        resource,
        by=make_partnerships_staff(),
        title="Paying fairly",
        kind=ResourceKind.TEMPLATE,
        summary="A template.",
        body="Fill it in.",
        tags=["Pay", "Templates"],
        add_contributors=[someone],
    )

    resource.refresh_from_db()
    assert (resource.title, resource.kind, resource.status) == (
        "Paying fairly",
        ResourceKind.TEMPLATE,
        ResourceStatus.PROPOSED,
    )
    assert sorted(resource.tags.values_list("slug", flat=True)) == ["pay", "templates"]
    assert list(resource.contributors.values_list("person_id", "credited")) == [(someone.pk, False)]


def test_editing_needs_the_teams_permission():
    resource = proposed(title="Before")

    with pytest.raises(ValidationError):
        edit_resource(
            resource,
            by=make_user(),
            title="After",
            kind=ResourceKind.GUIDE,
            summary="s",
            body="b",
            tags=[],
        )

    assert Resource.objects.get(pk=resource.pk).title == "Before"


# Consent to be named ---------------------------------------------------------------------------


def test_a_contributor_agrees_and_changes_their_mind_themselves():
    user = make_user()
    contribution = contribute(published(), user.person)

    set_contributor_credit(contribution, by=user, credited=True)
    agreed = ResourceContributor.objects.get(pk=contribution.pk)
    set_contributor_credit(contribution, by=user, credited=False)

    assert agreed.credited is True
    assert agreed.credit_agreed_at is not None
    assert ResourceContributor.objects.get(pk=contribution.pk).credited is False


@pytest.mark.parametrize("who", ["partnerships staff", "the proposer"])
def test_nobody_else_can_switch_a_contributors_credit_on(who):
    proposer = make_user()
    contribution = contribute(published(proposer), make_person())
    by = make_partnerships_staff() if who == "partnerships staff" else proposer

    with pytest.raises(ValidationError, match="Only the contributor"):
        set_contributor_credit(contribution, by=by, credited=True)

    contribution.refresh_from_db()
    assert (contribution.credited, contribution.credit_agreed_at) == (False, None)


# Personal data ----------------------------------------------------------------------------------


def test_proposals_and_contributions_are_in_the_persons_download():
    user = make_user()
    proposed(user, title="My own guide", body="Mine.")
    contribute(published(title="Shared guide"), user.person, credited=True)

    data = partnerships_personal_data(user.person)

    assert [(r["title"], r["body"], r["status"]) for r in data["resources_proposed"]] == [
        ("My own guide", "Mine.", "proposed")
    ]
    assert data["resources_contributed_to"] == [
        {"resource": "Shared guide", "named_as_contributor": True}
    ]


def test_erasure_deletes_unpublished_proposals_and_files_keeps_published_and_uncredits(
    files_root, django_capture_on_commit_callbacks
):
    user = make_user()
    waiting = proposed(user, title="Waiting", file=pdf())
    declined = proposed(user, title="Declined")
    decline_resource(declined, by=make_partnerships_staff(), reason="Not now.")
    kept = published(user, title="Kept")
    credited_on = published(title="Theirs")
    contribute(credited_on, user.person, credited=True)
    assert stored_files(files_root) == [Path(waiting.file.name).name]

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(
            request_erasure(user.person, by=user),
            by=make_staff(StaffGroup.ENGAGEMENT),
            reason="Asked in the portal.",
        )

    assert sorted(Resource.objects.values_list("title", flat=True)) == ["Kept", "Theirs"]
    assert Resource.objects.get(pk=kept.pk).proposed_by_id is None
    assert Resource.objects.get(pk=credited_on.pk).proposed_by_id == credited_on.proposed_by_id
    assert not ResourceContributor.objects.filter(resource=credited_on).exists()
    assert stored_files(files_root) == []
    assert not partnership_file_storage.exists(waiting.file.name)


# At the same time ------------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.parametrize("decide", ["publish", "decline"])
def test_publishing_and_declining_lock_the_proposal_before_reading_its_status(decide):
    # Unlocked, a decline sent while a publish is saving reads "proposed" and overwrites it:
    # the resource ends declined and its proposer is told both.
    resource = proposed()
    staff = make_partnerships_staff()

    with CaptureQueriesContext(connection) as queries:
        if decide == "publish":
            publish_resource(resource, by=staff)
        else:
            decline_resource(resource, by=staff, reason="No.")

    reads = [
        q["sql"] for q in queries.captured_queries if 'FROM "partnerships_resource"' in q["sql"]
    ]
    assert reads, queries.captured_queries
    assert reads[0].endswith('FOR UPDATE OF "partnerships_resource"'), reads
