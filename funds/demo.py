"""Demo data of the study-promotion funds, on the real Điện Biên tree (labelled demo data).

- The province's fund, 2014 to this year: budget and organisations' gifts, and every year more
  than 1 billion đồng of awards (học sinh giỏi cấp tỉnh, học bổng, hỗ trợ học sinh khó khăn),
  as the founding report tells ("over 1 billion VND a year"); some donors agreed to be named.
- The funds of today's Xã Mường Phăng and Phường Mường Thanh and of every commune they were
  formed from (through the 2020 move and the 2025 mergers): each fund's balance passes to its
  successor's by a transfer entry on each side, so that nothing counts twice.
- Years before this one are closed and approved; this year is open, with a paid scholarship
  list of ten pupils in Xã Mường Phăng. The demo commune officers keep their communes' funds.

History is written in bulk (demo data only), with the numbering, balances, counters and
closed years the services would have made; this year's list goes through the services. A
fixed seed makes the same data each time; a second run changes nothing.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from lib.dates import local_today
from units import lineage
from units.models import Level, Membership, Role, Unit, UnitChange
from units.selectors import portal_province

from . import services
from .models import (
    Category,
    Entry,
    EntryKind,
    Fund,
    FundKind,
    Method,
    Period,
    PeriodEvent,
    PeriodStatus,
    VoucherCounter,
)
from .workflow import Action

FIRST_YEAR = 2014
DEMO_COMMUNES = ("Xã Mường Phăng", "Phường Mường Thanh")
SURNAMES = [
    "Lò",
    "Quàng",
    "Lường",
    "Cà",
    "Tòng",
    "Điêu",
    "Giàng",
    "Vừ",
    "Sùng",
    "Nguyễn",
    "Trần",
    "Hoàng",
    "Phạm",
    "Lê",
    "Vũ",
]
MIDDLE = {"m": ["Văn", "A", "Đức", "Minh"], "f": ["Thị", "Thu", "Ngọc"]}
GIVEN = {
    "m": ["Pọm", "Tú", "Hải", "Thắng", "Sử", "Páo", "Dũng", "Khánh", "Tâm", "Đức"],
    "f": ["Mai", "Dua", "Hương", "Ánh", "Xuân", "Lan", "Hoa", "Nhung", "Yến", "Ly"],
}
ORGANISATIONS = [
    ("Ngân hàng Nông nghiệp và Phát triển Nông thôn chi nhánh Điện Biên", True),
    ("Công ty Điện lực Điện Biên", True),
    ("Bưu điện tỉnh Điện Biên", True),
    ("Hội Doanh nghiệp tỉnh Điện Biên", False),
    ("Viettel Điện Biên", True),
]


def _name(rng):
    sex = rng.choice("mf")
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"


def seed(stdout):
    if Fund.objects.filter(demo=True).exists():
        stdout.write(_("Funds demo: already there, nothing changed."))
        return
    province = portal_province()
    communes = list(Unit.objects.current().filter(level=Level.COMMUNE, name__in=DEMO_COMMUNES))
    if province is None or not communes:
        stdout.write(_("Funds demo: load the units first (no Điện Biên tree found)."))
        return
    with transaction.atomic():
        counts = _seed(province, communes)
    stdout.write(
        _(
            "Funds demo: %(funds)s funds, %(entries)s entries, awards over 1 billion đồng a year"
            " across the province."
        )
        % counts
    )


class Book:
    """One fund's entries written in bulk, numbered per year and kind, balance kept."""

    def __init__(self, fund):
        self.fund, self.entries, self.balance = fund, [], 0
        self.numbers = {}

    def add(
        self,
        kind,
        date,
        amount,
        category,
        counterparty,
        *,
        named=False,
        method=Method.CASH,
        description="",
        counterpart=None,
    ):
        key = (date.year, kind)
        self.numbers[key] = self.numbers.get(key, 0) + 1
        entry = Entry(
            fund=self.fund,
            kind=kind,
            year=date.year,
            number=self.numbers[key],
            date=date,
            amount=amount,
            category=category,
            counterparty=counterparty,
            named_publicly=named,
            method=method,
            description=description,
            counterpart=counterpart,
        )
        self.balance += amount if kind == EntryKind.RECEIPT else -amount
        assert self.balance >= 0, (self.fund, date)
        self.entries.append(entry)
        return entry


