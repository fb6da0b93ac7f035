"""Writes for engagements and honoraria: one function per state change.

Every service takes keyword-only `by` (the User acting, or a coprod.audit.SystemActor for a task)
and records it as the actor of what it saves (`@records_actor`). Bad input is refused with a
ValidationError in plain language, before anything is saved. Claim transitions lock the claim
(`select_for_update`), so two members of staff acting at once cannot both move it, and each is
recorded as a ClaimEvent."""

from __future__ import annotations

import csv
import re
import secrets
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TextIO

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.audit import Actor, acted_by, records_actor
from coprod.models import Person, User, london_today
from recruitment.enums import (
    ClaimStatus,
    Eligibility,
    EngagementKind,
    EngagementStatus,
    PaymentMethod,
)
from recruitment.models import (
    ZERO,
    Application,
    ClaimEvent,
    Engagement,
    HonorariumClaim,
    PaymentEligibility,
    Rate,
    to_pennies,
)
from recruitment.permissions import may_export_payments
from recruitment.selectors import eligibility_for_person, payments_to_make, rate_in_force

# Engagements ---------------------------------------------------------------------------------


def _amount(value: Decimal | int | str, *, what: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except ArithmeticError as error:
        raise ValidationError(_("%(what)s must be a number.") % {"what": what}) from error
    if not amount.is_finite():
        raise ValidationError(_("%(what)s must be a number.") % {"what": what})
    return amount


def _not_negative(value: Decimal | int | str, *, what: str) -> Decimal:
    amount = _amount(value, what=what)
    if amount < 0:
        raise ValidationError(_("%(what)s cannot be less than zero.") % {"what": what})
    return amount


@records_actor
def record_engagement(
    person: Person,
    *,
    by: Actor,
    kind: EngagementKind | str,
    on: date,
    hours: Decimal | int | str,
    source_key: str,
    belongs_to: models.Model | None = None,
    title: str = "",
    preparation_hours: Decimal | int | str = ZERO,
    online: bool = False,
    travel: Decimal | int | str = ZERO,
    childcare: Decimal | int | str = ZERO,
    interpreter: Decimal | int | str = ZERO,
) -> Engagement:
    """Record a piece of paid work `person` is to do (planned). The one door for every app:
    funding and partnerships call it from tasks that may run twice, so it is idempotent by
    `source_key` (the caller's own stable name for it, unique per person): recording the same
    engagement again returns the first, unchanged.

    Side effects: saves an Engagement (audited), or nothing if it exists."""
    existing = Engagement.objects.filter(person=person, source_key=source_key).first()
    if existing is not None:
        return existing
    if not source_key.strip():
        raise ValidationError(_("An engagement needs a source key."))
    if person.erased_at is not None:
        raise ValidationError(_("This person's information has been deleted."))
    hours = _amount(hours, what=_("Hours"))
    if hours <= 0:
        raise ValidationError(_("Hours must be more than zero."))
    engagement = Engagement(
        person=person,
        kind=kind,
        date=on,
        hours=hours,
        preparation_hours=_not_negative(preparation_hours, what=_("Preparation hours")),
        source_key=source_key,
        title=title.strip(),
        online=online,
        travel=_not_negative(travel, what=_("Travel")),
        childcare=_not_negative(childcare, what=_("Childcare")),
        interpreter=_not_negative(interpreter, what=_("Interpreter costs")),
    )
    if belongs_to is not None:
        engagement.content_type = ContentType.objects.get_for_model(belongs_to)
        engagement.object_id = belongs_to.pk
    engagement.full_clean(validate_unique=False, validate_constraints=False)
    try:
        # A second task recording the same engagement at the same moment: the unique key stops
        # it, and it returns the first one's row.
        with transaction.atomic():
            engagement.save()
    except IntegrityError:
        return Engagement.objects.get(person=person, source_key=source_key)
    return engagement


def _move_engagement(engagement: Engagement, status: EngagementStatus) -> Engagement:
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if locked.status != EngagementStatus.PLANNED:
        raise ValidationError(
            _("This engagement is already %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    locked.status = status
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_changed_at"])
    return locked


@records_actor
@transaction.atomic
def complete_engagement(engagement: Engagement, *, by: Actor) -> Engagement:
    """The work was done: the engagement is completed, and its claim is created (a draft).

    Side effects: saves the Engagement; creates its HonorariumClaim (create_claim)."""
    if engagement.date > london_today():
        raise ValidationError(_("This engagement has not happened yet."))
    completed = _move_engagement(engagement, EngagementStatus.COMPLETED)
    create_claim(completed, by=by)
    return completed


@records_actor
@transaction.atomic
def cancel_engagement(engagement: Engagement, *, by: Actor) -> Engagement:
    """A planned engagement will not happen. Side effects: saves the Engagement."""
    return _move_engagement(engagement, EngagementStatus.CANCELLED)


# Rates ---------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def set_rate(
    kind: EngagementKind | str,
    *,
    by: Actor,
    effective_from: date,
    hourly: Decimal | int | str,
    daily: Decimal | int | str,
    preparation_hourly: Decimal | int | str = ZERO,
    data_allowance: Decimal | int | str = ZERO,
) -> Rate:
    """Set what `kind` pays from `effective_from` (replacing a rate set for that same day).
    Claims already submitted keep the amounts computed then.

    Side effects: saves a Rate (audited)."""
    rate = Rate.objects.select_for_update().filter(kind=kind, effective_from=effective_from).first()
    rate = rate or Rate(kind=kind, effective_from=effective_from)
    rate.hourly = to_pennies(_not_negative(hourly, what=_("The hourly rate")))
    rate.daily = to_pennies(_not_negative(daily, what=_("The daily rate")))
    rate.preparation_hourly = to_pennies(
        _not_negative(preparation_hourly, what=_("The preparation rate"))
    )
    rate.data_allowance = to_pennies(_not_negative(data_allowance, what=_("The data allowance")))
    if rate.daily < rate.hourly:
        raise ValidationError(_("The daily rate cannot be less than the hourly rate."))
    rate.full_clean(validate_unique=False)
    rate.save()
    return rate


# Eligibility and preference ------------------------------------------------------------------


def _staff(by: Actor, doing: str) -> User:
    if not isinstance(by, User) or not by.is_staff:
        raise ValidationError(doing)
    return by


@records_actor
@transaction.atomic
def record_payment_eligibility(
    person: Person,
    *,
    by: User,
    status: Eligibility | str,
    advice_source: str = "",
    advice_date: date | None = None,
    review_on: date | None = None,
    staff_notes: str | None = None,
) -> PaymentEligibility:
    """Record what `person` may be paid, from the advice they had. Only a member of staff records
    it, never a process: the system does not guess. A preference the new eligibility no longer
    allows is cleared (never swapped for another way of paying): the person chooses again.

    Side effects: saves the PaymentEligibility (audited, values masked)."""
    _staff(by, _("Payment eligibility is recorded by staff, from the advice the person had."))
    if status != Eligibility.PENDING and (not advice_source.strip() or advice_date is None):
        raise ValidationError(_("Say who gave the advice, and when."))
    if advice_date is not None and advice_date > london_today():
        raise ValidationError(_("The advice cannot be dated in the future."))
    if review_on is not None and advice_date is not None and review_on < advice_date:
        raise ValidationError(_("The review date must be after the advice."))
    eligibility, _created = PaymentEligibility.objects.select_for_update().get_or_create(
        person=person
    )
    eligibility.status = status
    eligibility.advice_source = advice_source.strip()
    eligibility.advice_date = advice_date
    eligibility.review_on = review_on
    if staff_notes is not None:
        eligibility.staff_notes = staff_notes.strip()
    if eligibility.preference and not eligibility.allows(eligibility.preference):
        eligibility.preference = ""
    eligibility.recorded_by = by
    eligibility.full_clean()
    eligibility.save()
    return eligibility


SORT_CODE = re.compile(r"^\d{6}$")
ACCOUNT_NUMBER = re.compile(r"^\d{8}$")


def clean_bank_details(details: dict[str, str]) -> dict[str, str]:
    """Account name, a six-digit sort code and an eight-digit account number (spaces and dashes
    are dropped)."""
    name = (details.get("account_name") or "").strip()
    sort_code = re.sub(r"[\s-]", "", details.get("sort_code") or "")
    number = re.sub(r"[\s-]", "", details.get("account_number") or "")
    if not name:
        raise ValidationError(_("Enter the name on the bank account."))
    if not SORT_CODE.match(sort_code):
        raise ValidationError(_("Enter a sort code of 6 numbers, like 30-94-57."))
    if not ACCOUNT_NUMBER.match(number):
        raise ValidationError(_("Enter an account number of 8 numbers."))
    return {"account_name": name, "sort_code": sort_code, "account_number": number}


def _may_change_payment_details(person: Person, by: Actor) -> bool:
    """The person themself, or finance."""
    return isinstance(by, User) and (
        by.person_id == person.pk or (by.is_staff and by.has_perm("recruitment.view_bank_details"))
    )


@records_actor
@transaction.atomic
def set_payment_preference(
    person: Person,
    *,
    by: User,
    preference: PaymentMethod | str,
    bank_details: dict[str, str] | None = None,
    partner_organisation: str | None = None,
) -> PaymentEligibility:
    """The person's choice of how to be paid, within what their eligibility allows (declining is
    always allowed). Bank details (for a bank transfer) and the partner organisation are entered
    only by the person themself or finance. If nothing is recorded yet, the eligibility is pending
    (nothing is guessed), which allows only declining.

    Side effects: saves the PaymentEligibility (audited, values masked)."""
    if not _may_change_payment_details(person, by) and not (
        isinstance(by, User)
        and by.is_staff
        and by.has_perm("recruitment.change_paymenteligibility")
    ):
        raise ValidationError(_("Only the person or the team can choose how they are paid."))
    eligibility, _created = PaymentEligibility.objects.select_for_update().get_or_create(
        person=person
    )
    if not eligibility.allows(preference):
        raise ValidationError(method_refusal(eligibility))
    touches_details = bank_details is not None or partner_organisation is not None
    if touches_details and not _may_change_payment_details(person, by):
        raise ValidationError(_("Only the person or finance can enter payment details."))
    if bank_details is not None:
        eligibility.bank_details = clean_bank_details(bank_details)
    if partner_organisation is not None:
        eligibility.partner_organisation = partner_organisation.strip()
    if preference == PaymentMethod.BANK_TRANSFER and not eligibility.bank_details:
        raise ValidationError(_("Enter bank details to be paid by bank transfer."))
    if preference == PaymentMethod.PARTNER and not eligibility.partner_organisation:
        raise ValidationError(_("Say which partner organisation will pay."))
    eligibility.preference = preference
    eligibility.full_clean()
    eligibility.save()
    return eligibility


def method_refusal(eligibility: PaymentEligibility) -> str:
    """Why a method is refused, in plain words, with what is allowed."""
    allowed = "; ".join(
        str(label) for value, label in PaymentMethod.choices if eligibility.allows(value)
    )
    return _(
        "This way of being paid is not possible with the person's payment advice "
        "(%(eligibility)s). Possible: %(allowed)s."
    ) % {"eligibility": eligibility.get_status_display().lower(), "allowed": allowed}


# Claims --------------------------------------------------------------------------------------


def _new_reference() -> str:
    """A pseudonymous reference (what a bank transfer carries): nothing about the person."""
    while True:
        reference = "HC" + secrets.token_hex(4).upper()
        if not HonorariumClaim.objects.filter(reference=reference).exists():
            return reference


def _record_event(claim: HonorariumClaim, before: str, *, by: Actor, note: str = "") -> ClaimEvent:
    return ClaimEvent.objects.create(
        claim=claim,
        from_status=before,
        to_status=claim.status,
        **acted_by(by),
        note=note,
    )


def _refuse_someone_elses(engagement: Engagement, by: Actor) -> None:
    """A person acts only on their own engagements; staff and processes act for anyone."""
    if isinstance(by, User) and not by.is_staff and by.person_id != engagement.person_id:
        raise ValidationError(_("You can only claim for your own engagements."))


@records_actor
@transaction.atomic
def create_claim(engagement: Engagement, *, by: Actor) -> HonorariumClaim:
    """The claim for a completed engagement, as a draft, made once: asking again returns it
    (complete_engagement makes it at once; the person or a task may ask again). Its method
    starts as the person's preference, if their eligibility allows it; its pay-by date is
    settings.COPROD_HONORARIA_PAY_WITHIN_DAYS after the engagement.

    Side effects: saves a HonorariumClaim and its first ClaimEvent (audited)."""
    _refuse_someone_elses(engagement, by)
    existing = HonorariumClaim.objects.filter(engagement=engagement).first()
    if existing is not None:
        return existing
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if engagement.status != EngagementStatus.COMPLETED:
        raise ValidationError(_("A claim can only be made for an engagement that took place."))
    eligibility = eligibility_for_person(engagement.person)
    preference = eligibility.preference if eligibility.allows(eligibility.preference) else ""
    claim = HonorariumClaim(
        reference=_new_reference(),
        engagement=engagement,
        method=preference,
        pay_by=engagement.date + timedelta(days=settings.COPROD_HONORARIA_PAY_WITHIN_DAYS),
    )
    claim.full_clean(exclude=["engagement"])
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:
        return HonorariumClaim.objects.get(engagement=engagement)
    _record_event(claim, "", by=by)
    return claim


def _locked(claim: HonorariumClaim) -> HonorariumClaim:
    return HonorariumClaim.objects.select_for_update().select_related("engagement").get(pk=claim.pk)


def _require_status(claim: HonorariumClaim, allowed: Iterable[str], doing: str) -> None:
    if claim.status not in allowed:
        raise ValidationError(
            _("%(doing)s is not possible: the claim is “%(status)s”.")
            % {"doing": doing, "status": claim.get_status_display()}
        )


def _refuse_own(claim: HonorariumClaim, by: Actor, message: str) -> None:
    if isinstance(by, User) and by.person_id == claim.engagement.person_id:
        raise ValidationError(message)


def payment_refusal(claim: HonorariumClaim, eligibility: PaymentEligibility | None = None) -> str:
    """Why the claim may not be paid as it stands under the person's eligibility now ("" if it
    may): its method must be allowed, and under "expenses only" it may carry no fee. Pass the
    person's `eligibility` if it is already loaded (the export), to save a query."""
    if eligibility is None:
        eligibility = eligibility_for_person(claim.engagement.person)
    if not claim.method:
        return _("Choose how the person is paid.")
    if not eligibility.allows(claim.method):
        return method_refusal(eligibility)
    if eligibility.status == Eligibility.EXPENSES_ONLY and claim.fee > 0:
        return _(
            "The person's payment advice now allows expenses only: query the claim so it is "
            "sent again without the fee."
        )
    return ""


@records_actor
@transaction.atomic
def submit_claim(
    claim: HonorariumClaim,
    *,
    by: Actor,
    method: PaymentMethod | str | None = None,
    expenses: Decimal | int | str | None = None,
    expenses_note: str | None = None,
) -> HonorariumClaim:
    """Send a draft (or a queried claim) for approval. The fee and allowances are computed now,
    from the rate in force on the engagement's date (the fee is left out when the person's
    eligibility allows expenses only); the method must be one the eligibility allows.

    Side effects: saves the claim and a ClaimEvent (audited)."""
    _refuse_someone_elses(claim.engagement, by)
    claim = _locked(claim)
    _require_status(claim, {ClaimStatus.DRAFT, ClaimStatus.QUERIED}, _("Sending the claim"))
    if method is not None:
        claim.method = method
    if expenses is not None:
        claim.expenses = to_pennies(_not_negative(expenses, what=_("Expenses")))
    if expenses_note is not None:
        claim.expenses_note = expenses_note.strip()
    engagement = claim.engagement
    rate = rate_in_force(engagement.kind, engagement.date)
    if rate is None:
        raise ValidationError(
            _("No rate is set for %(kind)s on %(date)s: ask finance to set one.")
            % {"kind": engagement.get_kind_display().lower(), "date": engagement.date}
        )
    eligibility = eligibility_for_person(engagement.person)
    fee = rate.fee(hours=engagement.hours, preparation_hours=engagement.preparation_hours)
    claim.fee = ZERO if eligibility.status == Eligibility.EXPENSES_ONLY else fee
    claim.allowances = engagement.allowances + rate.allowance(online=engagement.online)
    refusal = payment_refusal(claim)
    if refusal:
        raise ValidationError(refusal)
    before = claim.status
    claim.status = ClaimStatus.SUBMITTED
    claim.submitted_at = timezone.now()
    claim.full_clean(exclude=["engagement"])
    claim.save()
    _record_event(claim, before, by=by)
    return claim


@records_actor
@transaction.atomic
def approve_claim(claim: HonorariumClaim, *, by: User) -> HonorariumClaim:
    """The engagement team approves a submitted claim for payment. Nobody approves their own, and
    the method is checked again against the eligibility as it is now.

    Side effects: saves the claim and a ClaimEvent (audited)."""
    claim = _locked(claim)
    _refuse_own(claim, by, _("You cannot approve your own claim: ask a colleague."))
    _require_status(claim, {ClaimStatus.SUBMITTED}, _("Approving"))
    refusal = payment_refusal(claim)
    if refusal:
        raise ValidationError(refusal)
    claim.status = ClaimStatus.APPROVED
    claim.approved_at = timezone.now()
    claim.save()
    _record_event(claim, ClaimStatus.SUBMITTED, by=by)
    return claim


@records_actor
@transaction.atomic
def query_claim(claim: HonorariumClaim, *, by: User, question: str) -> HonorariumClaim:
    """Send a submitted claim back with a question (a missing receipt, say); it is sent again
    with submit_claim. Side effects: saves the claim and a ClaimEvent with the question."""
    if not question.strip():
        raise ValidationError(_("Write the question for the person."))
    claim = _locked(claim)
    _refuse_own(claim, by, _("You cannot query your own claim: ask a colleague."))
    _require_status(claim, {ClaimStatus.SUBMITTED, ClaimStatus.APPROVED}, _("Querying"))
    before = claim.status
    claim.status = ClaimStatus.QUERIED
    claim.approved_at = None
    claim.save()
    _record_event(claim, before, by=by, note=question.strip())
    return claim


@records_actor
@transaction.atomic
def mark_claim_paid(
    claim: HonorariumClaim, *, by: User, paid_on: date, reference: str
) -> HonorariumClaim:
    """Finance records that an approved claim was paid, when and with what reference. A claim is
    never paid by a method the person's eligibility now forbids, nor when payment was declined;
    nobody marks their own claim paid.

    Side effects: saves the claim (with the days it took) and a ClaimEvent (audited)."""
    claim = _locked(claim)
    _refuse_own(claim, by, _("You cannot mark your own claim paid: ask a colleague."))
    _require_status(claim, {ClaimStatus.APPROVED}, _("Marking it paid"))
    if claim.method == PaymentMethod.DECLINED:
        raise ValidationError(_("The person declined payment: there is nothing to pay."))
    refusal = payment_refusal(claim)
    if refusal:
        raise ValidationError(refusal)
    if paid_on > london_today():
        raise ValidationError(_("The payment date cannot be in the future."))
    if paid_on < claim.engagement.date:
        raise ValidationError(_("The payment date cannot be before the engagement."))
    if not reference.strip():
        raise ValidationError(_("Enter the payment reference."))
    claim.status = ClaimStatus.PAID
    claim.paid_on = paid_on
    claim.payment_reference = reference.strip()
    claim.days_to_pay = (paid_on - claim.engagement.date).days
    claim.full_clean(exclude=["engagement"])
    claim.save()
    _record_event(claim, ClaimStatus.APPROVED, by=by)
    return claim


@records_actor
@transaction.atomic
def withdraw_claim(claim: HonorariumClaim, *, by: Actor, reason: str = "") -> HonorariumClaim:
    """The claim will not be paid (the person or staff withdraw it). A paid claim stays paid.

    Side effects: saves the claim and a ClaimEvent."""
    _refuse_someone_elses(claim.engagement, by)
    claim = _locked(claim)
    _require_status(
        claim,
        {ClaimStatus.DRAFT, ClaimStatus.SUBMITTED, ClaimStatus.QUERIED, ClaimStatus.APPROVED},
        _("Withdrawing"),
    )
    before = claim.status
    claim.status = ClaimStatus.WITHDRAWN
    claim.save()
    _record_event(claim, before, by=by, note=reason.strip())
    return claim


# Finance export --------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "reference",
    "method",
    "legal_name",
    "account_name",
    "sort_code",
    "account_number",
    "partner_organisation",
    "amount",
    "fee",
    "allowances",
    "expenses",
    "pay_by",
    "engagement_date",
]
EXPORTED_FIELDS = ["legal_name", "bank_details", "partner_organisation"]


def _cell(value: Any) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula (some after leading spaces):
    such text is quoted."""
    text = "" if value is None else str(value)
    starts = text.lstrip(" \t\r\n")[:1] or text[:1]
    return "'" + text if starts in ("=", "+", "-", "@") or text[:1] in ("\t", "\r") else text


def export_payments(out: TextIO, *, by: User) -> int:
    """Write the payments finance is to make (approved claims that pay money) to `out` as CSV,
    with legal names and bank details: the one place they leave the system. A claim the
    person's eligibility as it is now no longer allows to be paid (it changed after approval)
    is left out, with none of their details: mark_claim_paid would refuse it, and the money
    must not leave first. Every person whose
    details were exported gets an audit entry (fields only, never values), written in one query.
    Three queries, whatever the number of rows.

    Side effects: audit entries (access, context "finance export"). Returns the number of rows."""
    if not may_export_payments(by):
        raise ValidationError(_("Only finance can export payments."))
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    exported: list[PaymentEligibility] = []
    for claim in payments_to_make():
        person = claim.engagement.person
        try:
            eligibility = person.payment_eligibility
        except PaymentEligibility.DoesNotExist:
            eligibility = PaymentEligibility(person=person)  # pending: nothing may be paid
        if payment_refusal(claim, eligibility):
            continue
        bank = (
            (eligibility.bank_details or {}) if claim.method == PaymentMethod.BANK_TRANSFER else {}
        )
        writer.writerow(
            [
                _cell(value)
                for value in (
                    claim.reference,
                    claim.get_method_display(),
                    person.legal_name,
                    bank.get("account_name", ""),
                    bank.get("sort_code", ""),
                    bank.get("account_number", ""),
                    eligibility.partner_organisation
                    if claim.method == PaymentMethod.PARTNER
                    else "",
                    claim.total,
                    claim.fee,
                    claim.allowances,
                    claim.expenses,
                    claim.pay_by.isoformat(),
                    claim.engagement.date.isoformat(),
                )
            ]
        )
        exported.append(eligibility)
    _log_export(exported, by=by)
    return len(exported)


def _log_export(eligibilities: list[PaymentEligibility], *, by: User) -> None:
    """One access entry per person exported, as coprod.audit.log_restricted_view writes them,
    in one insert."""
    if not eligibilities:
        return
    content_type = ContentType.objects.get_for_model(PaymentEligibility)
    now = timezone.now()
    seen = {eligibility.pk: eligibility for eligibility in eligibilities}
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(pk),
                object_id=pk,
                object_repr=f"{content_type.model} #{pk}",
                action=LogEntry.Action.ACCESS,
                changes=None,
                actor=by,
                timestamp=now,
                additional_data={"fields": sorted(EXPORTED_FIELDS), "context": "finance export"},
            )
            for pk in seen
        ]
    )


# A person's erasure (coprod.doors.PersonalData: this app's part) --------------------------------


@records_actor
def erase_recruitment_records(person: Person, *, by: Actor) -> None:
    """This app's part of erasing `person` (runs inside coprod.services.rights.erase_person's
    transaction, before the core anonymises the person).

    Deleted: their payment eligibility (with notes and bank details), every claim not paid (and
    its history), and every engagement without a paid claim. Kept: paid claims, for finance's
    records, with their pseudonymous reference, amounts and dates, the engagement they paid for
    (kind, date, hours, amounts) and their history's states — every piece of free text blanked
    (titles, expenses notes, payment references, notes), and the link to what the engagement
    belonged to and its source key removed: together they could say who it was. Their
    applications are deleted, with their events and scores.

    Side effects: deletes and updates rows as above (audited, values masked)."""
    PaymentEligibility.objects.filter(person=person).delete()
    claims = HonorariumClaim.objects.filter(engagement__person=person)
    claims.exclude(status=ClaimStatus.PAID).delete()
    paid = claims.filter(status=ClaimStatus.PAID)
    Engagement.objects.filter(person=person).exclude(claim__in=paid).delete()
    ClaimEvent.objects.filter(claim__in=paid).update(note="")
    for claim in paid.select_related("engagement"):
        claim.expenses_note = ""
        claim.payment_reference = ""
        claim.save(update_fields=["expenses_note", "payment_reference"])
        engagement = claim.engagement
        engagement.title = ""
        engagement.source_key = f"erased:{engagement.pk}"
        engagement.content_type = None
        engagement.object_id = None
        engagement.save(update_fields=["title", "source_key", "content_type", "object_id"])
    # Their applications, with their history and scores (cascade). Referrals they made for
    # others stay: they are the other person's applications (the link names only a person row,
    # which the core anonymises).
    Application.objects.filter(person=person).delete()
