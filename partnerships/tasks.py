"""Thin Celery tasks for partnerships: each calls one service as its SystemTask actor. Run by
Celery beat (declared in partnerships/contributions.py as Periodic entries); each sweep is
idempotent, so running it again, or two at once, is harmless."""

from __future__ import annotations

from celery import shared_task

from coprod.audit import SystemTask
from partnerships.services import you_said

# "You said, we did" (partnerships.services.you_said) ---------------------------------------------


@shared_task(bind=True, base=SystemTask, name="coprod.partnerships.flag_old_you_said")
def flag_old_you_said(self: SystemTask) -> int:
    return you_said.flag_old_you_said(by=self.actor)
