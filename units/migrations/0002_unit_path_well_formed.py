"""A unit's path is well formed, "/<id of root>/…/<own id>/" with one step per level, in the
database itself.

Every subtree filter is `path LIKE '<path>%'`: a unit saved with an empty path (as the Django
admin could until now) was a prefix of every path, and its officers read every unit. Paths
are derived data (the parent links say what they must be), so before the check is added every
path and depth that disagrees with the parent links is rebuilt from them; nothing else
changes. A loop in the parent links cannot be repaired that way: the migration stops and names
the units.
"""

import django.db.models.expressions
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models


class ParentLoop(Exception):
    pass


def rebuild_paths(apps, schema_editor):
    Unit = apps.get_model("units", "Unit")
    rows = {pk: (parent, path, depth) for pk, parent, path, depth in Unit.objects.values_list(
        "id", "parent_id", "path", "depth"
    )}
    placed = {}  # id -> (path, depth)

    def place(pk):
        chain = []
        while pk is not None and pk not in placed:
            if pk in chain:
                loop = ", ".join(str(i) for i in chain[chain.index(pk):])
                raise ParentLoop(
                    f"Units {loop} are each other's parents, so their place in the tree "
                    "cannot be rebuilt. Give one of them another parent unit in the database, "
                    "then run migrate again. Nothing was changed."
                )
            chain.append(pk)
            pk = rows[pk][0]
        for step in reversed(chain):
            parent = rows[step][0]
            above_path, above_depth = placed[parent] if parent is not None else ("/", -1)
            placed[step] = (f"{above_path}{step}/", above_depth + 1)

    for pk in rows:
        place(pk)
    wrong = [
        Unit(id=pk, path=placed[pk][0], depth=placed[pk][1])
        for pk, (_parent, path, depth) in rows.items()
        if (path, depth) != placed[pk]
    ]
    Unit.objects.bulk_update(wrong, ["path", "depth"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]

    operations = [
        migrations.RunPython(rebuild_paths, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("path__regex", "^(/[0-9]+)+/$"),
                    django.db.models.lookups.Exact(
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.functions.text.Length("path"),
                            "-",
                            django.db.models.functions.text.Length(
                                django.db.models.functions.text.Replace(
                                    "path", models.Value("/")
                                )
                            ),
                        ),
                        django.db.models.expressions.CombinedExpression(
                            models.F("depth"), "+", models.Value(2)
                        ),
                    ),
                ),
                name="unit_path_well_formed",
                violation_error_message="The unit's place in the tree is not well formed.",
            ),
        ),
    ]
