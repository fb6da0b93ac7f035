"""The engagement team gets opportunities, selection, training and onboarding; finance may look
at opportunities (what is offered and at what pay) and training, nothing about applicants."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "engagement": [
        "view_opportunity",
        "add_opportunity",
        "change_opportunity",
        "manage_selection",
        "view_selectioncriterion",
        "add_selectioncriterion",
        "change_selectioncriterion",
        "delete_selectioncriterion",
        "view_application",
        "change_application",
        "view_applicationevent",
        "view_applicationscore",
        "view_trainingmodule",
        "add_trainingmodule",
        "change_trainingmodule",
        "view_trainingcompletion",
        "add_trainingcompletion",
        "change_trainingcompletion",
        "view_onboarding",
        "change_onboarding",
    ],
    "finance": [
        "view_opportunity",
        "view_trainingmodule",
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
        permissions = Permission.objects.filter(
            content_type__app_label="recruitment", codename__in=codenames
        )
        assert permissions.count() == len(codenames), f"{name}: a permission is missing"
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="recruitment", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0003_opportunities_training_reminders"),
        ("coprod", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
