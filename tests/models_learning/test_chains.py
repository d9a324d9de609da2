"""The approval chain comes from the criteria set: commune → district → province for files of
the communes before 1 July 2025, commune → province for today's communes."""

import pytest

from lib.errors import DomainError
from models_learning import services
from models_learning.models import CriteriaSet
from models_learning.workflow import Action, Status
from units.models import Level

from .factories import full_marks, proposed_family, register_family

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_historic_file_needs_the_district_then_the_province(
    criteria_sets, tree, old_officer, old_village, district_reviewer, province_staff
):
    registration = proposed_family(old_officer, old_village, year=2024)
    assert registration.criteria_set.code == "family-2021-district"
    assert registration.awaiting_unit == tree["district"]
    assert registration.current_level_name == Level.DISTRICT

    with pytest.raises(DomainError, match="Huyện Điện Biên"):
        services.approve_registration(registration, by=province_staff)
    with pytest.raises(DomainError):
        services.reject_registration(registration, by=district_reviewer, reason="x")

    services.approve_registration(registration, by=district_reviewer)
    registration.refresh_from_db()
    assert (registration.status, registration.awaiting_unit) == (
        Status.PROPOSED,
        tree["province"],
    )
    assert registration.current_level_name == Level.PROVINCE
    with pytest.raises(DomainError, match="Tỉnh Điện Biên"):
        services.approve_registration(registration, by=district_reviewer)

    services.approve_registration(registration, by=province_staff)
    registration.refresh_from_db()
    assert registration.status == Status.RECOGNIZED
    assert registration.recognition.issuing_unit == tree["province"]
    assert list(registration.events.values_list("action", "level", "unit")) == [
        (Action.REGISTER, Level.COMMUNE, tree["old_commune"].pk),
        (Action.SCORE, Level.COMMUNE, tree["old_commune"].pk),
        (Action.PROPOSE, Level.COMMUNE, tree["old_commune"].pk),
        (Action.APPROVE, Level.DISTRICT, tree["district"].pk),
        (Action.RECOGNIZE, Level.PROVINCE, tree["province"].pk),
    ]


def test_the_district_reviewer_may_return_a_historic_file(
    criteria_sets, old_officer, old_village, district_reviewer
):
    registration = proposed_family(old_officer, old_village, year=2019)
    assert registration.criteria_set.code == "family-qd448-2016"
    services.return_registration(registration, by=district_reviewer, reason="Thiếu biên bản")
    registration.refresh_from_db()
    assert (registration.status, registration.is_returned) == (Status.SCORED, True)
    assert registration.events.last().level == Level.DISTRICT


def test_the_pilot_years_use_the_qd_448_set(criteria_sets, old_officer, old_village):
    registration = register_family(old_officer, old_village, year=2014)
    assert registration.criteria_set.code == "family-qd448-2016"
    assert registration.criteria_set.approval_levels == ["commune", "district", "province"]


def test_a_file_of_todays_commune_goes_straight_to_the_province(
    criteria_sets, tree, officer, village, district_reviewer, province_staff
):
    registration = proposed_family(officer, village, year=2026)
    assert registration.criteria_set.code == "family-2021"
    assert registration.criteria_set.approval_levels == ["commune", "province"]
    assert registration.awaiting_unit == tree["province"]
    with pytest.raises(DomainError):
        services.approve_registration(registration, by=district_reviewer)
    services.approve_registration(registration, by=province_staff)
    registration.refresh_from_db()
    assert registration.status == Status.RECOGNIZED


def test_in_2025_the_set_follows_the_communes_structure(
    criteria_sets, officer, village, old_officer, old_village
):
    """2025 files of a former commune keep the district step; today's commune has none."""
    assert register_family(old_officer, old_village, year=2025).criteria_set.code == (
        "family-2021-district"
    )
    assert register_family(officer, village, year=2025).criteria_set.code == "family-2021"


def test_a_level_with_no_unit_above_the_commune_is_skipped(
    criteria_sets, tree, officer, village, province_staff
):
    old_chain = CriteriaSet.objects.get(code="family-2021-district")
    registration = services.register_household(
        by=officer,
        year=2025,
        new_household={"village": village, "head_name": "Cà Văn Ún", "head_birth_year": 1980},
        criteria_set=old_chain,
    )
    services.save_scores(registration, by=officer, points=full_marks(registration))
    services.propose_registration(registration, by=officer)
    registration.refresh_from_db()
    assert registration.awaiting_unit == tree["province"]
    assert registration.current_level == 2


def test_a_commune_cannot_register_for_a_year_it_did_not_exist(
    criteria_sets, officer, village, old_officer, old_village
):
    with pytest.raises(DomainError, match="replaced it"):
        register_family(old_officer, old_village, year=2026)
    with pytest.raises(DomainError, match="only exists from"):
        register_family(officer, village, year=2024)


def test_with_no_set_for_the_year_the_officer_is_told_to_ask_the_province(
    criteria_sets, officer, village
):
    with pytest.raises(DomainError, match="no criteria set"):
        register_family(officer, village, year=2031)


def test_a_file_waiting_at_a_district_that_ended_moves_on_to_the_province(
    criteria_sets, tree, old_officer, old_village, province_staff
):
    """Proposed before 1 July 2025 and waiting at a district: no one but a superuser could
    decide it (the province approver was refused, and no one can hold a role on an ended
    district)."""
    import datetime

    from models_learning.models import Registration

    registration = proposed_family(old_officer, old_village, year=2024)
    assert registration.awaiting_unit == tree["district"]
    with pytest.raises(DomainError, match="Huyện Điện Biên"):
        services.approve_registration(registration, by=province_staff)
    # The day the district still exists nothing moves.
    assert services.pass_on_from_ended_levels(day=datetime.date(2025, 6, 30)) == 0

    assert services.pass_on_from_ended_levels(day=datetime.date(2025, 7, 1)) == 1
    registration.refresh_from_db()
    assert (registration.status, registration.awaiting_unit) == (
        Status.PROPOSED,
        tree["province"],
    )
    assert registration.current_level_name == Level.PROVINCE
    event = registration.events.last()
    assert (event.action, event.actor, event.unit) == (Action.PASS_ON, None, tree["province"])
    assert "Huyện Điện Biên" in event.reason and "30/06/2025" in event.reason
    assert services.pass_on_from_ended_levels() == 0, "once only"
    services.approve_registration(registration, by=province_staff)
    assert Registration.objects.get(pk=registration.pk).status == Status.RECOGNIZED


def test_the_data_migration_moves_the_files_already_stuck(
    criteria_sets, tree, old_officer, old_village
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("models_learning.migrations.0008_pass_on_from_ended_levels")
    registration = proposed_family(old_officer, old_village, year=2024)
    migration.forwards(apps, None)
    registration.refresh_from_db()
    assert registration.awaiting_unit == tree["province"]
    event = registration.events.last()
    assert event.action == Action.PASS_ON
    assert "đã kết thúc ngày 30/06/2025" in event.reason  # in the portal's language
