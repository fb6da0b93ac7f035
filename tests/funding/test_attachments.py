"""Proposal files: attached on the proposal form (draft or send), recognised by content not
name, size- and count-limited, all of one request saved or none; removed while a draft; fetched
as a download only by the applicant, funding staff (audited) and panel members who may open the
proposal; shown on the sent proposal; kept on withdrawal; erased with the applicant."""

from __future__ import annotations

from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from coprod.enums import Role, StaffGroup
from coprod.services.rights import erase_person, request_erasure
from funding.enums import ProposalStatus
from funding.models import Proposal, ProposalAttachment
from funding.services import (
    MAX_ATTACHMENTS_PER_PROPOSAL,
    erase_funding_records,
    keep_proposal,
    remove_attachment,
    withdraw_proposal,
)
from tests.factories.core import make_staff, make_user
from tests.factories.funding import (
    CallFactory,
    make_funding_staff,
    make_researcher,
)
from tests.funding.files import (
    DOCM,
    DOCM_ALSO_NAMING_DOCX,
    DOCX,
    DOCX_TYPE,
    DOCX_WITH_DTD,
    DOCX_WITH_MACROS,
    PDF,
    PLAIN_ZIP,
    PNG,
    PROGRAM,
    docx_upload,
    pdf_upload,
    upload,
)
from tests.funding.scene import scene
from tests.matrix import Visit

pytestmark = pytest.mark.django_db

FIELDS = {
    "title": "What helps",
    "summary": "We will ask survivors what helps. We will pay them.",
    "description": "Two years of interviews.",
    "requested_amount": "20000",
    "team": "Dr A",
    "lived_experience_involvement": "Paid co-researchers.",
}


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path):
    settings.COPROD_PROPOSAL_FILES_ROOT = tmp_path / "proposal-files"
    return settings.COPROD_PROPOSAL_FILES_ROOT


@pytest.fixture
def researcher(client):
    user = make_researcher()
    client.force_login(user)
    return user


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def propose(client, call, *files, button="save", **data):
    return client.post(
        reverse("funding:propose", kwargs={"call_id": call.pk}),
        {**FIELDS, **data, button: "", "attachments": list(files)},
    )


def attach(proposal: Proposal, content: bytes = PDF) -> ProposalAttachment:
    """A PDF on `proposal` (set-up: not through the service)."""
    attachment = ProposalAttachment(
        proposal=proposal, original_name="p.pdf", content_type="application/pdf", size=len(content)
    )
    attachment.file.save("p.pdf", upload("p.pdf", content), save=True)
    return attachment


def with_files(researcher, *files, status=ProposalStatus.DRAFT):
    """`researcher`'s proposal (draft, or sent) with `files`, through the service."""
    proposal = keep_proposal(
        CallFactory(),
        by=researcher,
        draft=None,
        fields=dict(FIELDS),
        files=list(files),
        send=status == ProposalStatus.SUBMITTED,
    )
    return proposal


# Attaching -------------------------------------------------------------------------------------


def test_files_are_saved_with_a_draft_under_random_names(client, researcher, files_root):
    call = CallFactory()

    response = propose(client, call, pdf_upload("our plan.pdf"), docx_upload("budget.docx"))

    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.DRAFT
    rows = list(proposal.attachments.order_by("pk"))
    assert [(r.original_name, r.content_type, r.size) for r in rows] == [
        ("our plan.pdf", "application/pdf", len(PDF)),
        ("budget.docx", DOCX_TYPE, len(DOCX)),
    ]
    files = stored_files(files_root)
    assert len(files) == 2
    assert all("plan" not in path.name and "budget" not in path.name for path in files)
    assert {path.suffix for path in files} == {".pdf", ".docx"}


def test_files_are_saved_when_the_proposal_is_sent(client, researcher):
    call = CallFactory()

    response = propose(client, call, pdf_upload(), button="send")

    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.attachments.count() == 1


def test_the_kind_comes_from_the_content_not_the_name(client, researcher):
    call = CallFactory()

    propose(client, call, upload("plan.docx", PDF, DOCX_TYPE))

    attachment = ProposalAttachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", PNG),  # a picture named like a PDF
        ("plan.docx", PROGRAM),  # a renamed program
        ("plan.exe", PROGRAM),
        ("plan.docx", PLAIN_ZIP),  # a zip that is not a Word document
        ("plan.docx", b"PK\x03\x04 broken zip"),
        ("plan.docx", DOCM),  # macro-enabled
        ("plan.docx", DOCM_ALSO_NAMING_DOCX),
        ("plan.docx", DOCX_WITH_MACROS),
        ("plan.docx", DOCX_WITH_DTD),
    ],
    ids=[
        "png-named-pdf",
        "exe-named-docx",
        "exe",
        "plain-zip",
        "broken-zip",
        "docm",
        "docm-also-naming-docx",
        "docx-with-macros",
        "docx-with-a-dtd",
    ],
)
def test_a_file_that_is_not_a_pdf_or_docx_is_refused_and_nothing_is_saved(
    client, researcher, files_root, name, content
):
    call = CallFactory()

    response = propose(client, call, pdf_upload("fine.pdf"), upload(name, content))

    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == [
        f"“{name}” is not a PDF or a Word document (.docx). Save it as a PDF or a .docx file "
        "and try again."
    ]
    assert Proposal.objects.count() == 0
    assert ProposalAttachment.objects.count() == 0
    assert stored_files(files_root) == []


