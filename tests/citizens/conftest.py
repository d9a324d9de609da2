import pytest

from citizens import services
from tests.citizens.builders import (
    ALL_MET,
    FOUR_MET,
    THREE_MET,
    adults_of,
    citizen_sets,
    household_of,
    village_of,
)
from tests.factories import UserFactory


@pytest.fixture
def citizen_criteria(db):
    citizen_sets()


@pytest.fixture
def village(tree):
    return village_of(tree["commune"])


@pytest.fixture
def household(village, citizen_criteria):
    return household_of(village)


def _assess(admin, member, year, answers, digital):
    services.record_result(member, by=admin, year=year, answers=answers, digital_skills=digital)


@pytest.fixture
def citizen_data(tree):
    """2024, old Xã Nà Nhạn (merged into Xã Mường Phăng on 01/07/2025): two households, five
    adults; four assessed, three learning citizens, two of them with digital skills.
    2026, today's Xã Mường Phăng: one household, four adults; three assessed, two learning
    citizens, one with digital skills. Phường Mường Thanh: two adults, none assessed."""
    citizen_sets()
    admin = UserFactory(username="root", is_superuser=True)
    old = village_of(tree["old_commune"], "Bản Nà Nhạn")
    first = adults_of(household_of(old, head="Lò Văn Một", adults=3, children=1))
    second = adults_of(household_of(old, head="Quàng Văn Hai", adults=2, children=0))
    _assess(admin, first[0], 2024, ALL_MET, True)
    _assess(admin, first[1], 2024, FOUR_MET, False)
    _assess(admin, first[2], 2024, THREE_MET, False)
    _assess(admin, second[0], 2024, ALL_MET, True)
    today = adults_of(
        household_of(village_of(tree["commune"]), head="Cà Văn Ba", adults=4, children=2)
    )
    _assess(admin, today[0], 2026, ALL_MET, True)
    _assess(admin, today[1], 2026, ALL_MET, False)
    _assess(admin, today[2], 2026, THREE_MET, True)
    household_of(village_of(tree["sibling"], "Tổ dân phố 1"), head="Lường Thị Bốn", adults=2)
    return tree
