"""An organisation's name is unique in its commune on its folded form (lower case, no
diacritics, đ → d: the stored `name_normalised`), in the database itself.

The old constraint compared names as typed, so "Trường Tiểu học Nà Nhạn" and "Truong tieu
hoc Na Nhan" were two organisations. Such pairs are not merged here: each may carry its own
registrations (one per organisation, title and year) and their history, and which one is
right is for the commune's officer to say. If any exist the migration stops, lists them and
changes nothing.
"""

from django.db import migrations, models
from django.db.models import Count


class DuplicateOrganisationNames(Exception):
    pass


def refuse_duplicates(apps, schema_editor):
    Organisation = apps.get_model("models_learning", "Organisation")
    clashes = (
        Organisation.objects.values("commune_id", "name_normalised")
        .annotate(count=Count("id"))
        .filter(count__gt=1)
        .order_by("commune_id", "name_normalised")
    )
    lines = []
    for clash in clashes:
        same = Organisation.objects.filter(
            commune_id=clash["commune_id"], name_normalised=clash["name_normalised"]
        ).order_by("id")
        names = ", ".join(f"“{o.name}” (id {o.pk})" for o in same)
        lines.append(f"  commune id {clash['commune_id']}: {names}")
    if lines:
        raise DuplicateOrganisationNames(
            "These communes have organisations whose names differ only in case or "
            "diacritics, which the new database rule refuses:\n"
            + "\n".join(lines)
            + "\nRename one of each pair (in the Django admin, or the database), then run "
            "migrate again. Nothing was changed."
        )


class Migration(migrations.Migration):
    dependencies = [("models_learning", "0004_public_search_units_stats")]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="organisation", name="ml_organisation_unique_name"
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                fields=("commune", "name_normalised"),
                name="ml_organisation_unique_normalised_name",
                violation_error_message="This commune already has an organisation of that name.",
            ),
        ),
    ]
