"""The public accounts (/funds/): figures per province and commune, donors named only with
their consent, never a recipient's name, a payment's payee, a description or a scan."""

import pytest
from django.urls import reverse

from funds import services
from tests.centers.builders import pdf_upload
from tests.funds import builders
from tests.funds.builders import JAN, PUPILS, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune_year(tree, fund):
    services.post_entry(
        fund,
        by=None,
        kind="receipt",
        date=JAN,
        amount=20_000_000,
        category="organisation",
        counterparty="Ngân hàng Nông nghiệp chi nhánh Điện Biên",
        named_publicly=True,
        description="Ghi chú nội bộ: gọi lại anh Tuấn 0912345678",
        evidence=pdf_upload(),
    )
    builders.receive(fund, 3_000_000, donor="Ông Giấu Tên Ẩn Danh")
    bounced = builders.receive(fund, 700_000, donor="Bà Đã Rút Lại", named=True)
    services.reverse_entry(bounced, by=None, date=JAN, reason="nhầm")
    programme = builders.make_programme(fund)
    services.pay_programme(programme, by=None, date=JAN)
    builders.pay(fund, 100_000, to="Cửa hàng văn phòng phẩm Hoa Lan", category="running")
    return fund


def test_the_public_page_of_a_commune_year(client, tree, commune_year):
    page = client.get(reverse("funds-public:unit-year", args=[tree["commune"].pk, YEAR]))
    assert page.status_code == 200
    text = page.text
    assert "Ngân hàng Nông nghiệp chi nhánh Điện Biên: 20.000.000 đ" in text
    assert "23.000.000 đ" in text  # receipts: the reversed gift nets out
    assert "10 · 5.000.000 đ" in text  # ten scholarships
    assert "17.900.000 đ" in text  # closing balance
    for secret in [
        *PUPILS,
        "Giấu Tên",
        "Đã Rút Lại",
        "Hoa Lan",
        "0912345678",
        "Ghi chú nội bộ",
        "Trường THCS",
        "evidence",
        ".pdf",
    ]:
        assert secret not in text, secret


def test_the_province_list_folds_funds_into_their_commune(client, tree, commune_year):
    branch_fund = builders.make_fund(tree["branch"], name="Quỹ khuyến học bản Co Muông")
    builders.receive(branch_fund, 1_000_000)
    page = client.get(reverse("funds-public:accounts"), {"year": YEAR})
    assert page.status_code == 200
    assert "Xã Mường Phăng" in page.text
    assert "Chi hội bản Co Muông" not in page.text
    assert "24.000.000 đ" in page.text
    for pupil in PUPILS:
        assert pupil not in page.text


@pytest.mark.parametrize("query", [{"year": "abc"}, {"year": "20255"}, {"year": "<x>"}])
def test_a_bad_year_is_a_404_page_not_an_error(client, tree, commune_year, query):
    assert client.get(reverse("funds-public:accounts"), query).status_code == 404


def test_a_branch_has_no_public_page_of_its_own(client, tree, commune_year):
    url = reverse("funds-public:unit-year", args=[tree["branch"].pk, YEAR])
    assert client.get(url).status_code == 404
