import datetime

import pytest

from funds import services
from funds.models import Category
from tests.factories import make_member
from tests.funds import builders
from units.models import Role, UnitYearFigures

D = datetime.date


@pytest.fixture
def keepers(tree, officer, sibling_officer):
    """The commune officers also keep their communes' funds (Role.TREASURER)."""
    make_member(tree["commune"], Role.TREASURER, user=officer)
    make_member(tree["sibling"], Role.TREASURER, user=sibling_officer)


@pytest.fixture
def fund(tree):
    return builders.make_fund(tree["commune"])


@pytest.fixture
def sibling_fund(tree):
    return builders.make_fund(tree["sibling"], name="Quỹ khuyến học phường")


@pytest.fixture
def books(tree):
    """Hand-checked books across the 2025 merger (tests/funds/test_report.py and
    test_yearly_report.py check the reports against them).

    Old Xã Nà Nhạn: 2024 receipts 3,000,000, an award 1,000,000; 2025 receipts 4,000,000,
    two scholarships of 500,000, then its balance (5,000,000) passes to Xã Mường Phăng on
    01/07/2025. Xã Mường Phăng 2025: 10,000,000 received, three awards of 700,000 and a
    fourth of 400,000 reversed; population 8,000. Phường Mường Thanh 2025: 1,000,000
    received, 200,000 running costs; population 20,000.
    """
    old = builders.make_fund(tree["old_commune"], name="Quỹ khuyến học xã Nà Nhạn", first_year=2024)
    builders.receive(old, 3_000_000, date=D(2024, 2, 1))
    builders.pay(old, 1_000_000, date=D(2024, 9, 5))
    builders.receive(old, 4_000_000, date=D(2025, 3, 1))
    for _pupil in range(2):
        builders.pay(old, 500_000, date=D(2025, 5, 1), category=Category.SCHOLARSHIP)
    new = builders.make_fund(tree["commune"], first_year=2025)
    services.transfer_fund(old, new, by=None, date=D(2025, 7, 1))
    builders.receive(new, 10_000_000, date=D(2025, 8, 1), category=Category.ORGANISATION)
    for _pupil in range(3):
        builders.pay(new, 700_000, date=D(2025, 9, 5))
    wrong = builders.pay(new, 400_000, date=D(2025, 9, 6))
    services.reverse_entry(wrong, by=None, date=D(2025, 9, 7), reason="trùng")
    sibling = builders.make_fund(tree["sibling"], name="Quỹ khuyến học phường", first_year=2025)
    builders.receive(sibling, 1_000_000, date=D(2025, 10, 1))
    builders.pay(sibling, 200_000, date=D(2025, 10, 2), category=Category.RUNNING)
    UnitYearFigures.objects.create(
        unit=tree["commune"],
        year=2025,
        members=900,
        population=8_000,
        households=2_000,
        branches=9,
        boards=3,
    )
    UnitYearFigures.objects.create(
        unit=tree["sibling"],
        year=2025,
        members=2_000,
        population=20_000,
        households=5_000,
        branches=20,
        boards=5,
    )
    return old, new, sibling
