"""Households with their registration: each column checked, the services' rules, what changes."""

import unicodedata

import pytest

from models_learning.models import Household, ModelKind, Registration, RegistrationEvent
from tests.imports.conftest import YEAR, check, filled, household_row, problems_of
from tests.models_learning.factories import register_family
from transfers.imports import services
from transfers.models import ImportMode, ImportStatus

pytestmark = pytest.mark.django_db

HEAD, BIRTH, VILLAGE, YEAR_COLUMN = (
    "Họ tên chủ hộ",
    "Năm sinh chủ hộ",
    "Thôn, bản",
    "Năm đăng ký",
)


def checked(officer, tree, rows):
    return check(
        officer, "households", tree["commune"], filled("households", tree["commune"], rows)
    )


def test_a_valid_file_is_checked_and_nothing_is_written(officer, villages, tree):
    batch = checked(
        officer,
        tree,
        [household_row(villages[0]), household_row(villages[1], name="Lò Thị Ơn", birth=1980)],
    )
    assert batch.status == ImportStatus.READY
    assert batch.counts == {"total": 2, "new": 2, "updated": 0, "unchanged": 0, "invalid": 0}
    assert batch.problems == []
    assert not Household.objects.exists()
    assert not Registration.objects.exists()
    assert not RegistrationEvent.objects.exists()


def test_importing_registers_each_household_through_the_service(officer, villages, tree):
    batch = checked(officer, tree, [household_row(villages[0], phone="0912 345 678")])
    batch = services.import_batch(batch, by=officer, mode=ImportMode.ALL)
    assert batch.status == ImportStatus.IMPORTED
    assert batch.result == {"new": 1, "updated": 0, "unchanged": 0, "skipped": 0}
    registration = Registration.objects.get()
    assert (registration.kind, registration.year, registration.unit) == (
        ModelKind.FAMILY,
        YEAR,
        tree["commune"],
    )
    assert registration.entered_by == officer
    assert registration.household.village == villages[0]
    assert registration.household.phone == "0912 345 678"
    # The same history as the form: one "register" event by the officer.
    event = registration.events.get()
    assert (event.action, event.actor) == ("register", officer)


def test_a_missing_name_is_reported_by_row_and_column(officer, villages, tree):
    batch = checked(
        officer, tree, [household_row(villages[0]), household_row(villages[1], name="")]
    )
    assert batch.counts["invalid"] == 1
    assert problems_of(batch) == {(3, HEAD): "Ô này bắt buộc: hãy điền vào."}


def test_an_unknown_village_is_refused_with_the_allowed_ones(officer, villages, tree):
    row = household_row(villages[0])
    row["village"] = "Bản Không Có"
    batch = checked(officer, tree, [row])
    message = problems_of(batch)[(2, VILLAGE)]
    assert "“Bản Không Có” không thuộc các giá trị cho phép" in message
    assert "“Bản Co Muông”" in message


def test_a_village_of_another_commune_is_unknown_here(officer, villages, sibling_villages, tree):
    row = household_row(villages[0])
    row["village"] = sibling_villages[0].name
    batch = checked(officer, tree, [row])
    assert (2, VILLAGE) in problems_of(batch)


@pytest.mark.parametrize("year", [YEAR - 3, YEAR + 2, 1990])
def test_a_year_out_of_range_is_refused(officer, villages, tree, year):
    batch = checked(officer, tree, [household_row(villages[0], year=year)])
    message = problems_of(batch)[(2, YEAR_COLUMN)]
    assert f"“{year}” không thuộc các giá trị cho phép" in message
    assert f"“{YEAR}”" in message


def test_a_birth_year_in_the_future_or_not_a_year_is_refused(officer, villages, tree):
    batch = checked(
        officer,
        tree,
        [
            household_row(villages[0], birth=YEAR + 1),
            household_row(villages[1], name="Lò Thị Ơn", birth="năm bảy lăm"),
        ],
    )
    problems = problems_of(batch)
    assert "quá lớn" in problems[(2, BIRTH)] or "ngoài khoảng" in problems[(2, BIRTH)]
    assert "không phải là năm" in problems[(3, BIRTH)]


def test_a_phone_too_long_is_refused(officer, villages, tree):
    batch = checked(officer, tree, [household_row(villages[0], phone="0" * 31)])
    assert "tối đa 30" in problems_of(batch)[(2, "Điện thoại")]


