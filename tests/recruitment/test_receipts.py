"""Receipts: attached when the person sends their claim, recognised by content not name, kept
outside anything served, fetched only by who may see the claim (as a download, not sniffed),
refused with a clear message and nothing half saved, in the person's download, and erased with
them. Also: a queried claim shows staff's question to the person."""

from __future__ import annotations

from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from coprod.enums import Role, StaffGroup
from coprod.models import london_today
from coprod.services.rights import erase_person, request_erasure
from recruitment.contributions import DOORS
from recruitment.enums import ClaimStatus, PaymentMethod
from recruitment.forms import ClaimForm
from recruitment.models import ClaimEvent, ClaimReceipt, HonorariumClaim, Rate
from recruitment.selectors import recruitment_personal_data
from recruitment.services import (
    MAX_RECEIPTS_PER_CLAIM,
    approve_claim,
    erase_claim_receipts,
    mark_claim_paid,
    query_claim,
    send_claim_with_receipts,
)
from tests.factories.core import make_staff, make_user
from tests.factories.recruitment import completed_engagement, eligible, standard_rates
from tests.recruitment.receipts import (
    JPEG,
    PDF,
    PNG,
    disguised_upload,
    jpeg_upload,
    pdf_upload,
    png_upload,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def receipts_root(settings, tmp_path):
    settings.COPROD_RECEIPTS_ROOT = tmp_path / "receipts"
    standard_rates()
    return settings.COPROD_RECEIPTS_ROOT


@pytest.fixture
def lee(client):
    user = make_user(roles=[Role.PWLE, Role.LEE])
    eligible(user.person)
    client.force_login(user)
    return user


def claim_url(engagement) -> str:
    return reverse("paid_work:claim", kwargs={"engagement_id": engagement.pk})


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def send(client, engagement, *files, **data):
    return client.post(
        claim_url(engagement),
        {
            "method": "bank_transfer",
            "expenses": "6.40",
            "expenses_note": "Bus",
            **data,
            "receipts": list(files),
        },
    )


# Sending receipts --------------------------------------------------------------------------------


def test_receipts_are_saved_with_the_claim_under_random_names(client, lee, receipts_root):
    engagement = completed_engagement(lee.person)

    response = send(client, engagement, pdf_upload("my bus ticket.pdf"), png_upload("shop.png"))

    assert response.status_code == 302
    claim = HonorariumClaim.objects.get(engagement=engagement)
    assert claim.status == ClaimStatus.SUBMITTED
    receipts = list(claim.receipts.order_by("pk"))
    assert [(r.original_name, r.content_type, r.size) for r in receipts] == [
        ("my bus ticket.pdf", "application/pdf", len(PDF)),
        ("shop.png", "image/png", len(PNG)),
    ]
    files = stored_files(receipts_root)
    assert len(files) == 2
    assert all("bus" not in path.name and "shop" not in path.name for path in files)
    assert {path.suffix for path in files} == {".pdf", ".png"}


def test_receipt_kind_comes_from_content_not_name(client, lee):
    engagement = completed_engagement(lee.person)

    send(client, engagement, upload("photo.pdf", JPEG, "application/pdf"))

    receipt = ClaimReceipt.objects.get()
    assert receipt.content_type == "image/jpeg"
    assert receipt.file.name.endswith(".jpg")


def test_receipts_are_stored_outside_the_static_folders(settings):
    root = Path(settings.COPROD_RECEIPTS_ROOT).resolve()

    assert not root.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert all(not root.is_relative_to(Path(d).resolve()) for d in settings.STATICFILES_DIRS)
    with pytest.raises(ValueError, match="no address"):
        ClaimReceipt.file.field.storage.url("anything.pdf")


def test_a_file_that_is_not_a_receipt_is_refused_and_nothing_is_saved(client, lee, receipts_root):
    engagement = completed_engagement(lee.person)
    events = ClaimEvent.objects.count()

    response = send(client, engagement, pdf_upload("fine.pdf"), disguised_upload("ticket.pdf"))

    assert response.status_code == 200
    assert response.context["form"].errors["receipts"] == [
        "“ticket.pdf” is not a PDF, JPEG or PNG. Send a photo or a PDF of the receipt."
    ]
    claim = HonorariumClaim.objects.get(engagement=engagement)
    assert claim.status == ClaimStatus.DRAFT
    assert ClaimReceipt.objects.count() == 0
    assert ClaimEvent.objects.count() == events
    assert stored_files(receipts_root) == []


def test_an_oversized_receipt_is_refused_with_the_limit_and_nothing_is_saved(
    client, lee, settings, receipts_root
):
    settings.COPROD_RECEIPT_MAX_BYTES = 1000
    engagement = completed_engagement(lee.person)

    response = send(client, engagement, upload("big.pdf", PDF + b"0" * 1000))

    assert response.context["form"].errors["receipts"] == [
        "“big.pdf” is too big. Each receipt must be 1000\xa0bytes or smaller."
    ]
    assert HonorariumClaim.objects.get(engagement=engagement).status == ClaimStatus.DRAFT
    assert ClaimReceipt.objects.count() == 0
    assert stored_files(receipts_root) == []


def test_service_refuses_a_bad_file_even_without_the_form(lee, receipts_root):
    engagement = completed_engagement(lee.person)

    with pytest.raises(ValidationError, match="is not a PDF, JPEG or PNG"):
        send_claim_with_receipts(
            engagement,
            by=lee,
            method="bank_transfer",
            expenses="1",
            expenses_note="",
            receipts=[jpeg_upload(), disguised_upload()],
        )

    assert HonorariumClaim.objects.get(engagement=engagement).status == ClaimStatus.DRAFT
    assert ClaimReceipt.objects.count() == 0
    assert stored_files(receipts_root) == []


def test_files_are_removed_when_the_claim_is_refused_after_they_were_written(lee, receipts_root):
    engagement = completed_engagement(lee.person)

    Rate.objects.all().delete()  # the claim is refused after the receipts are written

    with pytest.raises(ValidationError, match="No rate is set"):
        send_claim_with_receipts(
            engagement,
            by=lee,
            method=PaymentMethod.BANK_TRANSFER,
            expenses="1",
            expenses_note="",
            receipts=[pdf_upload()],
        )

    assert ClaimReceipt.objects.count() == 0
    assert stored_files(receipts_root) == []
    assert HonorariumClaim.objects.get(engagement=engagement).status == ClaimStatus.DRAFT


def test_no_more_than_ten_receipts_per_claim(lee):
    engagement = completed_engagement(lee.person)

    with pytest.raises(ValidationError, match="up to 10 receipts"):
        send_claim_with_receipts(
            engagement,
            by=lee,
            method="bank_transfer",
            expenses="1",
            expenses_note="",
            receipts=[pdf_upload() for _ in range(11)],
        )

    assert ClaimReceipt.objects.count() == 0


def test_receipts_sent_before_count_towards_the_ten(lee, receipts_root):
    engagement = completed_engagement(lee.person)
    send_claim_with_receipts(
        engagement,
        by=lee,
        method="bank_transfer",
        expenses="1",
        expenses_note="",
        receipts=[pdf_upload() for _ in range(9)],
    )
    query_claim(engagement.claim, by=make_staff(StaffGroup.ENGAGEMENT), question="Which bus?")

    with pytest.raises(ValidationError, match="up to 10 receipts"):
        send_claim_with_receipts(
            engagement,
            by=lee,
            method="bank_transfer",
            expenses="1",
            expenses_note="",
            receipts=[pdf_upload(), pdf_upload()],
        )

    assert HonorariumClaim.objects.get(engagement=engagement).status == ClaimStatus.QUERIED
    assert ClaimReceipt.objects.count() == 9
    assert len(stored_files(receipts_root)) == 9


def test_the_claim_form_counts_receipts_sent_before(client, lee, receipts_root):
    engagement = completed_engagement(lee.person)
    send(client, engagement, *[pdf_upload() for _ in range(9)])
    query_claim(engagement.claim, by=make_staff(StaffGroup.ENGAGEMENT), question="Which bus?")

    response = send(client, engagement, pdf_upload("one.pdf"), pdf_upload("two.pdf"))

    assert response.status_code == 200
    assert response.context["form"].errors["receipts"] == ["A claim can have up to 10 receipts."]
    assert HonorariumClaim.objects.get(engagement=engagement).status == ClaimStatus.QUERIED
    assert ClaimReceipt.objects.count() == 9
    assert len(stored_files(receipts_root)) == 9


def test_service_refuses_an_empty_file(lee, receipts_root):
    engagement = completed_engagement(lee.person)

    with pytest.raises(ValidationError, match=r"“empty\.pdf” is empty"):
        send_claim_with_receipts(
            engagement,
            by=lee,
            method="bank_transfer",
            expenses="1",
            expenses_note="",
            receipts=[upload("empty.pdf", b"")],
        )

    assert ClaimReceipt.objects.count() == 0
    assert stored_files(receipts_root) == []


def test_the_proxy_lets_a_claim_with_the_most_receipts_of_the_largest_size_through(settings):
    caddyfile = (Path(settings.BASE_DIR) / "deploy" / "Caddyfile").read_text()
    [limit] = [line.split()[1] for line in caddyfile.splitlines() if "max_size" in line]
    units = {"MB": 1000**2, "MiB": 1024**2}
    unit = next(unit for unit in units if limit.endswith(unit))

    proxy_limit = int(limit.removesuffix(unit)) * units[unit]

    largest_claim = MAX_RECEIPTS_PER_CLAIM * settings.COPROD_RECEIPT_MAX_BYTES
    assert proxy_limit >= largest_claim + 1024**2  # and the rest of the form


def test_nobody_sends_receipts_for_someone_elses_claim(lee):
    engagement = completed_engagement(make_user().person)

    with pytest.raises(ValidationError, match="only claim for your own"):
        send_claim_with_receipts(
            engagement,
            by=lee,
            method="bank_transfer",
            expenses="1",
            expenses_note="",
            receipts=[pdf_upload()],
        )

    assert ClaimReceipt.objects.count() == 0


# The question and sending again -------------------------------------------------------------------


def test_a_queried_claim_shows_staffs_question_and_takes_more_receipts(client, lee):
    engagement = completed_engagement(lee.person)
    send(client, engagement, pdf_upload("first.pdf"))
    query_claim(
        engagement.claim,
        by=make_staff(StaffGroup.ENGAGEMENT),
        question="Please add the receipt for the train.",
    )

    page = client.get(claim_url(engagement)).content.decode()
    listed = client.get(reverse("paid_work:list")).content.decode()
    response = send(client, engagement, jpeg_upload("train.jpg"))

    assert "Please add the receipt for the train." in page
    assert "first.pdf" in page
    assert "Read our question and send your claim again" in listed
    assert response.status_code == 302
    claim = HonorariumClaim.objects.get(engagement=engagement)
    assert claim.status == ClaimStatus.SUBMITTED
    assert list(claim.receipts.values_list("original_name", flat=True)) == [
        "first.pdf",
        "train.jpg",
    ]


def test_a_claim_not_queried_shows_no_question(client, lee):
    engagement = completed_engagement(lee.person)

    page = client.get(claim_url(engagement)).content.decode()

    assert 'id="question"' not in page


# Fetching a receipt ------------------------------------------------------------------------------


def _sent_receipt(person_user) -> ClaimReceipt:
    if not hasattr(person_user.person, "payment_eligibility"):
        eligible(person_user.person)
    engagement = completed_engagement(person_user.person)
    send_claim_with_receipts(
        engagement,
        by=person_user,
        method="bank_transfer",
        expenses="2",
        expenses_note="",
        receipts=[png_upload("<script>.png")],
    )
    return ClaimReceipt.objects.get(claim__engagement=engagement)


def test_the_person_downloads_their_receipt_as_an_attachment_not_sniffed(client, lee):
    receipt = _sent_receipt(lee)

    response = client.get(reverse("paid_work:receipt", kwargs={"pk": receipt.pk}))

    assert response.status_code == 200
    assert response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f'attachment; filename="receipt-{receipt.claim.reference}-{receipt.pk}.png"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_someone_elses_receipt_is_not_found_in_the_portal(client, lee):
    other = _sent_receipt(make_user())

    response = client.get(reverse("paid_work:receipt", kwargs={"pk": other.pk}))

    assert response.status_code == 404


@pytest.mark.parametrize("group", [StaffGroup.ENGAGEMENT, StaffGroup.FINANCE])
def test_engagement_and_finance_staff_download_a_receipt_and_it_is_audited(client, group):
    receipt = _sent_receipt(make_user())
    staff = make_staff(group)
    client.force_login(staff)

    response = client.get(reverse("recruitment:claim_receipt", kwargs={"pk": receipt.pk}))

    assert response.status_code == 200
    assert response.content == PNG
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_id=receipt.pk)
    assert (entry.actor, entry.additional_data) == (
        staff,
        {"fields": ["file"], "context": "claim receipt"},
    )