def _year_of_book(book, rng, year, first_day, last_day, *, scale, awards):
    """Gifts early in the year, awards and scholarships at the school year's end and opening."""
    span = (last_day - first_day).days

    def day(start, end):
        lo, hi = int(span * start), max(int(span * end), int(span * start))
        return first_day + datetime.timedelta(days=rng.randint(lo, hi))

    book.add(
        EntryKind.RECEIPT,
        day(0, 0.1),
        7_000_000 * scale,  # `scale`: hundredths of the province's, whole đồng
        Category.BUDGET,
        "Ngân sách nhà nước",
        method=Method.BANK,
    )
    for name, consent in rng.sample(ORGANISATIONS, 3):
        book.add(
            EntryKind.RECEIPT,
            day(0, 0.25),
            rng.randint(1, 3) * 1_000_000 * scale,
            Category.ORGANISATION,
            name,
            named=consent,
            method=Method.BANK,
        )
    for _i in range(rng.randint(6, 12)):
        book.add(
            EntryKind.RECEIPT,
            day(0, 0.3),
            rng.randint(1, 5) * 20_000 * scale,
            Category.PERSON,
            _name(rng),
            named=rng.random() < 0.4,
        )
    budget = book.balance * 85 // 100
    amounts = [500_000, 1_000_000, 1_500_000, 2_000_000] if scale >= 50 else [200_000, 300_000]
    paid = 0
    while paid < budget and awards > 0:
        amount = rng.choice(amounts)
        category = rng.choice(
            [Category.AWARD, Category.AWARD, Category.SCHOLARSHIP, Category.SUPPORT, Category.GIFT]
        )
        if paid + amount > budget:
            break
        book.add(EntryKind.PAYMENT, day(0.35, 0.95), amount, category, _name(rng))
        paid += amount
        awards -= 1
    running = min(100_000 * scale, book.balance // 10)
    if running > 0:
        book.add(
            EntryKind.PAYMENT,
            day(0.9, 1),
            running,
            Category.RUNNING,
            "Văn phòng phẩm, tổ chức lễ trao thưởng",
        )


def _seed(province, communes):
    rng = random.Random(2014)
    today = local_today()
    this_year = today.year
    funds, books = [], {}

    def open_fund(unit, name, first_year, kind=FundKind.ASSOCIATION):
        fund = Fund.objects.create(
            unit=unit, name=name, kind=kind, first_year=first_year, demo=True
        )
        funds.append(fund)
        books[fund.pk] = Book(fund)
        return fund

    # The province: awards of over 1 billion đồng a year on its own.
    province_fund = open_fund(province, "Quỹ khuyến học tỉnh Điện Biên", FIRST_YEAR)
    book = books[province_fund.pk]
    for year in range(FIRST_YEAR, this_year + 1):
        last = today if year == this_year else datetime.date(year, 12, 31)
        _year_of_book(book, rng, year, datetime.date(year, 1, 2), last, scale=100, awards=2_000)

    # The demo communes and every unit they were formed from, oldest first, with transfers.
    chain_ids = set(lineage.predecessor_ids({c.pk for c in communes})) | {c.pk for c in communes}
    units = list(
        Unit.objects.filter(pk__in=chain_ids, level=Level.COMMUNE).order_by("valid_from", "name")
    )
    changes = list(UnitChange.objects.filter(predecessor__in=units).order_by("date"))
    fund_of = {}
    for unit in units:
        start = max(
            unit.valid_from or datetime.date(FIRST_YEAR, 1, 1), datetime.date(FIRST_YEAR, 1, 1)
        )
        end = min(unit.valid_to or today, today)
        if end < start:
            continue
        fund = open_fund(unit, f"Quỹ khuyến học {unit.name[:1].lower()}{unit.name[1:]}", start.year)
        fund_of[unit.pk] = fund
        book = books[fund.pk]
        for year in range(start.year, end.year + 1):
            first = max(start, datetime.date(year, 1, 1))
            last = min(end, datetime.date(year, 12, 31))
            if (last - first).days < 20:
                continue
            _year_of_book(book, rng, year, first, last, scale=3, awards=200)
    for change in changes:
        old, new = fund_of.get(change.predecessor_id), fund_of.get(change.successor_id)
        if old is None or new is None or old.ended_on:
            continue
        old_book, new_book = books[old.pk], books[new.pk]
        amount = old_book.balance
        if amount > 0:
            out = old_book.add(
                EntryKind.PAYMENT,
                change.date,
                amount,
                Category.TRANSFER_OUT,
                new.name,
                method=Method.BANK,
                description=f"Chuyển sang {new.name} ({change.legal_basis})",
            )
            new_book.add(
                EntryKind.RECEIPT,
                change.date,
                amount,
                Category.TRANSFER_IN,
                old.name,
                method=Method.BANK,
                description=f"Nhận từ {old.name}",
                counterpart=out,
            )
        old.successor, old.ended_on = new, change.date

    entries = 0
    for fund in funds:
        book = books[fund.pk]
        # Transfer receipts name their payment, which must be saved first.
        plain = [e for e in book.entries if e.counterpart is None]
        Entry.objects.bulk_create(plain, batch_size=1000)
        entries += len(book.entries)
    for fund in funds:
        linked = [e for e in books[fund.pk].entries if e.counterpart is not None]
        for entry in linked:
            entry.counterpart_id = entry.counterpart.pk
        Entry.objects.bulk_create(linked, batch_size=1000)
        Fund.objects.filter(pk=fund.pk).update(
            balance=books[fund.pk].balance, successor=fund.successor, ended_on=fund.ended_on
        )
        VoucherCounter.objects.bulk_create(
            VoucherCounter(fund=fund, year=year, kind=kind, last=last)
            for (year, kind), last in books[fund.pk].numbers.items()
        )
        _periods(fund, this_year)
    _keepers(communes)
    _this_years_list(fund_of, communes, today)
    return {"funds": len(funds), "entries": entries}


def _periods(fund, this_year):
    """Every year of the book before this one closed and approved, this year open."""
    years = sorted(set(Entry.objects.filter(fund=fund).values_list("year", flat=True)))
    opening = 0
    for year in years:
        opening_before = opening
        _o, receipts, payments = services.year_figures(fund, year)
        closing = opening + receipts - payments
        done = year < this_year
        period = Period.objects.create(
            fund=fund,
            year=year,
            status=PeriodStatus.APPROVED if done else PeriodStatus.OPEN,
            opening_balance=opening_before if done else 0,
            receipts=receipts if done else 0,
            payments=payments if done else 0,
            closing_balance=closing if done else 0,
        )
        events = [PeriodEvent(period=period, action=Action.OPEN, to_status=PeriodStatus.OPEN)]
        if done:
            events += [
                PeriodEvent(
                    period=period,
                    action=Action.CLOSE,
                    from_status=PeriodStatus.OPEN,
                    to_status=PeriodStatus.CLOSED,
                    data={
                        "opening_balance": opening_before,
                        "receipts": receipts,
                        "payments": payments,
                        "closing_balance": closing,
                    },
                ),
                PeriodEvent(
                    period=period,
                    action=Action.APPROVE,
                    from_status=PeriodStatus.CLOSED,
                    to_status=PeriodStatus.APPROVED,
                ),
            ]
        PeriodEvent.objects.bulk_create(events)
        opening = closing


def _keepers(communes):
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["demo-commune", "demo-commune-2"])
    }
    for username, name in (
        ("demo-commune", DEMO_COMMUNES[0]),
        ("demo-commune-2", DEMO_COMMUNES[1]),
    ):
        user = users.get(username)
        unit = next((c for c in communes if c.name == name), None)
        if user is not None and unit is not None:
            Membership.objects.get_or_create(user=user, unit=unit, role=Role.TREASURER)


def _this_years_list(fund_of, communes, today):
    commune = next((c for c in communes if c.name == DEMO_COMMUNES[0]), None)
    fund = fund_of.get(commune.pk) if commune else None
    if fund is None:
        return
    rng = random.Random(2026)
    programme = services.create_programme(
        fund,
        by=None,
        name=f"Học bổng khuyến học năm học {today.year}–{today.year + 1}",
        year=today.year,
        category=Category.SCHOLARSHIP,
        rules="Học sinh nghèo vượt khó, học lực khá trở lên; 500.000 đồng mỗi suất.",
        default_amount=500_000,
    )
    for index in range(10):
        services.add_recipient(
            programme,
            by=None,
            name=_name(rng),
            school="Trường THCS Mường Phăng",
            grade=f"{6 + index % 4}A",
            achievement="Học sinh nghèo vượt khó",
        )
    fund.refresh_from_db()
    services.pay_programme(programme, by=None, date=today)
