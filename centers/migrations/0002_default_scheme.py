from django.db import migrations


def create_default_scheme(apps, schema_editor):
    # The same definition the service `ensure_default_scheme` uses (centers/schemes.py).
    from centers.schemes import DEFAULT_SCHEME

    RatingScheme = apps.get_model("centers", "RatingScheme")
    if RatingScheme.objects.filter(key=DEFAULT_SCHEME["key"]).exists():
        return
    scheme = RatingScheme.objects.create(
        key=DEFAULT_SCHEME["key"],
        version=1,
        name=DEFAULT_SCHEME["name"],
        legal_basis=DEFAULT_SCHEME["legal_basis"],
        year_from=DEFAULT_SCHEME["year_from"],
        provisional=DEFAULT_SCHEME["provisional"],
    )
    for criterion in DEFAULT_SCHEME["criteria"]:
        scheme.criteria.create(**criterion)
    for band in DEFAULT_SCHEME["bands"]:
        scheme.bands.create(**band)


class Migration(migrations.Migration):
    dependencies = [("centers", "0001_initial")]

    operations = [migrations.RunPython(create_default_scheme, migrations.RunPython.noop)]
