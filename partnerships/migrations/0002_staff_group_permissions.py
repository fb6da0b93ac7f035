"""The partnerships team gets the permissions of this app's records. Changes go through
partnerships.services; these permissions say who may ask for them.

Left out on purpose: the self-assessment's responses, answers and participations (staff see
results only through the results page, which shows a role's answers only where at least three of
that role answered), and deleting what is history (ladder changes, reminders sent)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "partnerships": [
        *(
            f"{action}_{model}"
            for model in (
                "organisation",
                "organisationpractitioner",
                "partnership",
                "partnershipmember",
                "agreement",
                "meeting",
                "meetinginvitation",
                "decision",
                "barrier",
                "yousaiditem",
                "tag",
                "resource",
                "resourcecontributor",
            )
            for action in ("view", "add", "change", "delete")
        ),
        "change_level",
        "view_levelchange",
        "add_levelchange",
        "view_assessmentround",
        "add_assessmentround",
        "change_assessmentround",
        "view_partnershipreminder",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("partnerships")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        found = Permission.objects.filter(
            content_type__app_label="partnerships", codename__in=codenames
        )
        assert found.count() == len(codenames), f"{name}: a partnerships permission is missing"
        group.permissions.add(*found)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="partnerships", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
        ("coprod", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
