# The inbox's lists, longest waiting first, read in order from these indexes. Built
# CONCURRENTLY on PostgreSQL (the registrations' writers go on during a release at ten
# million rows), the new ones before the old are dropped, so the inbox always has one.

from django.db import migrations, models

from lib.postgres import AddIndexConcurrentlyOnPostgres, RemoveIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("models_learning", "0011_registration_tally"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="registration",
            index=models.Index(
                fields=["status", "awaiting_unit", "updated_at", "id"],
                name="ml_registration_waiting",
            ),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="registration",
            index=models.Index(fields=["status", "updated_at", "id"], name="ml_registration_by_step"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="registration",
            index=models.Index(
                condition=models.Q(("is_returned", True)),
                fields=["status", "updated_at", "id"],
                name="ml_registration_to_fix",
            ),
        ),
        RemoveIndexConcurrentlyOnPostgres(
            model_name="registration",
            name="ml_registration_awaiting",
        ),
        RemoveIndexConcurrentlyOnPostgres(
            model_name="registration",
            name="ml_registration_returned",
        ),
    ]
