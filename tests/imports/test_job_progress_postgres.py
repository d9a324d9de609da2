"""On PostgreSQL a worker's import shows its progress while its transaction is still open."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from jobs.models import Job
from jobs.runner import run_job
from models_learning.models import Registration
from tests.imports.conftest import check, filled, household_row
from transfers.imports import engine, importers, services
from transfers.models import ImportBatch, ImportMode, ImportStatus

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("a second connection to an open transaction needs PostgreSQL")


def test_the_progress_bar_moves_while_the_import_transaction_is_open(
    officer, villages, tree, settings, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(engine, "PROGRESS_EVERY", 5)
    data = filled(
        "households",
        tree["commune"],
        [household_row(villages[i % 3], name=f"Lò Văn {i}", birth=1960 + i) for i in range(12)],
    )
    batch = check(officer, "households", tree["commune"], data)
    settings.IMPORT_INLINE_MAX_BYTES = 0
    batch = services.import_batch(batch, by=officer, mode=ImportMode.ALL)
    assert batch.status == ImportStatus.IMPORTING  # queued for a worker
    seen = []
    real_apply = importers.HouseholdImporter.apply

    def watching(self, values):
        # What another person's browser would read now, from its own connection.
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with other.cursor() as cursor:
                cursor.execute(
                    f"SELECT done FROM {Job._meta.db_table} WHERE id = %s", [batch.job_id]
                )
                seen.append(cursor.fetchone()[0])
                cursor.execute(f"SELECT count(*) FROM {Registration._meta.db_table}")
                seen.append(("registrations", cursor.fetchone()[0]))
        finally:
            other.close()
        return real_apply(self, values)

    monkeypatch.setattr(importers.HouseholdImporter, "apply", watching)
    run_job.call(batch.job_id)  # as the worker does
    batch = ImportBatch.objects.get(pk=batch.pk)
    assert batch.status == ImportStatus.IMPORTED
    assert Registration.objects.count() == 12
    progress = [value for value in seen if isinstance(value, int)]
    assert progress[-1] == 10  # rows 1-10 done, seen from outside while row 11 imports
    # ...while the rows themselves stay invisible until the import commits.
    assert {value for value in seen if isinstance(value, tuple)} == {("registrations", 0)}
