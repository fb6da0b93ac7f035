"""The engagement team and finance get this app's permissions (the groups are the core's,
coprod/migrations/0002_staff_groups.py).

- engagement: records engagements and eligibility, sees the restricted notes, approves or
  queries claims; sees rates.
- finance: sets rates, sees eligibility with bank details (and enters them), marks claims paid,
  exports the payments to make."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "engagement": [
        "view_engagement",
        "add_engagement",
        "change_engagement",
        "view_rate",
        "view_paymenteligibility",
        "add_paymenteligibility",
        "change_paymenteligibility",
        "view_eligibility_notes",
        "view_honorariumclaim",
        "change_honorariumclaim",
        "approve_claim",
        "view_claimevent",
    ],
    "finance": [
        "view_engagement",
        "view_rate",
        "add_rate",
        "change_rate",
        "view_paymenteligibility",
        "change_paymenteligibility",
        "view_eligibility_notes",
        "view_bank_details",
        "view_honorariumclaim",
        "mark_claim_paid",
        "export_payments",
        "view_claimevent",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("recruitment")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="recruitment", codename__in=codenames
            )
        )
        assert group.permissions.filter(content_type__app_label="recruitment").count() == len(
            codenames
        ), f"{name}: a recruitment permission is missing"


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in GROUP_PERMISSIONS:
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="recruitment")
            )


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0001_initial"),
        ("coprod", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
