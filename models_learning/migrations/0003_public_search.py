"""Indexes for the public search of recognitions (models_learning.public).

The public list shows recognised files (status recognised or revoked) newest year first,
then by normalised name. Partial indexes in exactly that order let a page without a
selective filter read only the rows it shows, at a million recognitions as at a hundred;
the second and third serve the title and the commune filters in the same order (a commune
filter reads one ordered scan per commune and merges them). They are partial (only
recognised files), so they stay small beside the registrations still at work.

The condition must read like the query's (`status IN ('recognized', 'revoked')`, this order)
for PostgreSQL to use them. The trigram index of 0002 serves `q`; (unit, year, status) and
(year, kind, status) of 0001 serve the other filters. SQLite has partial and descending
indexes too.

Until December 2026 this migration wrote the same indexes in raw SQL, outside the models'
state; databases that ran that form hold them under the same names and definitions.
"""

from django.db import migrations, models

CONDITION = models.Q(status__in=("recognized", "revoked"))
INDEXES = {
    "ml_registration_public_order": ["-year", "search_text", "id"],
    "ml_registration_public_kind": ["kind", "-year", "search_text", "id"],
    "ml_registration_public_unit": ["unit", "-year", "search_text", "id"],
}


class Migration(migrations.Migration):
    dependencies = [("models_learning", "0002_search_trigram")]

    operations = [
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(condition=CONDITION, fields=fields, name=name),
        )
        for name, fields in INDEXES.items()
    ]
