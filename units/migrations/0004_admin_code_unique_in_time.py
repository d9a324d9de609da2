"""On PostgreSQL: an official code is unique per level among units valid on the same day.

Codes are reused across periods (each 2025 commune took the code of one of its
predecessors), so no plain unique index can say it: an exclusion constraint over the
validity dates can (btree_gist lets it compare the code and the level with `=` beside the
date ranges' `&&`). units.services.check_unit said it before, but only before its INSERT, so
two requests at once could both pass. SQLite has no such constraint; the check keeps the rule
there (lib.postgres.PostgresOnlyExclusionConstraint writes nothing on it).

If existing units already break the rule, the migration stops, lists them and changes
nothing: give one of each pair its right code or dates, then run migrate again.
"""

import lib.postgres
from django.db import migrations, models

OVERLAPS = """
    SELECT a.level, a.admin_code, a.id, a.name, b.id, b.name
      FROM units_unit a
      JOIN units_unit b
        ON a.admin_code = b.admin_code AND a.level = b.level AND a.id < b.id
     WHERE a.admin_code <> ''
       AND daterange(a.valid_from, a.valid_to, '[]') && daterange(b.valid_from, b.valid_to, '[]')
     ORDER BY a.level, a.admin_code, a.id, b.id
"""


class SharedOfficialCodes(Exception):
    pass


def refuse_shared_codes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(OVERLAPS)
        pairs = cursor.fetchall()
    if pairs:
        lines = [
            f"  {level} code {code}: “{name_a}” (id {id_a}) and “{name_b}” (id {id_b})"
            for level, code, id_a, name_a, id_b, name_b in pairs
        ]
        raise SharedOfficialCodes(
            "These units share an official code while valid at the same time, which the new "
            "database rule refuses:\n"
            + "\n".join(lines)
            + "\nCorrect the code or the validity dates of one of each pair, then run "
            "migrate again. Nothing was changed."
        )


class Migration(migrations.Migration):
    dependencies = [("units", "0003_village_name_unique_any_case")]

    operations = [
        lib.postgres.PostgresExtension("btree_gist"),
        migrations.RunPython(refuse_shared_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="unit",
            constraint=lib.postgres.PostgresOnlyExclusionConstraint(
                condition=models.Q(("admin_code", ""), _negated=True),
                expressions=[
                    ("admin_code", "="),
                    ("level", "="),
                    (
                        lib.postgres.DateRange("valid_from", "valid_to", models.Value("[]")),
                        "&&",
                    ),
                ],
                name="unit_admin_code_unique_in_time",
                violation_error_message=(
                    "This official code is already used by another unit in the same period."
                ),
            ),
        ),
    ]
