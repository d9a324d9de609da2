"""The fund's book: numbering, immutability, balances, reversals, closing, award lists."""

import datetime

import pytest
from django.db.models import Sum

from funds import services, workflow
from funds.models import (
    Category,
    Entry,
    EntryKind,
    Fund,
    ImmutableEntry,
    Period,
    PeriodStatus,
    ProgrammeStatus,
)
from tests.funds import builders
from tests.funds.builders import JAN, YEAR
from tests.helpers import refused

pytestmark = pytest.mark.django_db


def _book_balance(fund):
    rows = dict(
        Entry.objects.filter(fund=fund).values_list("kind").annotate(t=Sum("amount")).order_by()
    )
    return (rows.get(EntryKind.RECEIPT) or 0) - (rows.get(EntryKind.PAYMENT) or 0)


def test_vouchers_are_numbered_per_fund_year_and_kind(fund, sibling_fund):
    first = builders.receive(fund, 1_000_000)
    second = builders.receive(fund, 2_000_000)
    payment = builders.pay(fund, 300_000)
    other = builders.receive(sibling_fund, 5_000)
    last_year = builders.receive(fund, 10_000, date=datetime.date(YEAR - 1, 12, 31))
    assert [first.voucher, second.voucher, payment.voucher] == [
        f"PT-0001/{YEAR}",
        f"PT-0002/{YEAR}",
        f"PC-0001/{YEAR}",
    ]
    assert other.voucher == f"PT-0001/{YEAR}"
    assert last_year.voucher == f"PT-0001/{YEAR - 1}"


def test_amounts_are_whole_dong_typed_with_thousands_grouped(fund):
    assert builders.receive(fund, "1.500.000").amount == 1_500_000
    assert builders.receive(fund, "2 000 000 đ").amount == 2_000_000
    for bad in ("1,5", 0, -5, "abc", 12.5, "", None, True, "１２３"):
        refused(lambda bad=bad: builders.receive(fund, bad), field="amount")
    assert Entry.objects.count() == 2


def test_a_posted_entry_is_never_changed_or_deleted(fund):
    entry = builders.receive(fund, 1_000_000)
    entry.amount = 1
    with pytest.raises(ImmutableEntry):
        entry.save()
    with pytest.raises(ImmutableEntry):
        entry.delete()
    with pytest.raises(ImmutableEntry):
        Entry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(ImmutableEntry):
        Entry.objects.filter(pk=entry.pk).delete()
    assert Entry.objects.get(pk=entry.pk).amount == 1_000_000


def test_a_payment_beyond_the_balance_is_refused(fund, english):
    builders.receive(fund, 1_000_000)
    refused(lambda: builders.pay(fund, 1_000_001), field="amount", contains="below zero")
    fund.refresh_from_db()
    assert fund.balance == 1_000_000
    assert Entry.objects.filter(kind=EntryKind.PAYMENT).count() == 0
    assert builders.pay(fund, 1_000_000).number == 1
    fund.refresh_from_db()
    assert fund.balance == 0


def test_a_fund_that_allows_it_goes_below_zero(tree):
    fund = builders.make_fund(tree["commune"], allow_negative=True)
    builders.pay(fund, 700_000)
    fund.refresh_from_db()
    assert fund.balance == -700_000 == _book_balance(fund)


def test_a_reversing_entry_restores_the_balance_and_names_the_entry(fund, english):
    builders.receive(fund, 3_000_000)
    wrong = builders.pay(fund, 1_200_000)
    reversal = services.reverse_entry(wrong, by=None, date=JAN, reason="typed twice")
    fund.refresh_from_db()
    assert fund.balance == 3_000_000 == _book_balance(fund)
    assert reversal.reverses == wrong
    assert reversal.amount == -1_200_000
    assert reversal.kind == EntryKind.PAYMENT
    assert reversal.voucher == f"PC-0002/{YEAR}"
    assert wrong.voucher in reversal.description
    refused(
        lambda: services.reverse_entry(wrong, by=None, date=JAN, reason="again"),
        contains="already been reversed",
    )
    refused(lambda: services.reverse_entry(reversal, by=None, date=JAN, reason="x"))


