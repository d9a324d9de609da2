"""Test data through the same services the portal uses."""

import datetime

import factory
from django.contrib.auth import get_user_model

from units import services
from units.models import Level, Membership

PASSWORD = "a-test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Nguyễn Văn"
    last_name = factory.Sequence(lambda n: f"An {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save(update_fields=["password"])


def make_unit(name, level, parent=None, **fields):
    return services.create_unit(by=None, name=name, level=level, parent=parent, **fields)


def make_member(unit, *roles, user=None, **user_fields):
    user = user or UserFactory(**user_fields)
    for role in roles:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


PROVINCE_CODE = "11"
MERGER_DAY = datetime.date(2025, 7, 1)


def build_small_tree():
    """A province with one historic district and the 2025 communes the personas belong to.

    Old Xã Nà Nhạn (district, until 2025-06-30) merged into today's Xã Mường Phăng.
    """
    province = make_unit("Tỉnh Điện Biên", Level.PROVINCE, admin_code=PROVINCE_CODE)
    district = make_unit(
        "Huyện Điện Biên", Level.DISTRICT, province, valid_to=datetime.date(2025, 6, 30)
    )
    old_commune = make_unit(
        "Xã Nà Nhạn",
        Level.COMMUNE,
        district,
        admin_code="3317",
        valid_to=datetime.date(2025, 6, 30),
    )
    commune = make_unit(
        "Xã Mường Phăng", Level.COMMUNE, province, admin_code="3325", valid_from=MERGER_DAY
    )
    sibling = make_unit(
        "Phường Mường Thanh", Level.COMMUNE, province, admin_code="3334", valid_from=MERGER_DAY
    )
    branch = make_unit("Chi hội bản Co Muông", Level.BRANCH, commune, kind="village_branch")
    services.record_change(
        by=None,
        predecessor=old_commune,
        successor=commune,
        kind="merge",
        date=MERGER_DAY,
        legal_basis="Nghị quyết 1661/NQ-UBTVQH15",
    )
    return {
        "province": province,
        "district": district,
        "old_commune": old_commune,
        "commune": commune,
        "sibling": sibling,
        "branch": branch,
    }
