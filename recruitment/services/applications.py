"""Writes for applications: the one transition service every step of selection goes through.

Applying, referring and answering an offer (the portal) and shortlisting, scoring and deciding
(staff) build on `move_application`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.audit import Actor, SystemActor, records_actor
from coprod.models import User
from coprod.services.notifications import queue_notification
from recruitment.enums import APPLICATION_TRANSITIONS, ApplicationStatus
from recruitment.models import Application, ApplicationEvent

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
        by=by if isinstance(by, User) else None,
        by_process=by.name if isinstance(by, SystemActor) else "",
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
