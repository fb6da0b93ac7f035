"""Reminders record the sweep that inserted them (`batch`, indexed), so that a sweep can read
back exactly the reminders it is to send after inserting its rows with ignore_conflicts."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0004_selection_group_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="batch",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="reminder",
            index=models.Index(fields=["batch"], name="reminder_batch"),
        ),
    ]
