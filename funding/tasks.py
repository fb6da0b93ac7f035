"""Thin Celery tasks for funding: each calls one sweep as its SystemTask actor. Run by Celery beat
(declared in funding/contributions.py as Periodic entries); a sweep is idempotent, so running it
again, or two at once, is harmless."""

from __future__ import annotations

from celery import shared_task

from coprod.audit import SystemTask
from funding.services import meetings, reminders


@shared_task(bind=True, base=SystemTask, name="coprod.funding.remind_scoring_due")
def remind_scoring_due(self: SystemTask) -> int:
    return reminders.remind_scoring_due(by=self.actor)


# Panel meetings (funding.services.meetings) ------------------------------------------------------


@shared_task(bind=True, base=SystemTask, name="coprod.funding.close_due_meeting_polls")
def close_due_meeting_polls(self: SystemTask) -> int:
    return meetings.close_due_polls(by=self.actor)


@shared_task(bind=True, base=SystemTask, name="coprod.funding.remind_meetings")
def remind_meetings(self: SystemTask) -> int:
    return meetings.remind_meetings(by=self.actor)
