"""The cash book (sổ quỹ) export: the viewer's own funds, one row per voucher, in book order."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funds import services
from tests.files import body
from tests.funds import builders

pytestmark = pytest.mark.django_db


def _rows(response):
    sheet = load_workbook(io.BytesIO(body(response))).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2) if row[0].value]


def test_the_cash_book_lists_the_vouchers_of_the_viewers_funds(
    client, tree, officer, sibling_officer
):
    fund = builders.make_fund(tree["commune"])
    builders.receive(fund, 2_000_000, donor="Bà Lò Thị Xuân")
    wrong = builders.pay(fund, 300_000, to="Lò Văn Tú")
    services.reverse_entry(wrong, by=None, date=builders.JAN, reason="nhầm")
    other = builders.make_fund(tree["sibling"], name="Quỹ khuyến học phường")
    builders.receive(other, 9_000_000)
    url = reverse("exports:fund-book-xlsx") + f"?year={builders.YEAR}"
    client.force_login(officer)
    rows = _rows(client.get(url))
    year = builders.YEAR
    assert [(r[2], r[5], r[6], r[7]) for r in rows] == [
        (f"PC-0001/{year}", "Lò Văn Tú", None, 300_000),
        (f"PC-0002/{year}", "Lò Văn Tú", None, -300_000),
        (f"PT-0001/{year}", "Bà Lò Thị Xuân", 2_000_000, None),
    ]
    client.force_login(sibling_officer)
    assert [r[2] for r in _rows(client.get(url))] == [f"PT-0001/{year}"]
    csv = client.get(reverse("exports:fund-book-csv") + "?year=abc&fund=<x>")
    assert csv.status_code == 200
