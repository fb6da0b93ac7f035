"""Periodic work is declared here, in one place (editable afterwards in the admin)."""

from django.db import migrations

PERIODIC_TASKS = [
    # (name, task, every N minutes)
    ("Send due messages", "coprod.core.dispatch_due_notifications", 1),
]


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minutes in PERIODIC_TASKS:
        schedule, _created = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "interval": schedule, "enabled": True}
        )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _task, _m in PERIODIC_TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("coprod", "0003_consent_texts"),
        ("django_celery_beat", "__latest__"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
