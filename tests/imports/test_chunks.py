"""Households imported in chunks write exactly what the form's services write row by row, in
a number of queries per chunk that does not grow with its rows; a row that fails as its chunk
is written is reported and the rest written without it."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from models_learning import services as learning_services
from models_learning.models import CriteriaSet, Household, Registration, RegistrationEvent
from tests.imports.conftest import YEAR, check, filled, household_row
from tests.models_learning.factories import register_family
from transfers.imports import engine, services
from transfers.models import ImportBatch, ImportMode, ImportStatus
from units.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def before(officer, sibling_officer, villages, sibling_villages, tree):
    """What the portal holds before the import: households the file finds again."""
    register_family(officer, villages[0], year=YEAR, head_name="Lò Văn Có", head_birth_year=1960)
    register_family(
        officer, villages[1], year=YEAR - 1, head_name="Lò Thị Năm Ngoái", head_birth_year=1970,
        address="Nhà cũ",
    )  # fmt: skip
    register_family(
        officer, villages[2], year=YEAR, head_name="Quàng Văn Đổi", head_birth_year=1955,
        phone="0911 000 000",
    )  # fmt: skip
    # Registered last year in the sibling commune: a likely duplicate, refused.
    register_family(
        sibling_officer, sibling_villages[0], year=YEAR - 1, head_name="Cà Văn Chuyển",
        head_birth_year=1981,
    )  # fmt: skip
    return timezone.now()


def mixed_rows(villages):
    """Every case the rules tell apart, the same household sometimes in two rows far apart."""
    v0, v1, v2 = villages
    rows = [
        household_row(v0, name="Lò Văn Có", birth=1960),  # unchanged
        household_row(v1, name="Lò Thị Năm Ngoái", birth=1970),  # registered for a new year
        household_row(v2, name="Quàng Văn Đổi", birth=1955, phone="0911 999 999"),  # updated
        household_row(v0, name="Cà Văn Chuyển", birth=1981),  # duplicate elsewhere: refused
        household_row(v1, name="", birth=1990),  # no name: refused by the sheet
        household_row(v2, name="Lò Văn Hai Năm", birth=1966, year=YEAR - 1),  # new
        household_row(v0, name="Lò Văn Có", birth=1960, year=YEAR + 1),  # new year
        {**household_row(v0, name="Ở Bản Lạ"), "village": "Bản Không Có"},  # refused
        household_row(v1, name="Lò Văn Hai Năm", birth=1966, year=YEAR - 1),  # another village
        household_row(v2, name="lò văn hai năm", birth=1966, year=YEAR - 1),  # repeats row 7
        household_row(v2, name="Lò Văn Hai Năm", birth=1966, address="Nhà mới"),  # 2nd year
        household_row(v0, name="Lò Thị Năm Ngoái", birth=1970, year=YEAR - 1),  # new household
        household_row(v1, name="Lò Thị Năm Ngoái", birth=1970, address="Nhà mới", year=YEAR + 1),
    ]
    rows += [household_row(villages[i % 3], name=f"Tòng Văn {i}", birth=1940 + i) for i in range(9)]
    rows.append(household_row(v1, name="Tòng Văn 4", birth=1944, commune="Phường Mường Thanh"))
    return rows


def households_file(tree, rows):
    return filled("households", tree["commune"], rows)


def valid_rows(villages):
    return [row for n, row in enumerate(mixed_rows(villages)) if n not in (3, 4, 7, 9, 22)]


def person(household):
    return (household.head_name, household.head_birth_year, household.village.name)


def database(since):
    """The portal's learning families and the import's traces, without ids and times."""
    households = sorted(
        (
            *person(h), h.head_name_normalised, h.commune.name, h.address, h.phone,
            h.updated_at > since,
        )
        for h in Household.objects.select_related("village", "commune")
    )  # fmt: skip
    registrations = sorted(
        (
            person(r.household), r.kind, r.year, r.unit.name, r.criteria_set.code,
            r.criteria_set.version, r.status, r.subject_name, r.search_text,
            r.entered_by.username, r.current_level, r.is_returned,
        )
        for r in Registration.objects.select_related(
            "household__village", "unit", "criteria_set", "entered_by"
        )
    )  # fmt: skip
    events = sorted(
        (
            person(e.registration.household), e.registration.year, e.action, e.from_status,
            e.to_status, e.level, e.unit.name, e.actor.username, e.reason, e.criterion_notes,
            e.data,
        )
        for e in RegistrationEvent.objects.select_related(
            "registration__household__village", "unit", "actor"
        )
    )  # fmt: skip
    frozen = sorted(CriteriaSet.objects.values_list("code", "version", "is_frozen"))
    audit = list(AuditEntry.objects.filter(action="import.households").values_list("changes"))
    return households, registrations, events, frozen, audit


def batch_facts(batch):
    return batch.status, batch.counts, batch.result, batch.problems, batch.problem_count


def import_with(settings, chunk_rows, officer, tree, rows, mode):
    """Check and import `rows` with chunks of `chunk_rows` (0: row by row through the
    services, the form's path); what the batch and the database say, then all rolled back."""
    settings.IMPORT_CHUNK_ROWS = chunk_rows
    since = timezone.now()
    with transaction.atomic():
        data = filled("households", tree["commune"], rows)
        batch = check(officer, "households", tree["commune"], data)
        checked = batch_facts(batch)
        batch = services.import_batch(batch, by=officer, mode=mode)
        facts = (checked, batch_facts(batch), database(since))
        transaction.set_rollback(True)
    return facts


@pytest.mark.parametrize("chunk_rows", [1, 4, 1000])
@pytest.mark.parametrize(("rows", "mode"), [(mixed_rows, "valid"), (valid_rows, "all")])
def test_chunks_write_what_the_forms_services_write_row_by_row(
    settings, officer, villages, tree, before, chunk_rows, rows, mode
):
    rows = rows(villages)
    by_the_form = import_with(settings, 0, officer, tree, rows, mode)
    in_chunks = import_with(settings, chunk_rows, officer, tree, rows, mode)
    assert by_the_form[1][0] == ImportStatus.IMPORTED  # the comparison compares something
    assert by_the_form[1][2] == {
        "new": 16, "updated": 1, "unchanged": 1, "skipped": 5 if mode == "valid" else 0
    }  # fmt: skip
    assert in_chunks[0] == by_the_form[0]  # the check: counts and problems
    assert in_chunks[1] == by_the_form[1]  # the import: result and problems
    assert in_chunks[2] == by_the_form[2]  # households, registrations, events, sets, audit


def test_the_comparison_sees_a_difference(settings, officer, villages, tree, before):
    """The snapshot is not blind: one row more is a different database."""
    rows = valid_rows(villages)
    one = import_with(settings, 1000, officer, tree, rows, "all")
    other = import_with(settings, 1000, officer, tree, rows[:-1], "all")
    assert one[2][1] != other[2][1] and one[2][2] != other[2][2]


# --- queries ------------------------------------------------------------------------------


def uploaded(officer, tree, villages, count, start=0):
    rows = [
        household_row(villages[i % 3], name=f"Lường Văn {i}", birth=1940 + i % 60)
        for i in range(start, start + count)
    ]
    # Half of them are households the portal knows already, registered last year.
    for row in rows[::2]:
        register_family(
            officer, _village(villages, row), year=YEAR - 1, head_name=row["head_name"],
            head_birth_year=row["head_birth_year"],
        )  # fmt: skip
    return check(officer, "households", tree["commune"], households_file(tree, rows))


def _village(villages, row):
    return next(v for v in villages if v.name == row["village"])


# Per chunk, the check reads: the households of the chunk's heads (name and year of birth, in
# any village), their registrations of the chunk's years and the years before (whether each is
# registered, and the likely duplicates), the criteria sets of the year and the levels above
# the commune (criteria_set_for, once per year of the chunk).
CHECK_PER_CHUNK = 4
# The import reads the same, then writes in a savepoint: households, registrations, the
# criteria set frozen, events (on PostgreSQL by COPY, the ids of the households and of the
# registrations taken from their sequences first).
WRITES = 6 if connection.vendor == "postgresql" else 4
IMPORT_PER_CHUNK = CHECK_PER_CHUNK + 2 + WRITES
# Around the chunks, the check reads the batch's commune and person, the person's scope (and
# the lineage of its units), whether they may import there, the villages, then saves the
# batch; the import (same batch object) whether they may import, the villages, the import's
# transaction (a savepoint in a test), the audit row and the batch.
CHECK_AROUND = 8
IMPORT_AROUND = 6


@pytest.mark.parametrize("rows", [10, 40])
def test_the_queries_of_a_chunk_do_not_grow_with_its_rows(
    settings, officer, villages, tree, django_assert_num_queries, rows
):
    settings.IMPORT_CHUNK_ROWS = 1000
    batch = uploaded(officer, tree, villages, rows)
    assert batch.counts["new"] == rows
    batch.status = ImportStatus.CHECKING
    with django_assert_num_queries(CHECK_AROUND + CHECK_PER_CHUNK):
        engine.check(batch)
    assert batch.counts["new"] == rows
    batch.mode = ImportMode.ALL
    with django_assert_num_queries(IMPORT_AROUND + IMPORT_PER_CHUNK):
        engine.apply(batch)
    assert batch.result["new"] == rows
    assert Registration.objects.filter(year=YEAR).count() == rows


def test_each_chunk_costs_the_same_queries(
    settings, officer, villages, tree, django_assert_num_queries
):
    settings.IMPORT_CHUNK_ROWS = 10
    batch = uploaded(officer, tree, villages, 30)
    with django_assert_num_queries(CHECK_AROUND + 3 * CHECK_PER_CHUNK):
        engine.check(batch)
    batch.mode = ImportMode.VALID
    # Valid rows only: each chunk in its own transaction (a savepoint inside the test's), none
    # around them.
    with django_assert_num_queries(IMPORT_AROUND - 2 + 3 * (IMPORT_PER_CHUNK + 2)):
        engine.apply(batch)
    assert batch.result["new"] == 30


# --- a row failing as its chunk is written --------------------------------------------------


def test_a_row_failing_at_write_time_is_reported_and_its_chunk_written_without_it(
    settings, officer, villages, tree
):
    """Someone registers a household through the form between the moment the chunk was read
    and the moment it is written: the constraint holds, that row is refused with the form's
    message, the others are written."""
    known = register_family(
        officer, villages[1], year=YEAR - 1, head_name="Lò Văn Đến Trước", head_birth_year=1977
    ).household
    rows = [household_row(villages[i % 3], name=f"Lò Văn {i}", birth=1950 + i) for i in range(6)]
    rows.insert(3, household_row(villages[1], name="Lò Văn Đến Trước", birth=1977))
    batch = check(officer, "households", tree["commune"], households_file(tree, rows))
    assert batch.counts["new"] == 7
    run = engine._Run(batch)
    run.open()
    run.importer = run.kind.importer(run.context)
    (chunk,) = run.chunks(1000)
    decided = run.decide(chunk, 7)
    assert [outcome for _row, outcome, _plan in decided] == ["new"] * 7
    learning_services.register_household(by=officer, year=YEAR, household=known)  # meanwhile
    with transaction.atomic():
        written = run.write(decided)
    assert [outcome for _row, outcome in written] == ["new"] * 3 + [None] + ["new"] * 3
    assert [(p["row"], p["message"]) for p in run.log.items] == [
        (5, f"Lò Văn Đến Trước đã được đăng ký danh hiệu gia đình học tập năm {YEAR}.")
    ]
    assert Registration.objects.filter(year=YEAR).count() == 7  # 6 imported, 1 by the form
    assert known.registrations.get(year=YEAR).events.count() == 1


def test_valid_rows_only_keeps_the_chunks_written_before_an_interruption_message(
    officer, villages, tree
):
    batch = check(
        officer, "households", tree["commune"],
        filled("households", tree["commune"], [household_row(villages[0])]),
    )  # fmt: skip
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.IMPORTING, mode=ImportMode.VALID
    )
    engine.interrupt(ImportBatch.objects.filter(pk=batch.pk))
    batch.refresh_from_db()
    assert "Những dòng đã nhập trước khi bị gián đoạn được giữ lại" in batch.message
