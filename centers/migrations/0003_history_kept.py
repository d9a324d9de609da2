"""A rating's history keeps its rows: deleting a rating that has events, or a user who acted,
is refused instead of deleting the events (CASCADE) or emptying their author (SET_NULL);
see centers.models.CenterRatingEvent. No change to the tables: Django applies on_delete
itself."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("centers", "0002_default_scheme"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="centerratingevent",
            name="actor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AlterField(
            model_name="centerratingevent",
            name="rating",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="centers.centerrating",
                verbose_name="rating",
            ),
        ),
    ]
