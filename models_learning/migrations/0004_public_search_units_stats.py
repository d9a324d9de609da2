"""One more index for the public pages (after measuring at a million recognitions).

ml_registration_stats: every registration by year, unit, title and status, so that the
GROUP BYs of /stats/ and the home page (reporting.stats) read this index alone.

This migration also created ml_registration_public_unit (IF NOT EXISTS) although 0003 had
made it, so migrating back from here dropped an index that 0003 still owned; 0003 alone
makes it now. Until December 2026 it wrote its index in raw SQL; databases that ran that form
hold the same index under the same name.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("models_learning", "0003_public_search")]

    operations = [
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(
                fields=["year", "unit", "kind", "status"], name="ml_registration_stats"
            ),
        ),
    ]
