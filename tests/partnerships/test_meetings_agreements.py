"""Agreements (partnerships.services.agreements and the staff pages): the review date is never
before the signing date (form, service and database), the document is a PDF or .docx by its
content, stored privately under a random name, sent only to those who manage the partnership,
replaced and deleted with its file; an agreement of another partnership is not found."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from coprod.enums import StaffGroup
from partnerships.enums import AgreementKind
from partnerships.models import Agreement
from partnerships.services.agreements import add_agreement, change_agreement, delete_agreement
from tests.factories.core import make_staff
from tests.factories.partnerships import AgreementFactory, PartnershipFactory
from tests.funding.files import DOCX, PDF, PNG, docx_upload, pdf_upload, upload
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

FIELDS = {
    "kind": AgreementKind.DATA_SHARING,
    "title": "Data-sharing agreement",
    "signed_on": date(2026, 3, 1),
    "review_on": date(2027, 3, 1),
    "notes": "Reviewed by both data protection officers.",
}


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path):
    settings.COPROD_PARTNERSHIP_FILES_ROOT = tmp_path / "partnership-files"
    return settings.COPROD_PARTNERSHIP_FILES_ROOT


def stored_files(root: Path) -> list[str]:
    return sorted(path.name for path in root.rglob("*") if path.is_file())


def test_add_agreement_stores_the_document_under_a_random_name(files_root):
    partnership = PartnershipFactory()

    agreement = add_agreement(
        partnership, by=partnership.lead, document=pdf_upload("Ayo signed copy.pdf"), **FIELDS
    )

    agreement.refresh_from_db()
    assert (agreement.title, agreement.review_on, agreement.created_by) == (
        "Data-sharing agreement",
        date(2027, 3, 1),
        partnership.lead,
    )
    assert agreement.document_name == "Ayo signed copy.pdf"
    assert agreement.document.name.startswith("agreements/")
    assert "Ayo" not in agreement.document.name
    assert agreement.document.name.endswith(".pdf")
    assert (files_root / agreement.document.name).read_bytes() == PDF


def test_review_before_signing_is_refused_on_the_review_date_and_nothing_is_saved(files_root):
    partnership = PartnershipFactory()

    with pytest.raises(ValidationError) as refused:
        add_agreement(
            partnership,
            by=partnership.lead,
            document=pdf_upload(),
            **{**FIELDS, "review_on": date(2026, 2, 28)},
        )

    assert refused.value.message_dict == {
        "review_on": ["The review date must be on or after the date it was signed."]
    }
    assert (Agreement.objects.count(), stored_files(files_root)) == (0, [])


def test_database_refuses_a_review_before_signing():
    partnership = PartnershipFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(
            partnership=partnership, **{**FIELDS, "review_on": date(2026, 2, 1)}
        )


@pytest.mark.parametrize(
    ("name", "content"),
    [("picture.pdf", PNG), ("empty.pdf", b""), ("program.docx", b"MZ\x90\x00 a program")],
)
def test_a_file_that_is_not_a_pdf_or_docx_is_refused(files_root, name, content):
    partnership = PartnershipFactory()

    with pytest.raises(ValidationError) as refused:
        add_agreement(partnership, by=partnership.lead, document=upload(name, content), **FIELDS)

    assert list(refused.value.message_dict) == ["document"]
    assert (Agreement.objects.count(), stored_files(files_root)) == (0, [])


def test_a_file_too_big_is_refused(files_root, settings):
    settings.COPROD_PARTNERSHIP_FILE_MAX_BYTES = len(PDF) - 1
    partnership = PartnershipFactory()

    with pytest.raises(ValidationError) as refused:
        add_agreement(partnership, by=partnership.lead, document=pdf_upload("big.pdf"), **FIELDS)

    assert refused.value.message_dict["document"] == [
        f"“big.pdf” is too big. The file must be {len(PDF) - 1}\xa0bytes or smaller."
    ]
    assert stored_files(files_root) == []


def test_staff_of_another_team_who_do_not_lead_it_cannot_add():
    partnership = PartnershipFactory()

    with pytest.raises(ValidationError):
        add_agreement(partnership, by=make_staff(StaffGroup.FUNDING), **FIELDS)

    assert Agreement.objects.count() == 0


def test_replacing_the_document_deletes_the_old_file_after_commit(
    files_root, django_capture_on_commit_callbacks
):
    partnership = PartnershipFactory()
    agreement = add_agreement(partnership, by=partnership.lead, document=pdf_upload(), **FIELDS)
    old = agreement.document.name

    with django_capture_on_commit_callbacks(execute=True):
        change_agreement(
            agreement, by=partnership.lead, document=docx_upload("v2.docx"), title="Version 2"
        )

    agreement.refresh_from_db()
    assert (agreement.title, agreement.document_name) == ("Version 2", "v2.docx")
    assert stored_files(files_root) == [Path(agreement.document.name).name]
    assert Path(old).name not in stored_files(files_root)
    assert (files_root / agreement.document.name).read_bytes() == DOCX


def test_change_keeps_the_document_when_none_is_given(files_root):
    partnership = PartnershipFactory()
    agreement = add_agreement(partnership, by=partnership.lead, document=pdf_upload(), **FIELDS)

    change_agreement(agreement, by=partnership.lead, review_on=date(2027, 6, 1))

    agreement.refresh_from_db()
    assert agreement.review_on == date(2027, 6, 1)
    assert stored_files(files_root) == [Path(agreement.document.name).name]


def test_delete_removes_the_row_and_after_commit_the_file(
    files_root, django_capture_on_commit_callbacks
):
    partnership = PartnershipFactory()
    agreement = add_agreement(partnership, by=partnership.lead, document=pdf_upload(), **FIELDS)

    with django_capture_on_commit_callbacks(execute=True):
        delete_agreement(agreement, by=partnership.lead)

    assert (Agreement.objects.count(), stored_files(files_root)) == (0, [])


# Pages -------------------------------------------------------------------------------------------


def test_form_shows_the_review_date_error_on_its_field(client):
    partnership = PartnershipFactory()
    client.force_login(partnership.lead)

    response = client.post(
        reverse("partnerships_agreements:create", kwargs={"partnership_id": partnership.pk}),
        {**FIELDS, "signed_on": "2026-03-01", "review_on": "2026-01-01"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "review_on": ["The review date must be on or after the date it was signed."]
    }
    assert Agreement.objects.count() == 0


def test_form_adds_an_agreement_with_its_document(client, files_root):
    partnership = PartnershipFactory()
    client.force_login(partnership.lead)

    response = client.post(
        reverse("partnerships_agreements:create", kwargs={"partnership_id": partnership.pk}),
        {**FIELDS, "document": pdf_upload("terms.pdf")},
    )

    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.partnership, agreement.document_name) == (partnership, "terms.pdf")


def test_form_refuses_a_picture_named_pdf_on_the_document_field(client, files_root):
    partnership = PartnershipFactory()
    client.force_login(partnership.lead)

    response = client.post(
        reverse("partnerships_agreements:create", kwargs={"partnership_id": partnership.pk}),
        {**FIELDS, "document": upload("terms.pdf", PNG)},
    )

    assert response.context["form"].errors == {
        "document": [
            "“terms.pdf” is not a PDF or a Word document (.docx). Save it as a PDF or a .docx "
            "file and try again."
        ]
    }
    assert (Agreement.objects.count(), stored_files(files_root)) == (0, [])


def test_download_is_an_attachment_not_sniffed_nor_stored(client, files_root):
    partnership = PartnershipFactory()
    agreement = add_agreement(
        partnership, by=partnership.lead, document=pdf_upload("Signed terms.pdf"), **FIELDS
    )
    client.force_login(partnership.lead)

    response = client.get(
        reverse("partnerships_agreements:document", kwargs={"agreement_id": agreement.pk})
    )

    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Signed terms.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["edit", "document", "delete"])
def test_an_agreement_id_of_another_partnership_is_not_found(client, files_root, name):
    lead = make_staff(StaffGroup.ENGAGEMENT)
    mine = PartnershipFactory(lead=lead)
    AgreementFactory(partnership=mine)
    other = PartnershipFactory()
    theirs = add_agreement(other, by=other.lead, document=pdf_upload(), **FIELDS)
    client.force_login(lead)
    url = reverse(f"partnerships_agreements:{name}", kwargs={"agreement_id": theirs.pk})

    got = client.get(url)
    posted = client.post(url, FIELDS) if name != "document" else got

    assert (got.status_code, posted.status_code) == (404, 404)
    assert Agreement.objects.filter(pk=theirs.pk, title=FIELDS["title"]).exists()
    assert stored_files(files_root) == [Path(theirs.document.name).name]


def test_own_agreement_page_opens_for_the_lead(client):
    lead = make_staff(StaffGroup.ENGAGEMENT)
    mine = AgreementFactory(partnership=PartnershipFactory(lead=lead), title="Our terms")
    client.force_login(lead)

    response = client.get(reverse("partnerships_agreements:edit", kwargs={"agreement_id": mine.pk}))

    assert response.status_code == 200
    assert response.context["form"].initial["title"] == "Our terms"


def test_agreement_list_queries_do_not_grow_and_are_pinned(client):
    partnership = PartnershipFactory()
    AgreementFactory(partnership=PartnershipFactory())  # another partnership's: not listed
    client.force_login(partnership.lead)
    url = reverse("partnerships_agreements:list", kwargs={"partnership_id": partnership.pk})

    count = assert_queries_do_not_grow(
        client, url, lambda: AgreementFactory(partnership=partnership, document_name="a.pdf")
    )

    response = client.get(url)
    assert len(response.context["page"].items) == 4
    assert count == 5


def test_a_posted_clear_checkbox_adds_the_agreement_without_a_document(client, files_root):
    partnership = PartnershipFactory()
    client.force_login(partnership.lead)

    response = client.post(
        reverse("partnerships_agreements:create", kwargs={"partnership_id": partnership.pk}),
        {**FIELDS, "document-clear": "on"},
    )

    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.title, agreement.document_name) == ("Data-sharing agreement", "")
    assert stored_files(files_root) == []


def test_a_posted_clear_checkbox_keeps_the_document_on_a_change(client, files_root):
    partnership = PartnershipFactory()
    agreement = add_agreement(partnership, by=partnership.lead, document=pdf_upload(), **FIELDS)
    client.force_login(partnership.lead)

    response = client.post(
        reverse("partnerships_agreements:edit", kwargs={"agreement_id": agreement.pk}),
        {**FIELDS, "title": "Renamed", "document-clear": "on"},
    )

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.title, agreement.document_name) == ("Renamed", "plan.pdf")
    assert stored_files(files_root) == [Path(agreement.document.name).name]
