"""The seeded sets as loaded before: the 2021–2030 family sets marked criterion 1 and items
2.1–2.2 as verified with QĐ 387 (a programme holding no criteria) as their only source, and
the organisation sets gave a 30/40/30 split without saying it has no source. Only the first
versions as seeded are corrected; a version staff made is theirs."""

from django.db import migrations

from models_learning.criteria_data import ORGANISATION_SPLIT_NOTE

FAMILY_2021 = ["family-2021-district", "family-2021"]
ORGANISATION = ["organisation-qd448-2016", "organisation-2021-district", "organisation-2021"]
SEEDED_GUIDANCE = "Tạm thời: chờ cán bộ tỉnh đối chiếu văn bản."


def forwards(apps, schema_editor):
    Criterion = apps.get_model("models_learning", "Criterion")
    for criterion in Criterion.objects.filter(
        criteria_set__code__in=FAMILY_2021, criteria_set__version=1
    ):
        criterion.provisional = True
        criterion.sub_items = [{**item, "provisional": True} for item in criterion.sub_items]
        criterion.save(update_fields=["provisional", "sub_items"])
    Criterion.objects.filter(
        criteria_set__code__in=ORGANISATION, criteria_set__version=1, guidance=SEEDED_GUIDANCE
    ).update(guidance=ORGANISATION_SPLIT_NOTE)


class Migration(migrations.Migration):
    dependencies = [("models_learning", "0008_pass_on_from_ended_levels")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
