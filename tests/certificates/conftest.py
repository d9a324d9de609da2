import pytest

from .builders import recognised_family, revoked_family


@pytest.fixture(autouse=True)
def _site_and_immediate_jobs(settings):
    settings.SITE_BASE_URL = "https://khuyenhoc.example.vn"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def recognition(tree, officer, province_staff):
    """A learning family of Xã Mường Phăng, recognised by the province (decision issued)."""
    return recognised_family(
        officer, province_staff, tree["commune"], name="Nguyễn Thị Ánh Hồng", number="17/QĐ-HKH"
    )


@pytest.fixture
def sibling_recognition(tree, sibling_officer, province_staff):
    return recognised_family(
        sibling_officer,
        province_staff,
        tree["sibling"],
        name="Lò Văn Đức",
        village="Tổ dân phố 2",
    )


@pytest.fixture
def revoked(tree, officer, province_staff):
    return revoked_family(officer, province_staff, tree["commune"], name="Quàng Thị Ưởng")
