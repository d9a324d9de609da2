"""A registration's history keeps its rows: deleting a registration that has events, or a
user who acted, is refused instead of deleting the events (CASCADE) or emptying their
author (SET_NULL); see models_learning.models.RegistrationEvent. No change to the tables:
Django applies on_delete itself."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("models_learning", "0005_organisation_unique_normalised_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="registrationevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AlterField(
            model_name="registrationevent",
            name="registration",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="models_learning.registration",
                verbose_name="registration",
            ),
        ),
    ]
