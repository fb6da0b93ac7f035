"""Delete form drafts nobody came back for, every night (London time)."""

from django.db import migrations

NAME = "Delete stale form drafts"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={"task": "coprod.core.delete_stale_drafts", "crontab": schedule, "enabled": True},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("coprod", "0005_person_generated_name_unique")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
