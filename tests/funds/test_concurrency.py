"""Twenty keepers posting into one fund at the same moment (PostgreSQL, each thread on its own
connection): vouchers unique and gapless, the balance exact and never below zero."""

import threading

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import translation

from funds.models import Entry, EntryKind, Fund, VoucherCounter
from lib.errors import DomainError
from tests.funds import builders

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def _at_once(work):
    barrier = threading.Barrier(THREADS)
    outcomes, lock = [], threading.Lock()

    def run(index):
        try:
            barrier.wait()
            with translation.override("en"):  # each thread has its own active language
                result = ("ok", work(index))
        except DomainError as error:
            result = ("refused", error.message)
        except Exception as error:  # reported by the test: nothing else may happen
            result = ("error", repr(error))
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def test_twenty_receipts_at_once_get_twenty_gapless_unique_vouchers(tree, keepers, officer):
    fund = builders.make_fund(tree["commune"])
    outcomes = _at_once(lambda i: builders.receive(fund, 100_000 + i, by=officer).number)
    assert sorted(kind for kind, _ in outcomes) == ["ok"] * THREADS, outcomes
    numbers = sorted(Entry.objects.filter(fund=fund).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))
    assert sorted(value for _, value in outcomes) == numbers
    fund.refresh_from_db()
    expected = sum(100_000 + i for i in range(THREADS))
    assert fund.balance == expected == Entry.objects.aggregate(t=Sum("amount"))["t"]
    counter = VoucherCounter.objects.get(fund=fund, kind=EntryKind.RECEIPT)
    assert counter.last == THREADS


def test_twenty_payments_at_once_on_ten_payments_worth_never_go_below_zero(
    tree, keepers, officer, english
):
    fund = builders.make_fund(tree["commune"])
    builders.receive(fund, 1_000_000)
    outcomes = _at_once(lambda i: builders.pay(fund, 100_000, by=officer).number)
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok"] * 10 + ["refused"] * 10, outcomes
    assert all("below zero" in value for kind, value in outcomes if kind == "refused")
    numbers = sorted(
        Entry.objects.filter(fund=fund, kind=EntryKind.PAYMENT).values_list("number", flat=True)
    )
    assert numbers == list(range(1, 11))
    assert Fund.objects.get(pk=fund.pk).balance == 0
