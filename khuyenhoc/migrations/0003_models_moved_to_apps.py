# Job moved to the jobs app and ImportBatch to the transfers app; their tables and rows stay
# (khuyenhoc_job, khuyenhoc_importbatch). The project package keeps no model.

from django.db import migrations

MOVED = {"job": "jobs", "importbatch": "transfers"}


def move_content_types(apps, schema_editor):
    """Permissions and admin history follow the models to their new apps."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        if not content_type.objects.filter(app_label=app_label, model=model).exists():
            content_type.objects.filter(app_label="khuyenhoc", model=model).update(
                app_label=app_label
            )


def restore_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        content_type.objects.filter(app_label=app_label, model=model).update(
            app_label="khuyenhoc"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("khuyenhoc", "0002_import_batches"),
        ("jobs", "0001_initial"),
        ("transfers", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="ImportBatch"),
                migrations.DeleteModel(name="Job"),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
