"""The staff roles as groups: "Editor" enters and corrects records but cannot publish,
withdraw or delete an activity; "Publisher" can also do those, and delete the
records activities refer to (a delete still refused while an activity uses one).

The names are stable identifiers (the README refers to them). A group that already
exists under one of these names gets exactly these permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Records edited inside an activity's form, or picked from its lists.
ACTIVITY_PARTS = ["activity", "attendance", "activitylink", "photo"]
REFERENCED = ["organization", "theme", "venue", "participant", "department"]

EDITOR = [
    *(f"{action}_{model}" for model in ACTIVITY_PARTS for action in ("view", "add", "change")),
    # Removing a wrong person, photo or link from an activity; not the activity itself.
    *(f"delete_{model}" for model in ("attendance", "activitylink", "photo")),
    *(f"{action}_{model}" for model in REFERENCED for action in ("view", "add", "change")),
]
PUBLISHER = [
    *EDITOR,
    "publish_activity",
    "delete_activity",
    *(f"delete_{model}" for model in REFERENCED),
]
GROUPS = {"Editor": EDITOR, "Publisher": PUBLISHER}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the groups
    # need them now, on a fresh database too.
    app_config = apps.get_app_config("activities")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        permissions = Permission.objects.filter(
            content_type__app_label="activities", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions missing for group {name}: {sorted(missing)}")
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("activities", "0004_activity_version"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
