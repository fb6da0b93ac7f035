"""The funding team gets this app's permissions (the groups are the core's,
coprod/migrations/0002_staff_groups.py): it writes calls and their criteria, reads proposals
and checks their eligibility. Proposals are changed only through funding.services."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "funding": [
        "view_call",
        "add_call",
        "change_call",
        "view_criterion",
        "add_criterion",
        "change_criterion",
        "delete_criterion",
        "view_proposal",
        "check_eligibility",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("funding")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="funding", codename__in=codenames)
        )
        assert group.permissions.filter(content_type__app_label="funding").count() == len(
            codenames
        ), f"{name}: a funding permission is missing"


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in GROUP_PERMISSIONS:
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*Permission.objects.filter(content_type__app_label="funding"))


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0001_initial"),
        ("coprod", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
