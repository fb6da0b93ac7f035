"""Thin Celery tasks for recruitment: each calls one reminder sweep (recruitment.services
.reminders) as its SystemTask actor. Run by Celery beat (declared in recruitment/contributions.py
as Periodic entries); a sweep is idempotent, so running one again, or two at once, is harmless."""

from __future__ import annotations

from celery import shared_task

from coprod.audit import SystemTask
from recruitment.services import reminders


@shared_task(bind=True, base=SystemTask, name="coprod.recruitment.remind_unclaimed_work")
def remind_unclaimed_work(self: SystemTask) -> int:
    return reminders.remind_unclaimed_work(by=self.actor)


@shared_task(bind=True, base=SystemTask, name="coprod.recruitment.remind_unsent_applications")
def remind_unsent_applications(self: SystemTask) -> int:
    return reminders.remind_unsent_applications(by=self.actor)


@shared_task(
    bind=True, base=SystemTask, name="coprod.recruitment.remind_claims_waiting_for_approval"
)
def remind_claims_waiting_for_approval(self: SystemTask) -> int:
    return reminders.remind_claims_waiting_for_approval(by=self.actor)


@shared_task(bind=True, base=SystemTask, name="coprod.recruitment.remind_payments_due_soon")
def remind_payments_due_soon(self: SystemTask) -> int:
    return reminders.remind_payments_due_soon(by=self.actor)


@shared_task(bind=True, base=SystemTask, name="coprod.recruitment.remind_late_payments")
def remind_late_payments(self: SystemTask) -> int:
    return reminders.remind_late_payments(by=self.actor)


@shared_task(bind=True, base=SystemTask, name="coprod.recruitment.remind_eligibility_reviews")
def remind_eligibility_reviews(self: SystemTask) -> int:
    return reminders.remind_eligibility_reviews(by=self.actor)
