"""On PostgreSQL: pg_trgm and a trigram GIN index on the normalised search text.

`search_text LIKE '%…%'` (diacritic-free, lower case) then uses the index on millions of rows.
SQLite has no such index; the stored normalised column keeps search working there.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS ml_registration_search_trgm "
        "ON models_learning_registration USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS ml_registration_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("models_learning", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
