"""Thin Celery tasks: re-fetch by id and call a service.

Every task is a `SystemTask`: what it saves is recorded in the audit trail as done by
SystemActor("task:<task name>"), and a service that takes `by` gets `self.actor` (bind=True)."""

from __future__ import annotations

from celery import shared_task

from coprod.audit import SystemTask
from coprod.services import drafts, notifications


@shared_task(base=SystemTask, name="coprod.core.deliver_notification")
def deliver_notification(*, notification_id: int) -> str:
    return notifications.deliver_notification(notification_id)


@shared_task(base=SystemTask, name="coprod.core.deliver_notifications")
def deliver_notifications(*, notification_ids: list[int]) -> int:
    return notifications.deliver_notifications(notification_ids)


@shared_task(base=SystemTask, name="coprod.core.dispatch_due_notifications")
def dispatch_due_notifications() -> int:
    return notifications.dispatch_due_notifications()


@shared_task(base=SystemTask, name="coprod.core.delete_stale_drafts")
def delete_stale_drafts() -> int:
    return drafts.delete_stale_drafts()


@shared_task(base=SystemTask, name="coprod.core.delete_old_unlinked_account_emails")
def delete_old_unlinked_account_emails() -> int:
    return notifications.delete_old_unlinked_account_emails()