def test_reversing_a_receipt_is_refused_when_the_money_is_spent(fund, english):
    receipt = builders.receive(fund, 1_000_000)
    builders.pay(fund, 800_000)
    refused(
        lambda: services.reverse_entry(receipt, by=None, date=JAN, reason="bounced"),
        contains="below zero",
    )
    assert not Entry.objects.filter(reverses=receipt).exists()


def test_a_closed_year_refuses_entries_and_corrections_go_in_the_next(fund, english):
    old = datetime.date(YEAR - 1, 6, 1)
    wrong = builders.receive(fund, 900_000, date=old)
    services.close_year(fund, YEAR - 1, by=None)
    refused(lambda: builders.receive(fund, 1, date=old), field="date", contains="is closed")
    refused(
        lambda: services.reverse_entry(wrong, by=None, date=old, reason="x"),
        field="date",
        contains="is closed",
    )
    reversal = services.reverse_entry(wrong, by=None, date=JAN, reason="not ours")
    assert reversal.year == YEAR
    period = Period.objects.get(fund=fund, year=YEAR - 1)
    assert (period.opening_balance, period.receipts, period.payments, period.closing_balance) == (
        0,
        900_000,
        0,
        900_000,
    )


def test_closing_freezes_the_figures_and_the_next_year_opens_with_them(fund):
    builders.receive(fund, 5_000_000, date=datetime.date(YEAR - 1, 3, 1))
    builders.pay(fund, 1_000_000, date=datetime.date(YEAR - 1, 9, 5))
    builders.receive(fund, 2_000_000)
    builders.pay(fund, 500_000)
    first = services.close_year(fund, YEAR - 1, by=None)
    second = services.close_year(fund, YEAR, by=None)
    assert first.closing_balance == 4_000_000 == second.opening_balance
    assert second.closing_balance == 5_500_000
    fund.refresh_from_db()
    assert fund.balance == second.closing_balance


def test_a_year_closes_only_after_the_years_before_it(fund, english):
    builders.receive(fund, 1_000, date=datetime.date(YEAR - 1, 3, 1))
    builders.receive(fund, 1_000)
    refused(lambda: services.close_year(fund, YEAR, by=None), contains=str(YEAR - 1))
    assert Period.objects.get(fund=fund, year=YEAR).status == PeriodStatus.OPEN


def test_the_level_above_approves_or_returns_a_closing(
    tree, fund, keepers, officer, province_staff, english
):
    builders.receive(fund, 1_000, by=officer)
    period = services.close_year(fund, YEAR, by=officer)
    refused(lambda: services.approve_closing(period, by=officer), contains="level above")
    refused(lambda: services.return_closing(period, by=province_staff, reason=""), field="reason")
    services.return_closing(period, by=province_staff, reason="Thiếu phiếu chi tháng 9")
    period.refresh_from_db()
    assert period.status == PeriodStatus.RETURNED
    builders.pay(fund, 500, by=officer)
    period = services.close_year(fund, YEAR, by=officer)
    assert period.payments == 500
    services.approve_closing(period, by=province_staff, note="Đúng")
    period.refresh_from_db()
    assert period.status == PeriodStatus.APPROVED
    actions = list(period.events.values_list("action", "actor__username"))
    assert actions == [
        ("open", "officer"),
        ("close", "officer"),
        ("return", "province"),
        ("close", "officer"),
        ("approve", "province"),
    ]
    refused(lambda: services.return_closing(period, by=province_staff, reason="x"))


