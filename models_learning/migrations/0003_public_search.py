"""Indexes for the public search of recognitions (models_learning.public).

The public list shows recognised files (status recognised or revoked) newest year first,
then by normalised name. Partial indexes in exactly that order let a page without a
selective filter read only the rows it shows, at a million recognitions as at a hundred;
the second and third serve the title and the commune filters in the same order (a commune
filter reads one ordered scan per commune and merges them). They are partial (only
recognised files), so they stay small beside the registrations still at work.

The condition must read like the query's (`status IN ('recognized', 'revoked')`, this order)
for PostgreSQL to use them. The trigram index of 0002 serves `q`; (unit, year, status) and
(year, kind, status) of 0001 serve the other filters. Raw SQL on both databases: SQLite
has partial and descending indexes too; the models' state is unchanged.
"""

from django.db import migrations

CONDITION = "status IN ('recognized', 'revoked')"
INDEXES = {
    "ml_registration_public_order": "(year DESC, search_text, id)",
    "ml_registration_public_kind": "(kind, year DESC, search_text, id)",
    "ml_registration_public_unit": "(unit_id, year DESC, search_text, id)",
}


def forwards(apps, schema_editor):
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON models_learning_registration "
            f"{columns} WHERE {CONDITION}"
        )


def backwards(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("models_learning", "0002_search_trigram")]

    operations = [migrations.RunPython(forwards, backwards)]
