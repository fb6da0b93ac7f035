"""Thin Celery tasks for funding: each calls one sweep as its SystemTask actor. Run by Celery beat
(declared in funding/contributions.py as Periodic entries); a sweep is idempotent, so running it
again, or two at once, is harmless."""

from __future__ import annotations

from celery import shared_task

from coprod.audit import SystemTask
from funding.services import reminders


@shared_task(bind=True, base=SystemTask, name="coprod.funding.remind_scoring_due")
def remind_scoring_due(self: SystemTask) -> int:
    return reminders.remind_scoring_due(by=self.actor)
