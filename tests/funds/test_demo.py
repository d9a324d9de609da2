"""The funds' demo data: over 1 billion đồng of awards a year across the province (the
founding report's figure), books that add up, merged funds passed on, labelled demo."""

import io

import pytest
from django.db.models import Sum

from funds import demo
from funds.models import AWARD_PURPOSES, Entry, EntryKind, Fund, Period, PeriodStatus
from lib.dates import this_year
from units import demo as units_demo

pytestmark = pytest.mark.django_db


def test_the_demo_funds_pay_over_a_billion_a_year_and_their_books_add_up():
    units_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    counts = (Fund.objects.count(), Entry.objects.count())
    demo.seed(io.StringIO())
    assert (Fund.objects.count(), Entry.objects.count()) == counts
    assert not Fund.objects.filter(demo=False).exists()
    for year in range(2014, this_year() + 1):
        awards = Entry.objects.filter(
            year=year, kind=EntryKind.PAYMENT, category__in=AWARD_PURPOSES
        ).aggregate(total=Sum("amount"))["total"]
        assert awards > 1_000_000_000, year
    for fund in Fund.objects.all():
        sums = dict(fund.entries.values_list("kind").annotate(total=Sum("amount")).order_by())
        assert fund.balance == sums.get(EntryKind.RECEIPT, 0) - sums.get(EntryKind.PAYMENT, 0)
        assert fund.balance >= 0
        if fund.ended_on:
            assert fund.balance == 0 and fund.successor is not None
    closed = Period.objects.filter(year__lt=this_year())
    assert closed.exists()
    assert set(closed.values_list("status", flat=True)) == {PeriodStatus.APPROVED}
    assert Period.objects.filter(year=this_year(), status=PeriodStatus.OPEN).exists()
    numbers = Entry.objects.filter(fund__unit__parent__isnull=True, year=2018, kind="payment")
    assert sorted(numbers.values_list("number", flat=True)) == list(range(1, numbers.count() + 1))
