"""Funds, entries and programmes for the funds' tests, made through the services."""

import datetime

from funds import services
from funds.models import Category, EntryKind
from lib.dates import local_today

TODAY = local_today()
YEAR = TODAY.year
JAN = datetime.date(YEAR, 1, 15)


def make_fund(unit, *, name="Quỹ khuyến học xã", first_year=None, allow_negative=False):
    return services.create_fund(
        unit,
        by=None,
        name=name,
        first_year=first_year or YEAR - 1,
        allow_negative=allow_negative,
    )


def receive(
    fund,
    amount,
    *,
    by=None,
    date=JAN,
    donor="Ông Lò Văn Pọm",
    named=False,
    category=Category.PERSON,
):
    return services.post_entry(
        fund,
        by=by,
        kind=EntryKind.RECEIPT,
        date=date,
        amount=amount,
        category=category,
        counterparty=donor,
        named_publicly=named,
    )


def pay(fund, amount, *, by=None, date=JAN, to="Trường THCS Mường Phăng", category=Category.AWARD):
    return services.post_entry(
        fund,
        by=by,
        kind=EntryKind.PAYMENT,
        date=date,
        amount=amount,
        category=category,
        counterparty=to,
    )


PUPILS = [
    "Lò Thị Mai",
    "Quàng Văn Đức",
    "Giàng A Sử",
    "Vừ Thị Dua",
    "Lường Văn Hải",
    "Cà Thị Hương",
    "Tòng Văn Thắng",
    "Sùng A Páo",
    "Nguyễn Thị Ánh",
    "Điêu Chính Tâm",
]


def make_programme(fund, *, by=None, pupils=PUPILS, amount=500_000, name=None):
    programme = services.create_programme(
        fund,
        by=by,
        name=name or f"Học bổng khuyến học năm học {YEAR}–{YEAR + 1}",
        year=YEAR,
        category=Category.SCHOLARSHIP,
        rules="Học sinh nghèo vượt khó, học lực khá trở lên.",
        default_amount=amount,
    )
    for index, pupil in enumerate(pupils):
        services.add_recipient(
            programme,
            by=by,
            name=pupil,
            school="Trường THCS Mường Phăng",
            grade=f"{6 + index % 4}A",
            achievement="Học sinh giỏi",
        )
    return programme
