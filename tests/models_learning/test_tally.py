"""The registrations' tally (models_learning/tally.py): kept by the database on every write
path, merged without losing a file, checked and rebuilt, and never a lock between writers."""

import random
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from models_learning import tally
from models_learning.models import CriteriaSet, Registration, RegistrationTally
from models_learning.workflow import Status

from .factories import bulk_registrations, fresh, in_status, proposed_family, register_family


def _tallied(**key):
    return sum(RegistrationTally.objects.filter(**key).values_list("files", flat=True))


def _family_set():
    return CriteriaSet.objects.filter(kind="family").first()


def test_the_workflow_moves_each_file_from_step_to_step_in_the_tally(
    criteria_sets, officer, province_staff, village, tree
):
    commune = tree["commune"]
    for status in Status:
        in_status(status, officer=officer, approver=province_staff, village=village)
    for status in Status:
        assert _tallied(unit=commune, year=2026, kind="family", status=status) == 1, status
    assert _tallied() == Registration.objects.count() == len(Status)
    assert tally.differences() == []


def test_bulk_writes_updates_and_deletes_are_tallied(criteria_sets, tree, village):
    commune, sibling = tree["commune"], tree["sibling"]
    files = bulk_registrations(30, unit=commune, village=village, criteria_set=_family_set())
    assert _tallied(unit=commune, status=Status.REGISTERED) == 30
    Registration.objects.filter(pk__in=[r.pk for r in files[:10]]).update(status=Status.SCORED)
    Registration.objects.filter(pk__in=[r.pk for r in files[10:15]]).update(unit=sibling)
    Registration.objects.filter(pk__in=[r.pk for r in files[15:18]]).delete()
    assert _tallied(unit=commune, status=Status.REGISTERED) == 12
    assert _tallied(unit=commune, status=Status.SCORED) == 10
    assert _tallied(unit=sibling, status=Status.REGISTERED) == 5
    assert tally.differences() == []


def test_a_change_that_moves_no_file_adds_no_row(criteria_sets, tree, village):
    bulk_registrations(5, unit=tree["commune"], village=village, criteria_set=_family_set())
    rows = RegistrationTally.objects.count()
    Registration.objects.update(subject_name="Tên khác", total_score=10)
    assert RegistrationTally.objects.count() == rows


def test_a_rolled_back_write_leaves_nothing_in_the_tally(criteria_sets, officer, village):
    with pytest.raises(RuntimeError), transaction.atomic():
        register_family(officer, village)
        raise RuntimeError("the request failed after the write")
    assert not RegistrationTally.objects.exists()
    assert tally.differences() == []


def test_merging_keeps_every_count_and_leaves_one_row_a_key(
    criteria_sets, officer, province_staff, village
):
    for status in (Status.PROPOSED, Status.RECOGNIZED, Status.REVOKED, Status.WITHDRAWN):
        in_status(status, officer=officer, approver=province_staff, village=village)
    before, after = tally.merge()
    assert before > after == RegistrationTally.objects.count()
    assert not RegistrationTally.objects.filter(merged=False).exists()
    # One row per key still holding files, none for the steps every file has left.
    assert after == Registration.objects.values("status").distinct().count()
    assert tally.differences() == []
    assert tally.merge() == (after, after)  # nothing left to fold
    register_family(officer, village)  # deltas after a merge add to the merged rows
    assert tally.differences() == []


def test_a_random_history_always_adds_up(criteria_sets, tree, village):
    chooser = random.Random(2026)
    files = bulk_registrations(
        40, unit=tree["commune"], village=village, criteria_set=_family_set()
    )
    units = [tree["commune"], tree["sibling"]]
    alive = [r.pk for r in files]
    for step in range(60):
        chosen = chooser.sample(alive, 3)
        action = chooser.choice(["status", "unit", "returned", "delete", "merge"])
        rows = Registration.objects.filter(pk__in=chosen)
        if action == "status":
            rows.update(status=chooser.choice([Status.SCORED, Status.RECOGNIZED, Status.WITHDRAWN]))
        elif action == "unit":
            rows.update(unit=chooser.choice(units))
        elif action == "returned":
            rows.update(is_returned=chooser.random() < 0.5)
        elif action == "delete" and len(alive) > 10:
            rows.delete()
            alive = [pk for pk in alive if pk not in chosen]
        else:
            tally.merge()
        assert tally.differences() == [], f"step {step}: {action}"


def test_the_command_finds_a_wrong_tally_and_rebuild_mends_it(criteria_sets, officer, village):
    registration = register_family(officer, village)
    RegistrationTally.objects.filter(status=Status.REGISTERED).update(files=7)
    with pytest.raises(CommandError, match="differs from the registrations on 1 keys"):
        call_command("tally_registrations", "--check")
    call_command("tally_registrations", "--rebuild")
    call_command("tally_registrations", "--check")
    assert _tallied(unit=registration.unit, status=Status.REGISTERED) == 1


