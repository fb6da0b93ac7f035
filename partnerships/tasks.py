"""Thin Celery tasks for partnerships: each calls one sweep as its SystemTask actor. Run by Celery
beat (declared in partnerships/contributions.py as Periodic entries); a sweep is idempotent, so
running it again, or two at once, is harmless."""

from __future__ import annotations

from celery import shared_task

from coprod.audit import SystemTask
from partnerships.services import agreement_reminders, you_said

# "You said, we did" (partnerships.services.you_said) ---------------------------------------------


@shared_task(bind=True, base=SystemTask, name="coprod.partnerships.flag_old_you_said")
def flag_old_you_said(self: SystemTask) -> int:
    return you_said.flag_old_you_said(by=self.actor)


# Agreement reviews (partnerships.services.agreement_reminders) -----------------------------------


@shared_task(bind=True, base=SystemTask, name="coprod.partnerships.remind_agreement_reviews")
def remind_agreement_reviews(self: SystemTask) -> int:
    return agreement_reminders.remind_agreement_reviews(by=self.actor)
