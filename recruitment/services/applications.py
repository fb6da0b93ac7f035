"""Writes for applications: the one transition service every step of selection goes through.

Applying, referring and answering an offer (the portal) and shortlisting, scoring and deciding
(staff) build on `move_application`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.audit import Actor, acted_by, records_actor
from coprod.enums import ContactChannel, Role
from coprod.models import Person, RoleGrant, User
from coprod.services.contact import update_safe_contact
from coprod.services.notifications import queue_notification
from coprod.services.people import create_person
from coprod.services.roles import promote_to_lee
from recruitment.enums import (
    APPLICATION_TRANSITIONS,
    ApplicationRoute,
    ApplicationStatus,
    RoleSought,
)
from recruitment.models import Application, ApplicationEvent, Onboarding, Opportunity
from recruitment.selectors.opportunities import offered_to, people_supported_by

# The ends of selection: the person is sent a message (with the feedback staff wrote).
OUTCOME_MESSAGES = frozenset(
    {ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED, ApplicationStatus.UNSUCCESSFUL}
)


def _record_application_event(
    application: Application, before: str, *, by: Actor, note: str = ""
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        from_status=before,
        to_status=application.status,
        **acted_by(by),
        note=note,
    )


@records_actor
@transaction.atomic
def move_application(
    application: Application,
    to: ApplicationStatus | str,
    *,
    by: Actor,
    note: str = "",
    reason: str | None = None,
    feedback: str | None = None,
) -> Application:
    """Move an application one step (enums.APPLICATION_TRANSITIONS says which steps exist).

    `note` goes into the step's history; `reason` (staff's reason for a decision) and `feedback`
    (what the person is told) are kept on the application when given. Who may take which step
    is for the calling service to check; this checks only that the step exists, on the row
    locked so two people acting at once cannot both move it.

    Side effects: saves the application and an ApplicationEvent (audited); at an outcome
    (accepted, declined, unsuccessful) queues the person's message with the feedback, once."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if to not in APPLICATION_TRANSITIONS[locked.status]:
        raise ValidationError(
            _("This is not possible: the application is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    before = locked.status
    now = timezone.now()
    locked.status = to
    locked.status_changed_at = now
    if to == ApplicationStatus.SUBMITTED:
        locked.submitted_at = now
    if reason is not None:
        locked.decision_reason = reason
    if feedback is not None:
        locked.feedback = feedback
    locked.save()
    _record_application_event(locked, before, by=by, note=note)
    if to in OUTCOME_MESSAGES:
        queue_notification(
            locked.person,
            kind="application_outcome",
            key=f"recruitment:application-outcome:{locked.pk}",
            context={
                "opportunity": locked.opportunity.title,
                "status": to,
                "feedback": locked.feedback,
            },
        )
    application.__dict__.update(locked.__dict__)
    return application


# Applying, referring and answering an offer (the portal) ---------------------------------------

ANSWERS = ("why_interested", "what_they_bring", "support_needs", "safe_contact")


def closed_message() -> str:
    return _(
        "This opportunity has closed, so applications cannot be sent or changed any more. "
        "If you think this is wrong, contact us."
    )


def missing_answer_messages() -> dict[str, str]:
    """The answers a sent application must have (support and access needs may be left empty),
    and what to say when one is missing."""
    return {
        "why_interested": _("Say why you are interested"),
        "what_they_bring": _("Say what you would bring"),
        "safe_contact": _("Say how and when it is safe to contact you"),
    }


def _referred_and_supports(application: Application, person_id: int) -> bool:
    """`person_id` referred the applicant and is still their support worker: a practitioner
    who no longer supports them (staff changed it, or the person did) no longer acts for them."""
    return (
        application.route == ApplicationRoute.REFERRAL
        and person_id == application.referred_by_id
        and Person.objects.available_for_selection()
        .filter(pk=application.person_id, safe_contact__support_worker_id=person_id)
        .exists()
    )


def _acts_for(application: Application, by: Actor) -> bool:
    """The applicant's own login, or the practitioner who referred them and supports them."""
    person_id = getattr(by, "person_id", None)
    if person_id is None:
        return False
    return person_id == application.person_id or _referred_and_supports(application, person_id)


def _refuse_unless_open(opportunity: Opportunity) -> None:
    if not opportunity.is_open:
        raise ValidationError(closed_message(), code="closed")


def _new_application(opportunity: Opportunity, person: Person, **fields: Any) -> Application:
    """A draft with the next number within the opportunity. The opportunity's row is locked
    first, so two people applying at the same moment cannot take the same number (PostgreSQL;
    SQLite lets one writer at a time in any case), and it is checked open as it is now (staff
    may have just closed it)."""
    _refuse_unless_open(Opportunity.objects.select_for_update().get(pk=opportunity.pk))
    if Application.objects.filter(opportunity=opportunity, person=person).exists():
        raise ValidationError(
            _("There is already an application for this person to this opportunity."),
            code="applied_twice",
        )
    last = Application.objects.filter(opportunity=opportunity).aggregate(last=Max("number"))
    application = Application(
        opportunity=opportunity, person=person, number=(last["last"] or 0) + 1, **fields
    )
    application.full_clean()
    application.save()
    return application


def _set_answers(application: Application, answers: dict[str, str]) -> None:
    unknown = set(answers) - set(ANSWERS)
    if unknown:
        raise ValueError(f"Not answers: {sorted(unknown)}")
    for field, value in answers.items():
        setattr(application, field, (value or "").strip())


@records_actor
@transaction.atomic
def start_application(opportunity: Opportunity, *, by: User) -> Application:
    """`by`'s own draft application to `opportunity` (numbered within it). Refuses an opportunity
    that is not open or has closed, one not offered to any role `by` holds, and a second
    application to the same opportunity.

    Side effects: saves an Application (draft) and its first ApplicationEvent (→ draft)."""
    _refuse_unless_open(opportunity)
    if not offered_to(opportunity, by.person.current_roles):
        raise ValidationError(
            _("This opportunity is for %(who)s.") % {"who": opportunity.get_role_sought_display()},
            code="not_offered",
        )
    application = _new_application(opportunity, by.person)
    _record_application_event(application, "", by=by)
    return application


@records_actor
@transaction.atomic
def save_application(application: Application, *, by: Actor, **answers: str) -> Application:
    """Keep the answers of a draft (`why_interested`, `what_they_bring`, `support_needs`,
    `safe_contact`; any left out are not changed). Only the applicant, or the practitioner who
    referred them, may; only while it is a draft and the opportunity is open.

    Side effects: saves the Application (answers encrypted)."""
    # The opportunity's row first, then the application's, in the order sending takes them (a
    # save and a send at once from two devices must not wait for each other's locks).
    opportunity = Opportunity.objects.select_for_update().get(pk=application.opportunity_id)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not _acts_for(locked, by):
        raise ValidationError(_("This is not your application."), code="not_yours")
    if locked.status != ApplicationStatus.DRAFT:
        raise ValidationError(
            _("This application has been sent: it cannot be changed."), code="sent"
        )
    _refuse_unless_open(opportunity)
    _set_answers(locked, answers)
    locked.full_clean()
    locked.save()
    application.__dict__.update(locked.__dict__)
    return application


@records_actor
@transaction.atomic
def submit_application(application: Application, *, by: Actor) -> Application:
    """Send a draft to the engagement team (draft → submitted, through `move_application`).
    Refuses when it is not `by`'s (the applicant's or their referring practitioner's), when the
    opportunity has closed (its closing time has passed, or staff closed it), and when a
    required answer is empty (each named, nothing changes).

    Side effects: as `move_application` (saves the Application with its sent time, and an
    ApplicationEvent)."""
    # Checked on the rows locked (the opportunity first, as offering a place does), so a send
    # that waited for staff or another device past the closing time, or past staff closing it,
    # is refused rather than sent late.
    opportunity = Opportunity.objects.select_for_update().get(pk=application.opportunity_id)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not _acts_for(locked, by):
        raise ValidationError(_("This is not your application."), code="not_yours")
    _refuse_unless_open(opportunity)
    missing = {
        field: message
        for field, message in missing_answer_messages().items()
        if not getattr(locked, field).strip()
    }
    if missing:
        raise ValidationError(missing)
    return move_application(application, ApplicationStatus.SUBMITTED, by=by)


@records_actor
@transaction.atomic
def withdraw_application(application: Application, *, by: Actor) -> Application:
    """The applicant (or the practitioner who referred them) withdraws, at any step before the
    end of selection.

    Side effects: as `move_application` (→ withdrawn; no outcome message: they chose it)."""
    if not _acts_for(application, by):
        raise ValidationError(_("This is not your application."), code="not_yours")
    return move_application(application, ApplicationStatus.WITHDRAWN, by=by)


@records_actor
@transaction.atomic
def refer_person(
    opportunity: Opportunity,
    *,
    by: User,
    person: Person | None = None,
    display_name: str = "",
    consent_confirmed: bool,
    send: bool,
    **answers: str,
) -> Application:
    """A practitioner (`by`, holding a current practitioner role) applies for someone, with
    their agreement: either `person`, whom they already support (the person's safe-contact
    preferences name `by` as support worker), or a new person known only by `display_name` (a
    first name or pseudonym; no login is made). A new person's safe contact is set to go only
    through this practitioner, with the core's contact service; it is not marked confirmed (the
    person has not confirmed it themself), and the person has given no consent to be contacted
    by us, so any message to them is held until they do: staff reach them through the
    practitioner. `send` sends it at once (the required answers are then checked); otherwise it
    stays a draft the practitioner can finish.

    Refuses: no practitioner role, no agreement, a person they do not support, an opportunity
    that is not open or has closed, a second application for the same person.

    Side effects: may save a Person and their SafeContactPreferences (audited); saves the
    Application (route referral, `referred_by` the practitioner, agreement time) and its events;
    when sent, as `submit_application`."""
    if Role.PRACTITIONER not in by.person.current_roles:
        raise ValidationError(_("Only a practitioner can refer someone."), code="not_practitioner")
    if not consent_confirmed:
        raise ValidationError(
            {"consent": _("Confirm that the person agreed to be referred")}, code="no_consent"
        )
    _refuse_unless_open(opportunity)
    if person is None:
        if not display_name.strip():
            raise ValidationError(
                {"display_name": _("Enter a name for the person")}, code="no_name"
            )
        person = create_person(chosen_name=display_name)
        update_safe_contact(
            person,
            by=by,
            confirm=False,
            channels=[ContactChannel.SUPPORT_WORKER],
            support_worker=by.person,
        )
    elif not people_supported_by(by.person).filter(pk=person.pk).exists():
        raise ValidationError(
            _("You can refer only people you support, or someone new."), code="not_supported"
        )
    unknown = set(answers) - set(ANSWERS)
    if unknown:
        raise ValueError(f"Not answers: {sorted(unknown)}")
    application = _new_application(
        opportunity,
        person,
        route=ApplicationRoute.REFERRAL,
        referred_by=by.person,
        consent_confirmed_at=timezone.now(),
        **{field: (value or "").strip() for field, value in answers.items()},
    )
    _record_application_event(application, "", by=by)
    if send:
        submit_application(application, by=by)
    return application


def may_answer_offer(user: Actor, application: Application) -> bool:
    """The person themself; or, for a person without a login, the practitioner who referred
    them and is still their support worker (answering with them)."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return False
    if person_id == application.person_id:
        return True
    return not User.objects.filter(
        person_id=application.person_id
    ).exists() and _referred_and_supports(application, person_id)


def _offer_made_by(application: Application) -> User | None:
    """The member of staff who made the offer (the latest step to "offered")."""
    event = (
        ApplicationEvent.objects.filter(
            application=application, to_status=ApplicationStatus.OFFERED, by__isnull=False
        )
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    return event.by if event is not None else None


@records_actor
@transaction.atomic
def accept_offer(application: Application, *, by: Actor) -> Application:
    """The person (or, for a person without a login, their referring practitioner) accepts the
    place offered.

    For an LEE opportunity, a person who holds PWLE and not yet LEE takes the PWLE → LEE step
    (coprod.services.roles.promote_to_lee). A role is only ever granted by a member of staff,
    and never by the person to themself (grant_role refuses both), so the step is recorded as
    granted by the member of staff who made the offer (the latest "offered" step's `by`): making
    an LEE offer is the staff decision that the person accepting it confirms. If no member of
    staff made the offer (a process did), the step is left for staff to record.

    Side effects: as `move_application` (→ accepted, the outcome message queued); creates the
    person's Onboarding checklist if they have none; may save a RoleGrant (LEE, source
    "promotion", audited). All or nothing."""
    if not may_answer_offer(by, application):
        raise ValidationError(_("This is not your offer to answer."), code="not_yours")
    move_application(application, ApplicationStatus.ACCEPTED, by=by, note="")
    person = application.person
    Onboarding.objects.get_or_create(person=person)
    if application.opportunity.role_sought == RoleSought.LEE:
        roles = RoleGrant.objects.current().filter(person=person).values_list("role", flat=True)
        held = set(roles)
        offered_by = _offer_made_by(application)
        if Role.PWLE in held and Role.LEE not in held and offered_by is not None:
            promote_to_lee(
                person,
                by=offered_by,
                note=f"Accepted an offer: application {application.pk}",
            )
    return application


@records_actor
@transaction.atomic
def decline_offer(application: Application, *, by: Actor) -> Application:
    """The person (or, for a person without a login, their referring practitioner) says no to
    the place offered.

    Side effects: as `move_application` (→ declined, the outcome message queued)."""
    if not may_answer_offer(by, application):
        raise ValidationError(_("This is not your offer to answer."), code="not_yours")
    return move_application(application, ApplicationStatus.DECLINED, by=by)
