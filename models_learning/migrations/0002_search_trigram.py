"""On PostgreSQL: pg_trgm and a trigram GIN index on the normalised search text.

`search_text LIKE '%…%'` (diacritic-free, lower case) then uses the index on millions of rows.
SQLite has no such index (lib.postgres.PostgresOnlyGinIndex writes nothing there); the stored
normalised column keeps search working.

Until December 2026 this migration wrote the same index in raw SQL (`CREATE INDEX IF NOT
EXISTS ml_registration_search_trgm … USING gin (search_text gin_trgm_ops)`); databases that
ran that form hold the same index under the same name, and now the models' state knows it.
"""

import lib.postgres
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("models_learning", "0001_initial")]

    operations = [
        lib.postgres.PostgresExtension("pg_trgm"),
        migrations.AddIndex(
            model_name="registration",
            index=lib.postgres.PostgresOnlyGinIndex(
                fields=["search_text"],
                opclasses=["gin_trgm_ops"],
                name="ml_registration_search_trgm",
            ),
        ),
    ]