def test_a_missing_trigger_is_put_back_and_the_tally_recounted(criteria_sets, officer, village):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {tally.INSERTED} ON {tally.REGISTRATIONS}")
        else:
            cursor.execute(f"DROP TRIGGER {tally.INSERTED}")
    register_family(officer, village)  # not tallied: the trigger is gone
    assert tally.differences() != []
    assert tally.ensure() is True
    assert tally.differences() == []
    assert tally.ensure() is False
    register_family(officer, village)
    assert tally.differences() == []


# --- two writers at once (PostgreSQL) ------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_registering_in_one_commune_at_once_do_not_wait_on_each_other(
    criteria_sets, officer, village
):
    """A shared counter row would hold the second writer until the first commits; a delta
    row holds nobody."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    register_family(officer, village)  # the criteria set's first file freezes it (a row lock)
    written, release, done = threading.Event(), threading.Event(), threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                register_family(officer, village)
                written.set()
                release.wait(20)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert written.wait(20)
    second = threading.Thread(
        target=lambda: (register_family(officer, village), done.set(), connection.close())
    )
    second.start()
    second_finished = done.wait(10)  # while the first still holds its transaction open
    merged_meanwhile = tally.merge()  # folds what is committed, waits for nobody
    release.set()
    thread.join(30)
    second.join(30)
    assert not errors, errors
    assert second_finished, "the second officer waited for the first one's transaction"
    assert merged_meanwhile[1] == 1  # the two committed files: one merged row
    assert tally.differences() == []
    assert _tallied(status=Status.REGISTERED) == 3
    # The first officer's delta, committed after that merge, is folded by the next one.
    assert RegistrationTally.objects.filter(merged=False).count() == 1
    tally.merge()
    assert RegistrationTally.objects.count() == 1 and tally.differences() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_merges_at_once_leave_every_count_exact(criteria_sets, officer, village):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    for _n in range(3):
        proposed_family(officer, village)
    barrier, errors = threading.Barrier(2), []

    def merge():
        try:
            barrier.wait()
            tally.merge()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=merge) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert tally.differences() == []
    assert RegistrationTally.objects.count() == 1
    assert fresh(Registration.objects.first()).status == Status.PROPOSED


@pytest.mark.django_db(transaction=True)
def test_a_fixture_loaded_with_its_tally_is_recounted_not_counted_twice(
    criteria_sets, officer, province_staff, village, tmp_path
):
    for status in (Status.REGISTERED, Status.RECOGNIZED):
        in_status(status, officer=officer, approver=province_staff, village=village)
    tally.merge()
    dump = tmp_path / "files.json"
    call_command("dumpdata", "models_learning", "units", "auth.user", output=str(dump), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    # The files' triggers count them again as they load; the commit recounts.
    call_command("loaddata", str(dump), verbosity=0)
    assert tally.differences() == []
    assert _tallied() == Registration.objects.count() == 2


def test_a_disabled_trigger_counts_as_missing(criteria_sets, officer, village):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no ALTER TABLE … DISABLE TRIGGER")
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {tally.REGISTRATIONS} DISABLE TRIGGER {tally.UPDATED}")
    assert tally.ensure() is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = %s", [tally.UPDATED])
        assert cursor.fetchone()[0] == "O"


def test_triggers_of_another_version_are_replaced(criteria_sets, officer, village):
    """A change to the triggers' SQL takes a new version: `ensure` (after every migrate)
    drops the old ones and installs the new, recounting."""
    register_family(officer, village)
    with connection.cursor() as cursor:
        old = f"{tally.PREFIX}v0_inserted"
        if connection.vendor == "postgresql":
            cursor.execute(
                f"ALTER TRIGGER {tally.INSERTED} ON {tally.REGISTRATIONS} RENAME TO {old}"
            )
        else:
            cursor.execute(f"DROP TRIGGER {tally.INSERTED}")
            cursor.execute(
                f"CREATE TRIGGER {old} AFTER INSERT ON {tally.REGISTRATIONS} BEGIN SELECT 1; END"
            )
    assert tally.ensure() is True
    with connection.cursor() as cursor:
        assert set(tally._present(cursor, connection.vendor)) == set(
            tally.TRIGGERS[connection.vendor]
        )
    register_family(officer, village)  # counted once, by the new trigger only
    assert tally.differences() == [] and _tallied() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_truncating_the_files_empties_the_tally(criteria_sets, officer, village):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    register_family(officer, village)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tally.REGISTRATIONS} CASCADE")
    assert not RegistrationTally.objects.exists()
    assert tally.differences() == []
