"""`manage.py seed_demo [--scale N]`: every app's demo data (coprod.doors.DemoData), in
dependency order. Development only: it creates accounts with a known password. Safe to run
again."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from coprod import doors
from coprod.audit import SystemActor, acting


class Command(BaseCommand):
    help = "Create every app's demo data (DEBUG only). Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the demo volume, e.g. 100 to measure pages at a realistic size.",
        )

    def handle(self, *args: object, scale: int, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it creates known passwords.")
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        run = doors.DemoRun(scale=scale, report=self.stdout.write)
        # What the demo data saves is recorded in the audit trail as done by this command.
        with acting(SystemActor("command:seed_demo")):
            for _label, demo in doors.demo_data_in_order():
                with transaction.atomic():
                    demo.seed(run)
