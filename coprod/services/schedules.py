"""Periodic tasks: what the apps declare in code (coprod.doors.Periodic), put into
django-celery-beat's tables, where beat reads them and staff can see them in the admin."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from coprod import doors

# Marks a row as ours: sync manages it, and disables it when its declaration goes.
DECLARED = (
    "Declared in code ({app}). Change the declaration, not this row: "
    "`manage.py sync_periodic_tasks` puts it back."
)
DECLARED_PREFIX = "Declared in code"
STALE = "No longer declared in code: disabled by sync_periodic_tasks."


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)


def _interval(every: timedelta) -> IntervalSchedule:
    seconds = int(every.total_seconds())
    if seconds <= 0 or seconds != every.total_seconds():
        raise ValueError(f"An interval must be a whole number of seconds, not {every}.")
    for period, size in (
        (IntervalSchedule.DAYS, 86400),
        (IntervalSchedule.HOURS, 3600),
        (IntervalSchedule.MINUTES, 60),
        (IntervalSchedule.SECONDS, 1),
    ):
        if seconds % size == 0:
            schedule, _created = IntervalSchedule.objects.get_or_create(
                every=seconds // size, period=period
            )
            return schedule
    raise AssertionError("unreachable: every whole number of seconds divides by 1")


def _crontab(crontab: doors.Crontab) -> CrontabSchedule:
    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute=crontab.minute,
        hour=crontab.hour,
        day_of_week=crontab.day_of_week,
        day_of_month=crontab.day_of_month,
        month_of_year=crontab.month_of_year,
        timezone=crontab.timezone,
    )
    return schedule


def _declared_by_app() -> dict[str, tuple[str, doors.Periodic]]:
    found: dict[str, tuple[str, doors.Periodic]] = {}
    for app, declaration in doors.declarations().items():
        for periodic in declaration.periodic_tasks:
            if periodic.name in found:
                raise ValueError(f"Two periodic tasks are named {periodic.name!r}.")
            found[periodic.name] = (app, periodic)
    return found


@transaction.atomic
def sync_periodic_tasks() -> SyncReport:
    """Make django-celery-beat's periodic tasks match every app's declarations. Idempotent.

    A declared task is created, or its task name and schedule are set (and it is enabled again if
    sync had disabled it; a task staff paused in the admin stays paused). A task sync created
    earlier whose declaration is gone is disabled, not deleted, so its history stays.

    Side effects: saves PeriodicTask, IntervalSchedule and CrontabSchedule rows."""
    report = SyncReport()
    declared = _declared_by_app()
    for name, (app, periodic) in declared.items():
        interval = _interval(periodic.every) if periodic.every is not None else None
        crontab = _crontab(periodic.crontab) if periodic.crontab is not None else None
        wanted = {
            "task": periodic.task,
            "interval": interval,
            "crontab": crontab,
            "solar": None,
            "clocked": None,
            "description": DECLARED.format(app=app),
        }
        row = PeriodicTask.objects.select_for_update().filter(name=name).first()
        if row is None:
            PeriodicTask.objects.create(name=name, enabled=True, **wanted)
            report.created.append(name)
            continue
        changed = [key for key, value in wanted.items() if getattr(row, key) != value]
        if row.description == STALE:
            row.enabled = True
            changed.append("enabled")
        if not changed:
            report.unchanged.append(name)
            continue
        for key, value in wanted.items():
            setattr(row, key, value)
        row.save()
        report.updated.append(name)
    stale = PeriodicTask.objects.filter(description__startswith=DECLARED_PREFIX).exclude(
        name__in=declared
    )
    for row in stale:
        row.enabled = False
        row.description = STALE
        row.save(update_fields=["enabled", "description"])
        report.disabled.append(row.name)
    return report
