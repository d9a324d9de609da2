"""The funds' staff pages: posting through the form, nothing changes a posted entry (no URL,
a read-only admin), bad input answered in place, the award PDFs, pinned query counts."""

import unicodedata

import pytest
from django.urls import URLPattern, get_resolver, reverse

from funds.models import Entry, EntryKind, Period, PeriodStatus
from tests.centers.builders import pdf_upload
from tests.certificates.pdfs import text_of
from tests.factories import UserFactory
from tests.files import body
from tests.funds import builders
from tests.funds.builders import JAN, YEAR

pytestmark = pytest.mark.django_db


def _flat(text):
    """PDF text on one line (a cell wraps a name), in NFC."""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _receipt_data(**changes):
    return {
        "date": JAN.isoformat(),
        "amount": "1.500.000",
        "category": "organisation",
        "counterparty": "Công ty Điện lực Điện Biên",
        "method": "bank",
        "named_publicly": "on",
        **changes,
    }


def test_the_keeper_posts_a_receipt_with_its_private_scan(client, keepers, officer, fund):
    client.force_login(officer)
    url = reverse("funds:entry-create", args=[fund.pk]) + "?kind=receipt"
    response = client.post(url, _receipt_data(file=pdf_upload()))
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("funds:entry-detail", args=[entry.pk])
    assert (entry.voucher, entry.amount, entry.named_publicly) == (
        f"PT-0001/{YEAR}",
        1_500_000,
        True,
    )
    assert entry.posted_by == officer
    scan = client.get(reverse("funds:entry-evidence", args=[entry.pk]))
    assert body(scan).startswith(b"%PDF")
    assert scan["Cache-Control"] == "private, no-store"
    page = client.get(reverse("funds:entry-detail", args=[entry.pk]))
    assert "1.500.000 đ" in page.text


def test_a_scan_is_named_by_its_content_and_stored_under_a_random_name(
    client, keepers, officer, fund
):
    client.force_login(officer)
    url = reverse("funds:entry-create", args=[fund.pk]) + "?kind=receipt"
    client.post(url, _receipt_data(file=pdf_upload(name="phieu-thu.html")))
    entry = Entry.objects.get()
    assert entry.evidence_name == "phieu-thu.pdf"
    assert "phieu-thu" not in entry.evidence.name and entry.evidence.name.endswith(".pdf")
    scan = client.get(reverse("funds:entry-evidence", args=[entry.pk]))
    assert "phieu-thu.pdf" in scan["Content-Disposition"]
    assert body(scan).startswith(b"%PDF")


@pytest.mark.parametrize(
    "bad",
    [
        {"amount": "1,5"},
        {"amount": "-100"},
        {"amount": "1e9"},
        {"amount": "99999999999999999999"},
        {"amount": "<script>"},
        {"category": "transfer_in"},
        {"category": "scholarship"},
        {"date": "2999-01-01"},
        {"counterparty": ""},
        {"method": "crypto"},
    ],
)
def test_bad_input_is_answered_on_the_form_and_changes_nothing(client, keepers, officer, fund, bad):
    client.force_login(officer)
    url = reverse("funds:entry-create", args=[fund.pk]) + "?kind=receipt"
    response = client.post(url, _receipt_data(**bad))
    assert response.status_code == 200
    assert "is-invalid" in response.text or "alert-danger" in response.text
    assert not Entry.objects.exists()
    fund.refresh_from_db()
    assert fund.balance == 0


def test_no_url_changes_or_deletes_a_posted_entry(client, keepers, officer, fund):
    entry = builders.receive(fund, 1_000_000)
    entry_urls = [
        str(pattern.pattern)
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLPattern)
    ]
    from funds import urls as fund_urls

    names = {pattern.name for pattern in fund_urls.urlpatterns}
    assert not any(word in name for name in names for word in ("edit", "delete", "update"))
    assert not any("funds" in url for url in entry_urls)
    client.force_login(officer)
    detail = reverse("funds:entry-detail", args=[entry.pk])
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(detail).status_code == 405
    assert Entry.objects.get(pk=entry.pk).amount == 1_000_000


def test_the_admin_shows_entries_and_changes_none(client, fund):
    entry = builders.receive(fund, 1_000_000)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    change = reverse("admin:funds_entry_change", args=[entry.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert client.post(change, {"amount": "1"}).status_code == 403
    delete = reverse("admin:funds_entry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:funds_entry_add")).status_code == 403
    assert Entry.objects.get(pk=entry.pk).amount == 1_000_000


def test_closing_and_approving_through_the_pages(client, keepers, officer, province_staff, fund):
    builders.receive(fund, 2_000_000)
    client.force_login(officer)
    close = reverse("funds:period-close", args=[fund.pk, YEAR])
    assert client.post(close, {}).status_code == 302
    refused = client.post(reverse("funds:entry-create", args=[fund.pk]), _receipt_data())
    assert refused.status_code == 200
    assert Entry.objects.count() == 1
    client.force_login(province_staff)
    approve = reverse("funds:period-approve", args=[fund.pk, YEAR])
    assert client.post(approve, {"note": "Đúng"}).status_code == 302
    period = Period.objects.get(fund=fund, year=YEAR)
    assert period.status == PeriodStatus.APPROVED
    page = client.get(reverse("funds:period-detail", args=[fund.pk, YEAR]))
    assert 'data-action="approve"' in page.text
    assert "2.000.000 đ" in page.text


def test_paying_a_list_and_its_pdfs(client, keepers, officer, fund):
    builders.receive(fund, 10_000_000)
    programme = builders.make_programme(fund)
    client.force_login(officer)
    pay = reverse("funds:programme-pay", args=[programme.pk])
    assert client.post(pay, {"date": JAN.isoformat(), "method": "cash"}).status_code == 302
    assert Entry.objects.filter(kind=EntryKind.PAYMENT).count() == 10
    signatures = client.get(reverse("funds:programme-signatures", args=[programme.pk]))
    text = _flat(text_of(body(signatures)))
    assert "Lò Thị Mai" in text and "Điêu Chính Tâm" in text
    assert "5.000.000 đ" in text
    certificates = client.get(reverse("funds:programme-certificates", args=[programme.pk]))
    pdf = body(certificates)
    assert "GIẤY KHEN" in _flat(text_of(pdf))
    assert "Giàng A Sử" in _flat(text_of(pdf))
    from tests.certificates.pdfs import reader

    assert len(reader(pdf).pages) == 10


def test_the_fund_page_makes_the_same_queries_with_many_entries(
    client, keepers, officer, fund, django_assert_num_queries
):
    builders.receive(fund, 100_000_000)
    builders.make_programme(fund)
    client.force_login(officer)
    url = reverse("funds:fund-detail", args=[fund.pk])
    client.get(url)
    with django_assert_num_queries(11) as few:
        client.get(url)
    for index in range(30):
        builders.pay(fund, 1_000 + index)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("year", ["99999999999", "-1", "abc", "0"])
def test_a_year_out_of_range_shows_the_book_of_a_real_year(client, keepers, officer, fund, year):
    builders.receive(fund, 1_000)
    client.force_login(officer)
    page = client.get(reverse("funds:fund-detail", args=[fund.pk]), {"year": year})
    assert page.status_code == 200
    assert f"PT-0001/{YEAR}" in page.text


def test_a_year_out_of_range_in_the_url_is_a_404(client, keepers, officer, fund):
    client.force_login(officer)
    for name in ("funds:period-detail", "funds:period-close", "funds:period-approve"):
        assert client.get(reverse(name, args=[fund.pk, 99999999999])).status_code == 404