def test_duplicate_rows_inside_the_file_are_refused_after_the_first(officer, villages, tree):
    batch = checked(
        officer,
        tree,
        [
            household_row(villages[0]),
            household_row(villages[1], name="Lò Thị Ơn"),
            household_row(villages[0], name="lò văn  piếng"),  # same household, typed differently
        ],
    )
    assert batch.counts == {"total": 3, "new": 2, "updated": 0, "unchanged": 0, "invalid": 1}
    assert "Dòng này trùng với dòng 2" in problems_of(batch)[(4, None)]


def test_rows_without_a_birth_year_are_still_compared_for_duplicates(officer, villages, tree):
    batch = checked(
        officer,
        tree,
        [household_row(villages[0], birth=None), household_row(villages[0], birth=None)],
    )
    assert batch.counts["invalid"] == 1


def test_a_duplicate_of_an_existing_registration_elsewhere_is_refused(
    officer, sibling_officer, villages, sibling_villages, tree
):
    register_family(
        sibling_officer, sibling_villages[0], year=YEAR - 1, head_name="Lò Văn Piếng",
        head_birth_year=1975,
    )  # fmt: skip
    batch = checked(officer, tree, [household_row(villages[0])])
    message = problems_of(batch)[(2, HEAD)]
    assert "trùng với một hồ sơ đăng ký đã có (Phường Mường Thanh" in message
    assert Registration.objects.count() == 1


def test_a_household_already_registered_that_year_is_unchanged(officer, villages, tree):
    register_family(officer, villages[0], year=YEAR, head_name="Lò Văn Piếng", head_birth_year=1975)
    batch = checked(officer, tree, [household_row(villages[0])])
    assert batch.counts == {"total": 1, "new": 0, "updated": 0, "unchanged": 1, "invalid": 0}


def test_a_known_household_is_registered_for_a_new_year(officer, villages, tree):
    registration = register_family(
        officer, villages[0], year=YEAR, head_name="Lò Văn Piếng", head_birth_year=1975
    )
    batch = checked(officer, tree, [household_row(villages[0], year=YEAR + 1)])
    assert batch.counts["new"] == 1
    services.import_batch(batch, by=officer, mode=ImportMode.ALL)
    assert Household.objects.count() == 1
    assert registration.household.registrations.count() == 2


def test_a_new_address_or_phone_updates_the_household(officer, villages, tree):
    registration = register_family(
        officer, villages[0], year=YEAR, head_name="Lò Văn Piếng", head_birth_year=1975
    )
    batch = checked(officer, tree, [household_row(villages[0], address="Bản Co Muông, nhà 12")])
    assert batch.counts["updated"] == 1
    services.import_batch(batch, by=officer, mode=ImportMode.ALL)
    registration.household.refresh_from_db()
    assert registration.household.address == "Bản Co Muông, nhà 12"


def test_decomposed_text_and_stray_spaces_are_normalised_not_refused(officer, villages, tree):
    name = unicodedata.normalize("NFD", "  Lò   Văn\u00a0Piếng ")
    village = unicodedata.normalize("NFD", f" {villages[0].name}  ")
    batch = checked(
        officer,
        tree,
        [{"head_name": name, "head_birth_year": 1975, "village": village, "year": f" {YEAR} "}],
    )
    assert batch.counts["new"] == 1, batch.problems
    services.import_batch(batch, by=officer, mode=ImportMode.ALL)
    household = Household.objects.get()
    assert household.head_name == unicodedata.normalize("NFC", "Lò Văn Piếng")
    assert household.village == villages[0]


def test_a_row_of_another_commune_is_refused(officer, villages, tree):
    batch = checked(officer, tree, [household_row(villages[0], commune="Phường Mường Thanh")])
    assert "thuộc “Phường Mường Thanh”" in problems_of(batch)[(2, "Xã, phường")]


def test_the_commune_column_may_name_this_commune_in_any_usual_way(officer, villages, tree):
    rows = [
        household_row(villages[0], commune="Xã Mường Phăng"),
        household_row(villages[1], name="Lò Thị Ơn", commune="mường phăng"),
    ]
    assert checked(officer, tree, rows).counts["invalid"] == 0


def test_the_status_column_of_an_export_is_ignored(officer, villages, tree):
    batch = checked(officer, tree, [household_row(villages[0], status="Đã công nhận")])
    assert batch.counts["new"] == 1
