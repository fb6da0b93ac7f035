"""Periodic work used to be created here. It is declared in code now (coprod/contributions.py)
and put into django-celery-beat by `manage.py sync_periodic_tasks`; this migration stays, empty,
so that the migration history is unchanged."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("coprod", "0003_consent_texts"),
        ("django_celery_beat", "__latest__"),
    ]

    operations = []
