"""`manage.py sync_periodic_tasks`: put every app's declared periodic tasks into Celery beat's
schedule (run by `make run` and by the deployment's migrate step). Safe to run again."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from coprod.services.schedules import sync_periodic_tasks


class Command(BaseCommand):
    help = "Create, update or disable Celery beat's periodic tasks to match the apps' declarations."

    def handle(self, *args: object, **options: object) -> None:
        report = sync_periodic_tasks()
        for label, names in (
            ("created", report.created),
            ("updated", report.updated),
            ("disabled (no longer declared)", report.disabled),
        ):
            for name in names:
                self.stdout.write(f"{label}: {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Periodic tasks in sync: {len(report.created)} created, "
                f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, "
                f"{len(report.disabled)} disabled."
            )
        )
