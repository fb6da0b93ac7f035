"""The funding team gets the permissions of panels, reviews, decisions and meetings. Changes
go through funding.services; these permissions say who may ask for them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "funding": [
        "view_proposalattachment",
        "view_panel",
        "add_panel",
        "change_panel",
        "manage_panel",
        "view_panelmember",
        "add_panelmember",
        "change_panelmember",
        "delete_panelmember",
        "view_conflictdeclaration",
        "change_conflictdeclaration",
        "view_review",
        "add_review",
        "change_review",
        "view_score",
        "view_decision",
        "add_decision",
        "change_decision",
        "decide_proposal",
        "view_meetingpoll",
        "add_meetingpoll",
        "change_meetingpoll",
        "view_meetingslot",
        "add_meetingslot",
        "view_slotanswer",
        "view_meetingattendance",
        "add_meetingattendance",
        "change_meetingattendance",
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
        found = Permission.objects.filter(content_type__app_label="funding", codename__in=codenames)
        assert found.count() == len(codenames), f"{name}: a funding permission is missing"
        group.permissions.add(*found)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="funding", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0003_panels_reviews_meetings"),
        ("coprod", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
