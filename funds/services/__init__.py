"""Every write to a fund's book: funds, entries, reversals, transfers (`books`), the closing of
a year (`closing`), award programmes and paying them (`awards`). One function each, atomic,
the actor keyword-only (`*, by`); a broken rule raises DomainError and nothing has changed."""

from .awards import (
    add_recipient,
    create_programme,
    lock_programme,
    pay_programme,
    remove_recipient,
)
from .books import (
    MAX_AMOUNT,
    create_fund,
    lock_fund,
    post_entry,
    reverse_entry,
    transfer_fund,
    vnd,
)
from .closing import approve_closing, close_year, lock_period, return_closing, year_figures

__all__ = [
    "MAX_AMOUNT",
    "add_recipient",
    "approve_closing",
    "close_year",
    "create_fund",
    "create_programme",
    "lock_fund",
    "lock_period",
    "lock_programme",
    "pay_programme",
    "post_entry",
    "remove_recipient",
    "return_closing",
    "reverse_entry",
    "transfer_fund",
    "vnd",
    "year_figures",
]
