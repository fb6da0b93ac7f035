"""The first version of each consent text, so the portal works from the first run."""

from django.db import migrations

TEXTS = {
    "contact": (
        "Being contacted",
        "We would like to contact you about opportunities, meetings and payments. We will only "
        "use the ways and times you chose as safe. You can change your mind at any time. If you "
        "say no, we will not contact you, but you can still read messages here.",
    ),
    "taking_part": (
        "Taking part",
        "You agree to take part in our work, for example panels, meetings or reviews. You never "
        "have to share your story. You can take a break or stop at any time, and you will not "
        "lose anything you are owed.",
    ),
    "named_or_quoted": (
        "Being named or quoted",
        "We may want to quote what you say in reports. If you agree, we will use your display "
        "name or no name, as you choose, and we will ask you before anything is published. If "
        "you say no, we will never quote or name you.",
    ),
}


def create_texts(apps, schema_editor):
    ConsentText = apps.get_model("coprod", "ConsentText")
    for purpose, (title, body) in TEXTS.items():
        ConsentText.objects.get_or_create(
            purpose=purpose, version=1, defaults={"title": title, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("coprod", "0002_staff_groups")]

    operations = [migrations.RunPython(create_texts, migrations.RunPython.noop)]
