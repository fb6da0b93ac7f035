"""Staff work messages (reminder digests) get their own category: sent to the login's sign-in
address, never held by the participants' safe-contact rules; and the reason one is held when its
login is no longer active staff."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coprod", "0009_login_sessions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="category",
            field=models.CharField(
                choices=[
                    ("account", "Account and security"),
                    ("general", "General"),
                    ("staff", "Staff work"),
                ],
                default="general",
                max_length=20,
            ),
        ),
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
                    ("not_staff", "A staff message to a login that is no longer active staff"),
                ],
                max_length=30,
                verbose_name="why it is held",
            ),
        ),
    ]