def test_an_oversized_file_is_refused_with_the_limit(client, researcher, settings, files_root):
    settings.COPROD_PROPOSAL_FILE_MAX_BYTES = 1000
    call = CallFactory()

    response = propose(client, call, upload("big.pdf", PDF + b"0" * 1000))

    assert response.context["form"].errors["attachments"] == [
        "“big.pdf” is too big. Each file must be 1000\xa0bytes or smaller."
    ]
    assert Proposal.objects.count() == 0
    assert stored_files(files_root) == []


def test_no_more_than_five_files_per_proposal_all_savings_together(client, researcher, files_root):
    proposal = with_files(researcher, *[pdf_upload() for _ in range(4)])

    response = propose(client, proposal.call, pdf_upload(), pdf_upload())

    assert MAX_ATTACHMENTS_PER_PROPOSAL == 5
    assert response.context["form"].errors["attachments"] == [
        "A proposal can have up to 5 files. Remove one before adding another."
    ]
    assert proposal.attachments.count() == 4
    assert len(stored_files(files_root)) == 4


def test_the_service_refuses_a_bad_file_without_the_form(researcher, files_root):
    call = CallFactory()

    with pytest.raises(ValidationError, match="is not a PDF or a Word document"):
        keep_proposal(
            call,
            by=researcher,
            draft=None,
            fields=FIELDS,
            files=[pdf_upload(), upload("x.pdf", PROGRAM)],
        )

    assert Proposal.objects.count() == 0
    assert stored_files(files_root) == []


def test_files_written_are_removed_when_sending_is_refused(researcher, files_root):
    call = CallFactory()

    with pytest.raises(ValidationError):
        keep_proposal(
            call,
            by=researcher,
            draft=None,
            fields={**FIELDS, "description": ""},  # needed to send
            files=[pdf_upload()],
            send=True,
        )

    assert Proposal.objects.count() == 0
    assert ProposalAttachment.objects.count() == 0
    assert stored_files(files_root) == []


def test_files_are_kept_outside_anything_served(settings):
    root = Path(settings.COPROD_PROPOSAL_FILES_ROOT).resolve()

    assert not root.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    with pytest.raises(ValueError, match="no address"):
        ProposalAttachment.file.field.storage.url("anything.pdf")


# Removing --------------------------------------------------------------------------------------


def test_the_applicant_removes_a_file_from_their_draft(
    client, researcher, files_root, django_capture_on_commit_callbacks
):
    proposal = with_files(researcher, pdf_upload("old.pdf"), pdf_upload("keep.pdf"))
    old = proposal.attachments.get(original_name="old.pdf")
    kept = proposal.attachments.get(original_name="keep.pdf")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("funding:remove_attachment", args=[old.pk]), follow=True)

    assert list(proposal.attachments.all()) == [kept]
    assert stored_files(files_root) == [Path(files_root.resolve() / kept.file.name)]
    assert "“old.pdf” is removed from your proposal." in response.content.decode()


def test_a_sent_proposal_keeps_its_files(researcher, files_root):
    proposal = with_files(researcher, pdf_upload(), status=ProposalStatus.SUBMITTED)

    with pytest.raises(ValidationError, match="has been sent"):
        remove_attachment(proposal.attachments.get(), by=researcher)

    assert proposal.attachments.count() == 1
    assert len(stored_files(files_root)) == 1


def test_nobody_else_removes_a_file(client, files_root):
    proposal = with_files(make_researcher(), pdf_upload())
    client.force_login(make_researcher())

    response = client.post(
        reverse("funding:remove_attachment", args=[proposal.attachments.get().pk])
    )

    assert response.status_code == 404
    assert proposal.attachments.count() == 1


def test_the_service_refuses_to_remove_someone_else_s_file(files_root):
    proposal = with_files(make_researcher(), pdf_upload())
    attachment = proposal.attachments.get()

    with pytest.raises(ValidationError, match="This is not your proposal"):
        remove_attachment(attachment, by=make_researcher())

    assert proposal.attachments.count() == 1
    assert len(stored_files(files_root)) == 1


def test_withdrawing_keeps_the_files(researcher, files_root):
    proposal = with_files(researcher, pdf_upload(), status=ProposalStatus.SUBMITTED)

    withdraw_proposal(proposal, by=researcher)

    assert proposal.attachments.count() == 1
    assert len(stored_files(files_root)) == 1


# Showing and fetching --------------------------------------------------------------------------


