"""The database holds the tree's rules itself: a unit's official code unique per level among
units valid together (PostgreSQL), village names unique whatever their case; when two
requests race, the one that loses gets the service's own message, never a 500."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from lib.errors import DomainError
from tests.factories import make_unit
from tests.races import second_writer_outcome
from units import services
from units.models import Level, Unit, Village

MERGER_DAY = datetime.date(2025, 7, 1)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def commune_row(tree, code, **dates):
    """A commune written straight to the table, past the service's check."""
    return Unit.objects.create(
        name=f"Xã {code}",
        level=Level.COMMUNE,
        parent=tree["province"],
        admin_code=code,
        path=f"{tree['province'].path}0/",
        depth=1,
        **dates,
    )


@pytest.mark.django_db
@pytest.mark.postgres
def test_postgresql_refuses_a_code_taken_by_a_unit_of_the_same_level_and_period(tree):
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    # Xã Mường Phăng holds 3325 from 1 July 2025 on; the old commune held 3317 until then.
    for dates in ({"valid_from": MERGER_DAY}, {}, {"valid_to": MERGER_DAY}):
        with pytest.raises(IntegrityError), transaction.atomic():
            commune_row(tree, "3325", **dates)
    # Codes are reused across periods, across levels, and an empty code is no code.
    commune_row(tree, "3325", valid_to=MERGER_DAY - datetime.timedelta(days=1))
    commune_row(tree, "3317", valid_from=MERGER_DAY)
    make_unit("Huyện 3325", Level.DISTRICT, tree["province"], admin_code="3325")
    commune_row(tree, "")
    commune_row(tree, "")


@pytest.mark.django_db
def test_model_validation_reports_a_shared_code_where_the_database_holds_the_rule(tree, english):
    unit = Unit(
        name="Xã Trùng Mã",
        level=Level.COMMUNE,
        parent=tree["province"],
        admin_code="3325",
        path="/1/0/",
        depth=1,
    )
    if connection.vendor == "postgresql":
        with pytest.raises(ValidationError, match="already used by another unit"):
            unit.validate_constraints()
    else:
        unit.validate_constraints()
    with pytest.raises(DomainError, match="already used by Xã Mường Phăng"):
        services.check_unit(unit)


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_units_taking_one_code_at_once_the_second_is_refused_with_the_services_message(
    tree, english
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and the exclusion constraint need PostgreSQL")

    def add(name):
        return lambda: make_unit(name, Level.COMMUNE, tree["province"], admin_code="9001")

    outcome = second_writer_outcome(add("Xã Một"), add("Xã Hai"))
    assert outcome == (
        "refused",
        "The official code 9001 is already used by Xã Một in the same period.",
    )
    assert list(Unit.objects.filter(admin_code="9001").values_list("name", flat=True)) == ["Xã Một"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_villages_of_one_name_added_at_once_the_second_is_refused(tree, english):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    commune = tree["commune"]

    def add(name):
        return lambda: services.add_village(commune, by=None, name=name, kind="ban")

    outcome = second_writer_outcome(add("Bản Huổi Lóng"), add("BẢN HUỔI LÓNG"))
    assert outcome == ("refused", "Xã Mường Phăng already has a village named Bản Huổi Lóng.")
    assert Village.objects.filter(commune=commune).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_village_renamed_while_another_takes_the_name_is_refused(tree, english):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    commune = tree["commune"]
    other = services.add_village(commune, by=None, name="Bản Na", kind="ban")
    outcome = second_writer_outcome(
        lambda: services.add_village(commune, by=None, name="Bản Mới", kind="ban"),
        lambda: services.update_village(other, by=None, name="bản mới", kind="ban"),
    )
    assert outcome == ("refused", "Xã Mường Phăng already has a village named Bản Mới.")
    assert Village.objects.get(pk=other.pk).name == "Bản Na"
