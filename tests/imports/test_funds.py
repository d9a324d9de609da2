"""Fund receipts and award recipients from Excel: checked row by row, nothing written before
the choice, the same file twice changes nothing (by voucher number), the fund's rules hold."""

import pytest

from funds.models import Entry, Fund, Recipient
from tests.factories import make_member
from tests.funds import builders
from tests.helpers import refused
from tests.imports.conftest import check, filled, problems_of
from transfers.imports import services
from transfers.imports.kinds import importable_communes
from transfers.models import ImportBatch, ImportMode, ImportStatus
from units.models import Role

pytestmark = pytest.mark.django_db

DAY = builders.JAN


@pytest.fixture
def fund(tree):
    return builders.make_fund(tree["commune"])


@pytest.fixture
def keeper(tree, officer):
    make_member(tree["commune"], Role.TREASURER, user=officer)
    return officer


def receipt(voucher, amount, donor="Bà Lò Thị Xuân", named="Có", fund="Quỹ khuyến học xã"):
    return {
        "fund": fund,
        "voucher": voucher,
        "date": DAY,
        "amount": amount,
        "category": "Cá nhân ủng hộ",
        "counterparty": donor,
        "named": named,
        "method": "Tiền mặt",
    }


def imported(user, batch, mode=ImportMode.ALL):
    batch = services.import_batch(batch, by=user, mode=mode)
    assert batch.status == ImportStatus.IMPORTED, batch.problems
    return batch


def test_receipts_import_once_by_voucher_number(tree, keeper, fund):
    rows = [receipt("PT-17", 1_500_000), receipt("PT-18", 200_000, donor="Ông A", named="Không")]
    data = filled("fund-receipts", tree["commune"], rows)
    batch = check(keeper, "fund-receipts", tree["commune"], data)
    assert batch.counts["new"] == 2
    assert not Entry.objects.exists()  # nothing written before the choice
    imported(keeper, batch)
    entries = list(Entry.objects.order_by("number"))
    assert [(e.voucher, e.source_ref, e.amount, e.named_publicly) for e in entries] == [
        (f"PT-0001/{builders.YEAR}", "PT-17", 1_500_000, True),
        (f"PT-0002/{builders.YEAR}", "PT-18", 200_000, False),
    ]
    again = check(keeper, "fund-receipts", tree["commune"], data)
    assert again.counts["unchanged"] == 2
    imported(keeper, again)
    assert Entry.objects.count() == 2
    fund.refresh_from_db()
    assert fund.balance == 1_700_000


def test_a_voucher_posted_with_other_figures_is_refused_not_changed(tree, keeper, fund):
    imported(
        keeper,
        check(
            keeper,
            "fund-receipts",
            tree["commune"],
            filled("fund-receipts", tree["commune"], [receipt("PT-17", 1_000)]),
        ),
    )
    changed = check(
        keeper,
        "fund-receipts",
        tree["commune"],
        filled("fund-receipts", tree["commune"], [receipt("PT-17", 9_000)]),
    )
    assert changed.counts["invalid"] == 1
    assert "không bao giờ được sửa" in " ".join(problems_of(changed).values())
    assert Entry.objects.get().amount == 1_000


def test_bad_rows_are_named_and_a_closed_year_refuses(tree, keeper, fund):
    builders.receive(fund, 1_000, date=builders.JAN)
    from funds import services as fund_services

    fund_services.close_year(fund, builders.YEAR - 1, by=None)
    rows = [
        receipt("PT-1", 0),
        receipt("PT-2", 5_000, fund="Quỹ không có"),
        {**receipt("PT-3", 5_000), "date": builders.JAN.replace(year=builders.YEAR - 1)},
        receipt("PT-4", 5_000),
    ]
    batch = check(
        keeper, "fund-receipts", tree["commune"], filled("fund-receipts", tree["commune"], rows)
    )
    assert batch.counts["invalid"] == 3 and batch.counts["new"] == 1
    imported(keeper, batch, mode=ImportMode.VALID)
    assert Entry.objects.filter(source_ref="PT-4").exists()
    assert Entry.objects.count() == 2


def test_an_officer_who_keeps_no_fund_imports_nothing(tree, officer, fund):
    data = filled("fund-receipts", tree["commune"], [receipt("PT-1", 5_000)])
    refused(lambda: check(officer, "fund-receipts", tree["commune"], data), field="unit")
    assert not ImportBatch.objects.exists()
    assert not Entry.objects.exists()


def test_a_keeper_who_is_no_officer_imports_the_fund_s_sheets_and_nothing_else(tree, fund):
    keeper = make_member(tree["commune"], Role.TREASURER)
    assert list(importable_communes(keeper)) == [tree["commune"]]
    assert list(importable_communes(keeper, "fund-receipts")) == [tree["commune"]]
    assert not importable_communes(keeper, "households").exists()
    data = filled("fund-receipts", tree["commune"], [receipt("PT-1", 5_000)])
    imported(keeper, check(keeper, "fund-receipts", tree["commune"], data))
    assert Entry.objects.get().source_ref == "PT-1"
    households = filled("households", tree["commune"], [])
    refused(lambda: check(keeper, "households", tree["commune"], households), field="unit")


def test_recipients_fill_an_unpaid_list_once(tree, keeper, fund):
    programme = builders.make_programme(fund, pupils=[])
    rows = [
        {
            "programme": programme.name,
            "name": "Lò Thị Mai",
            "school": "Trường THCS Mường Phăng",
            "grade": "7A",
        },
        {
            "programme": programme.name,
            "name": "Giàng A Sử",
            "school": "Trường TH Mường Phăng",
            "amount": 700_000,
        },
    ]
    data = filled("fund-recipients", tree["commune"], rows)
    imported(keeper, check(keeper, "fund-recipients", tree["commune"], data))
    assert sorted(Recipient.objects.values_list("name", "amount")) == [
        ("Giàng A Sử", 700_000),
        ("Lò Thị Mai", 500_000),
    ]
    again = check(keeper, "fund-recipients", tree["commune"], data)
    assert again.counts["unchanged"] == 2
    assert Fund.objects.count() == 1
