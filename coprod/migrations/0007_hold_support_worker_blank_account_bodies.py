"""A new hold reason (the support worker is not an active practitioner now), and the bodies of
account emails already sent or given up are blanked: they carry sign-in, reset and invitation
links, which the outbox no longer keeps once a message will not be sent again."""

from django.db import migrations, models


def blank_account_email_bodies(apps, schema_editor):
    Notification = apps.get_model("coprod", "Notification")
    done = Notification.objects.filter(category="account").exclude(status__in=["queued", "sending"])
    for notification in done.iterator():
        content = {variant: {**part, "body": ""} for variant, part in notification.content.items()}
        Notification.objects.filter(pk=notification.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("coprod", "0006_beat_delete_stale_drafts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="hold_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("paused", "The person has paused their involvement"),
                    ("withdrawn", "The person has withdrawn"),
                    ("no_contact_consent", "No current consent to be contacted"),
                    ("reconfirm_due", "Safe-contact details are past their re-confirmation date"),
                    ("person_initiates", "The person asked to start all contact themselves"),
                    (
                        "no_safe_channel",
                        "No safe channel the system can use: staff must contact them another way",
                    ),
                    ("no_address", "No email address on record"),
                    (
                        "support_worker_unavailable",
                        "Their support worker is not an active practitioner now: staff must check who supports them",
                    ),
                ],
                max_length=30,
                verbose_name="why it is held",
            ),
        ),
        migrations.RunPython(blank_account_email_bodies, migrations.RunPython.noop),
    ]
