"""Reads for receipts: who may fetch which receipt, and a person's receipts for their download."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from coprod.models import Person, User
from coprod.selectors import visible_to
from recruitment.models import ClaimReceipt


def receipts_for_user(user: User) -> QuerySet[ClaimReceipt]:
    """Receipts a member of staff may fetch: every receipt for staff who see claims (the
    engagement team and finance); for anyone else, their own (the staff pages never serve
    those: they check the page first)."""
    return visible_to(
        user,
        ClaimReceipt.objects.select_related("claim"),
        staff_permission="recruitment.view_honorariumclaim",
        owner="claim__engagement__person",
    )


def own_receipts(user: User) -> QuerySet[ClaimReceipt]:
    """The signed-in person's own receipts (the portal: staff see only their own there too)."""
    if not user.is_authenticated or user.person_id is None:
        return ClaimReceipt.objects.none()
    return ClaimReceipt.objects.filter(claim__engagement__person_id=user.person_id)


def receipts_personal_data(person: Person) -> list[dict[str, Any]]:
    """A person's receipts for their download: which claim, the file's name, kind, size and
    when it was added (the files themselves they can fetch from their claims). One query."""
    return [
        {
            "claim": receipt.claim.reference,
            "file_name": receipt.original_name,
            "type": receipt.get_content_type_display(),
            "size_in_bytes": receipt.size,
            "added": receipt.added_at.isoformat(),
        }
        for receipt in ClaimReceipt.objects.filter(claim__engagement__person=person)
        .select_related("claim")
        .order_by("added_at", "pk")
    ]