def test_the_sent_proposal_page_lists_its_files(client, researcher):
    proposal = with_files(researcher, pdf_upload("our plan.pdf"), status=ProposalStatus.SUBMITTED)
    attachment = proposal.attachments.get()

    page = client.get(reverse("funding:proposal", args=[proposal.pk])).content.decode()

    assert reverse("funding:attachment", args=[attachment.pk]) in page
    assert "our plan.pdf" in page


def test_the_applicant_downloads_their_file(client, researcher):
    proposal = with_files(researcher, upload("our plan.pdf", PDF))

    response = client.get(reverse("funding:attachment", args=[proposal.attachments.get().pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="our plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    # A file opened in the browser anyway (a PDF viewer's "open") runs nothing of ours.
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == 0


def test_funding_staff_download_a_sent_proposal_s_file_and_it_is_audited(client):
    proposal = with_files(make_researcher(), docx_upload("plan"), status=ProposalStatus.SUBMITTED)
    attachment = proposal.attachments.get()
    staff = make_funding_staff()
    client.force_login(staff)

    response = client.get(reverse("funding:attachment", args=[attachment.pk]))

    assert b"".join(response.streaming_content) == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="plan.docx"'
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.actor, entry.object_pk) == (staff, str(attachment.pk))
    assert entry.additional_data == {"fields": ["file"], "context": "proposal file"}


def test_funding_staff_do_not_download_a_draft_s_file(client):
    proposal = with_files(make_researcher(), pdf_upload())
    client.force_login(make_funding_staff())

    response = client.get(reverse("funding:attachment", args=[proposal.attachments.get().pk]))

    assert response.status_code == 404


def _panel_file(kind: str):
    user = make_user(roles=[Role.POLICYMAKER if kind == "chair" else Role.LEE])
    found = scene(Visit(kind, user))
    return user, attach(found.proposal)


@pytest.mark.parametrize(
    ("kind", "content"),
    [("member_assigned", PDF), ("chair", PDF), ("member_conflicted", None)],
)
def test_panel_members_download_only_what_they_may_open(client, kind, content):
    user, attachment = _panel_file(kind)
    client.force_login(user)

    response = client.get(reverse("funding:attachment", args=[attachment.pk]))

    if content is None:
        assert response.status_code == 404
    else:
        assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize("status", [ProposalStatus.WITHDRAWN, ProposalStatus.DRAFT])
def test_a_member_s_grant_left_on_a_proposal_no_longer_sent_opens_no_file(client, status):
    user, attachment = _panel_file("member_assigned")
    Proposal.objects.filter(pk=attachment.proposal_id).update(status=status)
    client.force_login(user)

    response = client.get(reverse("funding:attachment", args=[attachment.pk]))

    assert user.has_perm("funding.review_proposal", attachment.proposal)
    assert response.status_code == 404


def test_other_people_and_other_staff_get_not_found(client):
    proposal = with_files(make_researcher(), pdf_upload(), status=ProposalStatus.SUBMITTED)
    url = reverse("funding:attachment", args=[proposal.attachments.get().pk])

    answers = []
    for user in (make_researcher(), make_staff(StaffGroup.ENGAGEMENT)):
        client.force_login(user)
        answers.append(client.get(url).status_code)

    assert answers == [404, 404]


# Erasure ---------------------------------------------------------------------------------------


def test_erasing_the_applicant_deletes_their_files_and_no_one_else_s(
    researcher, files_root, django_capture_on_commit_callbacks
):
    with_files(researcher, pdf_upload(), status=ProposalStatus.SUBMITTED)
    with_files(researcher, docx_upload())
    bystander = with_files(make_researcher(), pdf_upload()).attachments.get()

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(
            request_erasure(researcher.person, by=researcher),
            by=make_staff(StaffGroup.ENGAGEMENT),
            reason="Asked.",
        )

    assert list(ProposalAttachment.objects.all()) == [bystander]
    assert stored_files(files_root) == [Path(files_root.resolve() / bystander.file.name)]


def test_an_erasure_rolled_back_keeps_the_files(researcher, files_root):
    with_files(researcher, pdf_upload(), status=ProposalStatus.SUBMITTED)

    def erase_then_fail() -> None:
        with transaction.atomic():
            erase_funding_records(researcher.person, by=researcher)
            raise RuntimeError("the erasure failed later")

    with pytest.raises(RuntimeError):
        erase_then_fail()

    assert ProposalAttachment.objects.count() == 1
    assert len(stored_files(files_root)) == 1


def test_the_proposal_admin_links_to_each_file(client):
    proposal = with_files(
        make_researcher(), pdf_upload("our plan.pdf"), status=ProposalStatus.SUBMITTED
    )
    attachment = proposal.attachments.get()
    client.force_login(make_funding_staff())

    page = client.get(f"/admin/funding/proposal/{proposal.pk}/change/").content.decode()

    assert (
        f'<a href="{reverse("funding:attachment", args=[attachment.pk])}">our plan.pdf</a>' in page
    )
