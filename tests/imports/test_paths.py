"""All or nothing, the valid rows only, importing twice, and failures that roll one import back."""

import pytest

from lib.errors import DomainError
from models_learning.models import Household, Registration, RegistrationEvent
from tests.factories import UserFactory
from tests.imports.conftest import YEAR, check, filled, household_row
from tests.models_learning.factories import register_family
from transfers.imports import services
from transfers.models import ImportMode, ImportStatus
from units.models import AuditEntry, Membership
from units.scoping import forget_scope

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Household.objects.count(),
        Registration.objects.count(),
        RegistrationEvent.objects.count(),
    )


def twenty(villages):
    return [
        household_row(villages[i % 3], name=f"Lò Văn Số {i}", birth=1950 + i) for i in range(20)
    ]


def upload(officer, tree, rows):
    return check(
        officer, "households", tree["commune"], filled("households", tree["commune"], rows)
    )


def test_import_all_is_refused_while_a_row_is_invalid_and_nothing_is_written(
    officer, villages, tree
):
    rows = twenty(villages)
    rows[4]["year"] = YEAR + 5
    batch = upload(officer, tree, rows)
    assert batch.counts["invalid"] == 1
    with pytest.raises(DomainError, match="1 dòng không hợp lệ"):
        services.import_batch(batch, by=officer, mode=ImportMode.ALL)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.READY
    assert snapshot() == (0, 0, 0)


def test_import_all_writes_every_row(officer, villages, tree):
    batch = upload(officer, tree, twenty(villages))
    batch = services.import_batch(batch, by=officer, mode=ImportMode.ALL)
    assert batch.status == ImportStatus.IMPORTED
    assert batch.result["new"] == 20
    assert snapshot() == (20, 20, 20)
    audit = AuditEntry.objects.get(action="import.households")
    assert audit.actor == officer
    assert audit.changes["new"] == 20


def test_valid_rows_only_skips_the_invalid_ones_and_reports_them(officer, villages, tree):
    rows = twenty(villages)
    rows[2]["head_name"] = ""
    rows[7]["village"] = "Bản Không Có"
    batch = upload(officer, tree, rows)
    assert batch.counts["invalid"] == 2
    batch = services.import_batch(batch, by=officer, mode=ImportMode.VALID)
    assert batch.status == ImportStatus.IMPORTED
    assert batch.result == {"new": 18, "updated": 0, "unchanged": 0, "skipped": 2}
    assert snapshot() == (18, 18, 18)
    assert sorted(p["row"] for p in batch.problems) == [4, 9]


def test_valid_rows_only_needs_a_valid_row(officer, villages, tree):
    batch = upload(officer, tree, [household_row(villages[0], name="")])
    with pytest.raises(DomainError):
        services.import_batch(batch, by=officer, mode=ImportMode.VALID)


def test_a_batch_is_imported_once(officer, villages, tree):
    batch = upload(officer, tree, twenty(villages))
    services.import_batch(batch, by=officer, mode=ImportMode.ALL)
    with pytest.raises(DomainError, match="đã nhập"):
        services.import_batch(batch, by=officer, mode=ImportMode.ALL)
    assert snapshot() == (20, 20, 20)


def test_importing_the_same_file_again_changes_nothing(officer, villages, tree):
    data = filled("households", tree["commune"], twenty(villages))
    first = check(officer, "households", tree["commune"], data)
    services.import_batch(first, by=officer, mode=ImportMode.ALL)
    before = (snapshot(), list(Household.objects.values_list("updated_at", flat=True)))
    again = check(officer, "households", tree["commune"], data)
    assert again.counts == {"total": 20, "new": 0, "updated": 0, "unchanged": 20, "invalid": 0}
    again = services.import_batch(again, by=officer, mode=ImportMode.ALL)
    assert again.result == {"new": 0, "updated": 0, "unchanged": 20, "skipped": 0}
    assert (snapshot(), list(Household.objects.values_list("updated_at", flat=True))) == before


def test_a_row_turned_invalid_after_the_check_rolls_the_whole_import_back(
    officer, sibling_officer, villages, sibling_villages, tree
):
    rows = twenty(villages)
    batch = upload(officer, tree, rows)
    assert batch.counts["new"] == 20
    # Meanwhile the sibling commune registered, last year, a household like row 12's.
    register_family(
        sibling_officer, sibling_villages[0], year=YEAR - 1, head_name="Lò Văn Số 10",
        head_birth_year=1960,
    )  # fmt: skip
    batch = services.import_batch(batch, by=officer, mode=ImportMode.ALL)
    assert batch.status == ImportStatus.FAILED
    assert "chưa nhập dòng nào" in batch.message
    assert [p["row"] for p in batch.problems] == [12]
    assert Registration.objects.filter(unit=tree["commune"]).count() == 0
    assert not AuditEntry.objects.filter(action="import.households").exists()


def test_one_import_failing_leaves_another_import_alone(officer, villages, tree):
    good = upload(officer, tree, twenty(villages)[:5])
    bad = upload(officer, tree, twenty(villages)[10:15])
    bad.file.delete(save=False)  # the stored file vanished: this import cannot read it again
    bad = services.import_batch(bad, by=officer, mode=ImportMode.ALL)
    assert bad.status == ImportStatus.FAILED
    good = services.import_batch(good, by=officer, mode=ImportMode.ALL)
    assert good.status == ImportStatus.IMPORTED
    assert Registration.objects.count() == 5


def test_an_officer_who_lost_the_commune_imports_nothing(officer, villages, tree):
    batch = upload(officer, tree, twenty(villages))
    Membership.objects.filter(user=officer).delete()
    forget_scope(officer)
    batch = services.import_batch(batch, by=officer, mode=ImportMode.ALL)
    assert batch.status == ImportStatus.FAILED
    assert "không được nhập dữ liệu vào Xã Mường Phăng" in batch.problems[0]["message"]
    assert snapshot() == (0, 0, 0)


def test_only_the_uploader_imports(officer, province_officer, villages, tree):
    batch = upload(officer, tree, twenty(villages)[:2])
    with pytest.raises(DomainError, match="Chỉ người đã tải tệp lên"):
        services.import_batch(batch, by=province_officer, mode=ImportMode.ALL)


def test_the_page_offers_the_imports_the_service_allows(officer, province_officer, villages, tree):
    rows = twenty(villages)[:3]
    clean = upload(officer, tree, rows)
    assert services.import_modes(clean, officer) == {ImportMode.ALL}
    assert services.import_modes(clean, province_officer) == set()
    assert services.import_modes(clean, UserFactory(is_superuser=True)) == {ImportMode.ALL}
    rows[1] = {**rows[1], "village": "Bản Không Có"}
    assert services.import_modes(upload(officer, tree, rows), officer) == {ImportMode.VALID}
    broken = upload(officer, tree, [rows[1]])
    assert services.import_modes(broken, officer) == set()
    services.import_batch(clean, by=officer, mode=ImportMode.ALL)
    clean.refresh_from_db()
    assert services.import_modes(clean, officer) == set()