def test_only_the_keeper_posts_and_closes(tree, fund, officer, sibling_officer, keepers, english):
    refused(lambda: builders.receive(fund, 1_000, by=sibling_officer), contains="fund keeper")
    builders.receive(fund, 1_000, by=officer)
    refused(lambda: services.close_year(fund, YEAR, by=sibling_officer), contains="fund keeper")


def test_an_officer_without_the_keeper_role_cannot_post(tree, fund, officer, english):
    refused(lambda: builders.receive(fund, 1_000, by=officer), contains="fund keeper")
    assert not workflow.can(workflow.check_post_entry, officer, fund)


def test_future_dates_and_years_before_the_book_are_refused(fund):
    refused(
        lambda: builders.receive(fund, 1, date=builders.TODAY + datetime.timedelta(days=1)),
        field="date",
    )
    refused(lambda: builders.receive(fund, 1, date=datetime.date(YEAR - 5, 1, 1)), field="date")
    assert not Entry.objects.exists()


def test_paying_a_list_writes_one_voucher_per_recipient_in_one_go(fund):
    builders.receive(fund, 10_000_000)
    programme = builders.make_programme(fund)
    services.pay_programme(programme, by=None, date=JAN)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.PAID
    payments = Entry.objects.filter(fund=fund, kind=EntryKind.PAYMENT)
    assert payments.count() == 10
    assert sorted(payments.values_list("number", flat=True)) == list(range(1, 11))
    assert set(payments.values_list("category", flat=True)) == {Category.SCHOLARSHIP}
    assert programme.recipients.filter(entry__isnull=True).count() == 0
    fund.refresh_from_db()
    assert fund.balance == 5_000_000
    refused(lambda: services.pay_programme(programme, by=None, date=JAN))
    refused(lambda: services.add_recipient(programme, by=None, name="Muộn"))


def test_a_list_the_fund_cannot_pay_pays_no_one(fund, english):
    builders.receive(fund, 4_999_999)
    programme = builders.make_programme(fund)
    refused(lambda: services.pay_programme(programme, by=None, date=JAN), contains="totals")
    assert not Entry.objects.filter(kind=EntryKind.PAYMENT).exists()
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.DRAFT


def test_a_merged_communes_fund_passes_to_its_successor_once(tree, fund):
    old = builders.make_fund(tree["old_commune"], name="Quỹ khuyến học xã Nà Nhạn", first_year=2024)
    builders.receive(old, 7_000_000, date=datetime.date(2025, 3, 1))
    out, inn = services.transfer_fund(old, fund, by=None, date=datetime.date(2025, 7, 1))
    old.refresh_from_db()
    fund.refresh_from_db()
    assert (old.balance, fund.balance) == (0, 7_000_000)
    assert inn.counterpart == out
    assert (out.category, inn.category) == (Category.TRANSFER_OUT, Category.TRANSFER_IN)
    assert old.successor == fund and old.ended_on == datetime.date(2025, 7, 1)
    refused(lambda: services.transfer_fund(old, fund, by=None, date=JAN))
    refused(lambda: builders.receive(old, 1))


def test_fund_names_are_unique_in_a_unit(tree, fund):
    refused(lambda: builders.make_fund(tree["commune"], name="quỹ khuyến học xã"), field="name")
    assert Fund.objects.count() == 1


def test_the_successors_keeper_closes_the_last_year_of_a_merged_fund(
    tree, fund, keepers, officer, sibling_officer, english
):
    old = builders.make_fund(tree["old_commune"], name="Quỹ xã Nà Nhạn", first_year=2025)
    builders.receive(old, 3_000_000, date=datetime.date(2025, 3, 1))
    services.transfer_fund(old, fund, by=officer, date=datetime.date(2025, 7, 1))
    refused(lambda: services.close_year(old, 2025, by=sibling_officer), contains="fund keeper")
    period = services.close_year(old, 2025, by=officer)
    assert (period.receipts, period.payments, period.closing_balance) == (3_000_000, 3_000_000, 0)
    refused(lambda: builders.receive(old, 1, by=officer), contains="ended")
