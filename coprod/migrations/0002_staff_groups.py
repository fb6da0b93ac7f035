"""Staff groups and their model permissions. Later apps add their own permissions to these groups
in their own migrations."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "engagement": [
        ("coprod", "view_person"),
        ("coprod", "add_person"),
        ("coprod", "change_person"),
        ("coprod", "view_contact_details"),
        ("coprod", "view_rolegrant"),
        ("coprod", "add_rolegrant"),
        ("coprod", "change_rolegrant"),
        ("coprod", "view_consentrecord"),
        ("coprod", "view_consenttext"),
        ("coprod", "add_consenttext"),
        ("coprod", "view_safecontactpreferences"),
        ("coprod", "change_safecontactpreferences"),
        ("coprod", "view_invitation"),
        ("coprod", "add_invitation"),
        ("coprod", "change_invitation"),
        ("coprod", "view_notification"),
        ("coprod", "change_notification"),
        ("auditlog", "view_logentry"),
    ],
    "funding": [("coprod", "view_person"), ("coprod", "view_rolegrant")],
    "partnerships": [("coprod", "view_person"), ("coprod", "view_rolegrant")],
    "finance": [("coprod", "view_person"), ("coprod", "view_legal_name")],
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("coprod", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("auditlog", "__latest__"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
