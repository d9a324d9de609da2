"""Fixtures of the public pages' tests: recognitions made through the services (names with
every Vietnamese diacritic), many rows from generate_bench_data, and a clean cache (the
look-up rate limit lives there)."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from models_learning import services
from models_learning.models import Recognition, Registration
from models_learning.workflow import Status
from tests.factories import make_member
from tests.models_learning.factories import (
    VillageFactory,
    in_status,
    published_family,
    recognised_family,
)
from units.models import Role

# Each name carries some of ă â đ ê ô ơ ư and, together, every tone mark:
# sắc (á), huyền (à), hỏi (ả), ngã (ã), nặng (ạ).
NAMES = {
    "Nguyễn Văn An": "nguyen van an",
    "Đặng Thị Hằng": "dang thi hang",
    "Lê Văn Ước": "le van uoc",
    "Phạm Thị Ổn": "pham thi on",
    "Hoàng Thị Thủy": "hoang thi thuy",
    "Vũ Đức Cường": "vu duc cuong",
    "Bùi Thị Ngọc Ẩn": "bui thi ngoc an",
    "Lò Văn Sơn": "lo van son",
    "Quàng Thị Ánh": "quang thi anh",
}


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (set DATABASE_URL to a PostgreSQL database)")


@pytest.fixture
def village(tree):
    return VillageFactory(commune=tree["commune"], name="Bản Co Muông")


@pytest.fixture
def sibling_village(tree):
    return VillageFactory(commune=tree["sibling"], name="Tổ dân phố 1")


@pytest.fixture
def named(criteria_sets, officer, province_staff, village):
    """One recognised family per name of NAMES, in today's Xã Mường Phăng, 2026."""
    return {
        name: published_family(officer, province_staff, village, head_name=name, phone="0912345678")
        for name in NAMES
    }


@pytest.fixture
def sibling_officer_member(tree):
    return make_member(tree["sibling"], Role.OFFICER, username="sibling-2")


def recognition_of(registration):
    return Recognition.objects.get(registration=registration)


@pytest.fixture
def states(criteria_sets, officer, province_staff, village):
    """A valid, an expired and a revoked recognition, and a file that was only proposed."""
    valid = published_family(officer, province_staff, village, head_name="Nguyễn Thị Hiệu Lực")
    expired = recognised_family(officer, province_staff, village, head_name="Trần Văn Hết Hạn")
    services.update_decision(
        expired,
        by=province_staff,
        decision_number="7/QĐ-HKH",
        decision_date=datetime.date(2025, 1, 10),
    )
    services.issue_decision(expired, by=province_staff)
    revoked = published_family(officer, province_staff, village, head_name="Lường Văn Thu Hồi")
    services.revoke_recognition(revoked, by=province_staff, reason="Kê khai sai")
    draft = recognised_family(officer, province_staff, village, head_name="Tòng Văn Chưa Ban Hành")
    proposed = in_status(
        Status.PROPOSED,
        officer=officer,
        approver=province_staff,
        village=village,
        head_name="Cà Văn Đề Nghị",
    )
    return {
        "valid": recognition_of(valid),
        "expired": recognition_of(expired),
        "revoked": recognition_of(revoked),
        "proposed": Registration.objects.get(pk=proposed.pk),
        "draft": recognition_of(draft),
    }


def bench(count, seed=7):
    """`count` recognitions from generate_bench_data over the small tree (old Xã Nà Nhạn in
    2014–2024, today's Xã Mường Phăng and Phường Mường Thanh in 2025–2026)."""
    call_command("generate_bench_data", recognitions=count, seed=seed, stdout=io.StringIO())