def test_other_staff_cannot_download_a_receipt(client):
    receipt = _sent_receipt(make_user())
    client.force_login(make_staff(StaffGroup.FUNDING))

    response = client.get(reverse("recruitment:claim_receipt", kwargs={"pk": receipt.pk}))

    assert response.status_code == 403


def test_staff_claim_page_links_receipts_without_their_names(client):
    receipt = _sent_receipt(make_user())
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    page = client.get(reverse("recruitment:claim", kwargs={"pk": receipt.claim_id})).content
    page = page.decode()

    assert reverse("recruitment:claim_receipt", kwargs={"pk": receipt.pk}) in page
    assert "Receipt 1 (PNG picture" in page
    assert "&lt;script&gt;" not in page


# The person's data -------------------------------------------------------------------------------


def test_receipts_are_in_the_persons_download(lee):
    receipt = _sent_receipt(lee)

    data = DOORS.personal_data.export(lee.person)

    assert data["receipts"] == [
        {
            "claim": receipt.claim.reference,
            "file_name": "<script>.png",
            "type": "PNG picture",
            "size_in_bytes": len(PNG),
            "added": receipt.added_at.isoformat(),
        }
    ]
    assert data["engagements"] == recruitment_personal_data(lee.person)["engagements"]


def test_erasure_deletes_every_receipt_and_file_even_of_paid_claims(
    lee, receipts_root, django_capture_on_commit_callbacks
):
    paid = _sent_receipt(lee).claim
    claim_in_paid = HonorariumClaim.objects.get(pk=paid.pk)
    approve_claim(claim_in_paid, by=make_staff(StaffGroup.ENGAGEMENT))
    mark_claim_paid(
        claim_in_paid, by=make_staff(StaffGroup.FINANCE), paid_on=london_today(), reference="B"
    )
    _sent_receipt(lee)  # a claim waiting for approval
    bystander = _sent_receipt(make_user())
    assert len(stored_files(receipts_root)) == 3

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(
            request_erasure(lee.person, by=lee),
            by=make_staff(StaffGroup.ENGAGEMENT),
            reason="Asked.",
        )

    assert list(ClaimReceipt.objects.all()) == [bystander]
    assert stored_files(receipts_root) == [Path(receipts_root.resolve() / bystander.file.name)]
    assert HonorariumClaim.objects.filter(pk=paid.pk, status=ClaimStatus.PAID).exists()


def test_an_erasure_rolled_back_keeps_the_receipt_files(lee, receipts_root):
    _sent_receipt(lee)

    def erase_then_fail() -> None:
        with transaction.atomic():
            erase_claim_receipts(lee.person, by=lee)
            raise RuntimeError("the erasure failed later")

    with pytest.raises(RuntimeError):
        erase_then_fail()

    assert ClaimReceipt.objects.count() == 1
    assert len(stored_files(receipts_root)) == 1


def test_the_claim_form_states_the_receipt_size_limit_in_force(settings):
    settings.COPROD_RECEIPT_MAX_BYTES = 2 * 1024 * 1024
    person = make_user(roles=[Role.PWLE]).person

    form = ClaimForm(eligibility=eligible(person))

    assert "up to 2 MB each" in str(form.fields["receipts"].help_text)
