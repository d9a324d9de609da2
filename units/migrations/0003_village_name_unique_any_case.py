"""A village's name is unique in its commune whatever its case, in the database itself.

The old constraint compared names as typed, so "Bản Co Muông" and "bản co muông" could both
exist if two officers added them at the same moment (units.services checked the case, but
only before its INSERT). Such pairs are not merged here: households, registrations (one per
village, title and year) and their history hang on each village, and which one is the real
village is for the commune's officer to say. If any exist the migration stops, lists them,
and changes nothing: rename or merge them in the portal, then run migrate again.
"""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


class DuplicateVillageNames(Exception):
    pass


def refuse_duplicates(apps, schema_editor):
    Village = apps.get_model("units", "Village")
    clashes = (
        Village.objects.values("commune_id", folded=Lower("name"))
        .annotate(count=Count("id"))
        .filter(count__gt=1)
        .order_by("commune_id", "folded")
    )
    lines = []
    for clash in clashes:
        villages = Village.objects.filter(commune_id=clash["commune_id"]).order_by("id")
        same = [v for v in villages if v.name.casefold() == clash["folded"].casefold()]
        names = ", ".join(f"“{v.name}” (id {v.pk})" for v in same)
        lines.append(f"  commune id {clash['commune_id']}: {names}")
    if lines:
        raise DuplicateVillageNames(
            "These communes have villages whose names differ only in case, which the new "
            "database rule (one name per commune, whatever its case) refuses:\n"
            + "\n".join(lines)
            + "\nRename one of each pair (the commune's page in the portal), or move its "
            "households to the other, then run migrate again. Nothing was changed."
        )


class Migration(migrations.Migration):
    dependencies = [("units", "0002_unit_path_well_formed")]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="village", name="village_unique_name"),
        migrations.AddConstraint(
            model_name="village",
            constraint=models.UniqueConstraint(
                models.F("commune"),
                django.db.models.functions.text.Lower("name"),
                name="village_unique_name_any_case",
                violation_error_message="This commune already has a village of that name.",
            ),
        ),
    ]
