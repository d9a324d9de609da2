import pytest

from tests.factories import make_member
from units.models import Role

from .factories import VillageFactory


@pytest.fixture
def village(tree):
    """A village of today's Xã Mường Phăng."""
    return VillageFactory(commune=tree["commune"], name="Bản Co Muông")


@pytest.fixture
def sibling_village(tree):
    return VillageFactory(commune=tree["sibling"], name="Tổ dân phố 1")


@pytest.fixture
def old_village(tree):
    """A village of old Xã Nà Nhạn (under the historic district, until 2025-06-30)."""
    return VillageFactory(commune=tree["old_commune"], name="Bản Nà Nhạn")


@pytest.fixture
def old_officer(tree):
    """Officer of old Xã Nà Nhạn, as before the 2025 merger."""
    return make_member(tree["old_commune"], Role.OFFICER, username="old-officer")


@pytest.fixture
def district_reviewer(tree):
    """Reviewer of the historic Huyện Điện Biên (forwards or returns, never decides)."""
    return make_member(tree["district"], Role.REVIEWER, username="district-reviewer")


@pytest.fixture
def district_approver(tree):
    return make_member(tree["district"], Role.APPROVER, username="district-approver")
