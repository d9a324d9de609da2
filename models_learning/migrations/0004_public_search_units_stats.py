"""Two more indexes for the public pages (after measuring at a million recognitions).

- ml_registration_public_unit: recognised files per commune in the public order. A commune
  or district filter reads one ordered scan per commune and merges them (see
  models_learning.public.search); one scan with `unit IN (…)` over the order of 0003 would
  read years of other communes first, since old communes only have old years.
- ml_registration_stats: every registration by year, unit, title and status, so that the
  GROUP BYs of /stats/ and the home page (reporting.stats) read this index alone.

Raw SQL on both databases, as in 0003; the models' state is unchanged.
"""

from django.db import migrations

INDEXES = {
    "ml_registration_public_unit": (
        "(unit_id, year DESC, search_text, id) WHERE status IN ('recognized', 'revoked')"
    ),
    "ml_registration_stats": "(year, unit_id, kind, status)",
}


def forwards(apps, schema_editor):
    for name, definition in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON models_learning_registration {definition}"
        )


def backwards(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("models_learning", "0003_public_search")]

    operations = [migrations.RunPython(forwards, backwards)]
