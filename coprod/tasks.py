"""Thin Celery tasks: re-fetch by id and call a service."""

from __future__ import annotations

from celery import shared_task

from coprod.services import drafts, notifications


@shared_task(name="coprod.core.deliver_notification")
def deliver_notification(*, notification_id: int) -> str:
    return notifications.deliver_notification(notification_id)


@shared_task(name="coprod.core.dispatch_due_notifications")
def dispatch_due_notifications() -> int:
    return notifications.dispatch_due_notifications()


@shared_task(name="coprod.core.delete_stale_drafts")
def delete_stale_drafts() -> int:
    return drafts.delete_stale_drafts()
