"""Registering households and other subjects; duplicates; one file per subject and year;
carrying last year's files over."""

import unicodedata

import pytest
from django.db import IntegrityError, transaction

from lib.errors import DomainError
from models_learning import services
from models_learning.models import Household, ModelKind, Registration
from models_learning.services import DuplicateReason, DuplicateWarning
from models_learning.workflow import Action, Status
from units.models import AuditEntry

from .factories import VillageFactory, in_status, register_family

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_household_is_created_on_the_way_with_its_members(criteria_sets, officer, village):
    registration = services.register_household(
        by=officer,
        year=2026,
        new_household={
            "village": village,
            "head_name": unicodedata.normalize("NFD", "  Lò  Văn Pánh "),
            "head_birth_year": "1970",
            "phone": "0912 345 678",
            "members": [
                {"name": "Lò Thị Ính", "birth_year": 1972, "relationship": "spouse"},
                {"name": "Lò Văn Ún", "birth_year": 2012, "schooling": "lower_secondary"},
            ],
        },
    )
    household = registration.household
    assert household.head_name == unicodedata.normalize("NFC", "Lò Văn Pánh")
    assert household.head_name_normalised == "lo van panh"
    assert household.commune == village.commune
    assert [m.name for m in household.members.all()] == ["Lò Thị Ính", "Lò Văn Ún"]
    assert (registration.kind, registration.year, registration.status) == (
        ModelKind.FAMILY,
        2026,
        Status.REGISTERED,
    )
    assert registration.subject_name == household.head_name
    assert registration.search_text == "lo van panh ban co muong 1970"
    assert registration.entered_by == officer
    assert registration.criteria_set.is_frozen


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"head_name": "  "}, "head_name"),
        ({"head_birth_year": "năm 70"}, "head_birth_year"),
        ({"head_birth_year": 1800}, "head_birth_year"),
        ({"members": [{"name": ""}]}, "members"),
        ({"members": [{"name": "A", "relationship": "boss"}]}, "members"),
    ],
)
def test_bad_household_input_is_refused_and_nothing_is_created(
    criteria_sets, officer, village, fields, field
):
    new = {"village": village, "head_name": "Lò Văn Pánh", "head_birth_year": 1970, **fields}
    with pytest.raises(DomainError) as error:
        services.register_household(by=officer, year=2026, new_household=new)
    assert error.value.field == field
    assert not Household.objects.exists()
    assert not Registration.objects.exists()


def test_one_registration_per_subject_and_year_is_a_clear_message(criteria_sets, officer, village):
    registration = register_family(officer, village)
    with pytest.raises(DomainError, match="already registered"):
        services.register_household(by=officer, year=2026, household=registration.household)
    assert Registration.objects.count() == 1
    services.register_household(by=officer, year=2025, household=registration.household)
    assert Registration.objects.count() == 2


def test_the_database_holds_one_registration_per_subject_and_year(criteria_sets, officer, village):
    registration = register_family(officer, village)
    registration.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        registration.save()


def test_the_database_refuses_a_subject_of_the_wrong_kind(criteria_sets, officer, village):
    registration = register_family(officer, village)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(kind=ModelKind.CLAN)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(village=village)


def test_clans_villages_and_organisations_register_for_their_title(
    criteria_sets, tree, officer, village
):
    clan = services.create_clan(
        by=officer,
        commune=tree["commune"],
        surname="Lò",
        branch="chi bản Co Muông",
        representative="Lò Văn Thanh",
    )
    school = services.create_organisation(
        by=officer, commune=tree["commune"], name="Trường Tiểu học Mường Phăng", kind="school"
    )
    kinds = [
        services.register_subject(by=officer, year=2026, subject=subject).kind
        for subject in (clan, village, school)
    ]
    assert kinds == [ModelKind.CLAN, ModelKind.COMMUNITY, ModelKind.ORGANISATION]
    assert {r.criteria_set.kind for r in Registration.objects.all()} == set(kinds)
    assert Registration.objects.get(kind="clan").subject_name == "Lò (chi bản Co Muông)"
    with pytest.raises(DomainError, match="already registered"):
        services.register_subject(by=officer, year=2026, subject=village)
    with pytest.raises(DomainError):
        services.create_organisation(
            by=officer, commune=tree["commune"], name="Trường Tiểu học Mường Phăng", kind="school"
        )


def test_a_sibling_officer_cannot_register_a_village_of_another_commune(
    criteria_sets, sibling_officer, village
):
    with pytest.raises(DomainError):
        services.register_subject(by=sibling_officer, year=2026, subject=village)
    assert not Registration.objects.exists()


def test_renaming_a_household_updates_its_registrations_search_text(
    criteria_sets, officer, village
):
    registration = register_family(officer, village, head_name="Lò Văn Pánh")
    services.update_household(registration.household, by=officer, head_name="Lò Văn Panh Mới")
    registration.refresh_from_db()
    assert registration.subject_name == "Lò Văn Panh Mới"
    assert registration.search_text.startswith("lo van panh moi")


# --- duplicates ---


def test_same_name_and_birth_year_in_the_same_village_this_year_is_a_likely_duplicate(
    criteria_sets, officer, village
):
    register_family(officer, village, head_name="Nguyễn Văn An", head_birth_year=1970)
    new = {"village": village, "head_name": "NGUYEN VAN AN", "head_birth_year": 1970}
    with pytest.raises(DuplicateWarning) as warning:
        services.register_household(by=officer, year=2026, new_household=new)
    assert [m.reason for m in warning.value.matches] == [DuplicateReason.SAME_VILLAGE_THIS_YEAR]
    assert Registration.objects.count() == 1
    services.register_household(by=officer, year=2026, new_household=new, confirm_duplicate=True)
    assert Registration.objects.count() == 2


def test_another_birth_year_is_not_a_duplicate(criteria_sets, officer, village):
    register_family(officer, village, head_name="Nguyễn Văn An", head_birth_year=1970)
    assert not services.find_duplicates(
        head_name="Nguyễn Văn An", head_birth_year=1971, village=village, year=2026
    )


def test_last_year_in_another_commune_is_a_likely_duplicate(
    criteria_sets, officer, village, sibling_officer, sibling_village
):
    register_family(
        sibling_officer, sibling_village, year=2025, head_name="Đinh Văn Đức", head_birth_year=1980
    )
    matches = services.find_duplicates(
        head_name="dinh van duc", head_birth_year=1980, village=village, year=2026
    )
    assert [m.reason for m in matches] == [DuplicateReason.OTHER_COMMUNE_LAST_YEAR]
    assert matches[0].registration.unit == sibling_village.commune
    assert str(matches[0].message)


def test_an_existing_household_of_the_village_is_offered_instead_of_a_new_one(
    criteria_sets, officer, village
):
    registration = register_family(officer, village, year=2025, head_name="Lò Thị Xuân")
    matches = services.find_duplicates(
        head_name="Lò Thị Xuân", head_birth_year=1975, village=village, year=2026
    )
    assert [(m.reason, m.household) for m in matches] == [
        (DuplicateReason.SAME_HOUSEHOLD_EXISTS, registration.household)
    ]


# --- carry-over ---


def test_last_years_files_of_the_commune_and_its_predecessors_are_carried_over(
    criteria_sets, tree, officer, village, old_officer, old_village, province_staff
):
    kept = register_family(old_officer, old_village, year=2025, head_name="Quàng Văn Minh")
    mine = in_status(
        Status.RECOGNIZED, officer=officer, approver=province_staff, village=village, year=2025
    )
    gone = register_family(officer, village, year=2025)
    services.withdraw_registration(gone, by=officer, reason="Chuyển đi")
    already = register_family(officer, village, year=2025)
    services.register_household(by=officer, year=2026, household=already.household)

    results = services.carry_over_registrations(by=officer, unit=tree["commune"], year=2026)

    by_source = {r.source_id: r for r in results}
    assert by_source[kept.pk].ok and by_source[mine.pk].ok
    assert not by_source[gone.pk].ok and "Withdrawn" in by_source[gone.pk].message
    assert not by_source[already.pk].ok and "already registered" in by_source[already.pk].message
    carried = by_source[kept.pk].registration
    assert (carried.unit, carried.year, carried.status) == (
        tree["commune"],
        2026,
        Status.REGISTERED,
    )
    assert carried.household == kept.household
    kept.household.refresh_from_db()
    assert kept.household.commune == tree["commune"]
    # Its village passed to today's commune with it; the old commune keeps its own row.
    moved = kept.household.village
    assert (moved.commune, moved.name) == (tree["commune"], "Bản Nà Nhạn")
    assert old_village.commune == tree["old_commune"]
    assert AuditEntry.objects.filter(action="village.create", unit=tree["commune"]).count() == 1
    event = carried.events.get()
    assert (event.action, event.data) == (Action.REGISTER, {"carried_over_from": kept.pk})


def test_carried_over_households_and_communities_join_the_village_of_the_same_name(
    criteria_sets, tree, officer, village, old_officer
):
    old_same_name = VillageFactory(commune=tree["old_commune"], name=village.name)
    household = register_family(old_officer, old_same_name, year=2025, head_name="Lò Văn Ún")
    community = services.register_subject(by=old_officer, year=2025, subject=old_same_name)

    results = services.carry_over_registrations(by=officer, unit=tree["commune"], year=2026)

    assert all(result.ok for result in results)
    by_source = {r.source_id: r.registration for r in results}
    assert by_source[household.pk].household.village == village
    assert by_source[community.pk].village == village
    assert by_source[community.pk].unit == tree["commune"]
    # The files of 2025 still name the old commune's village.
    community.refresh_from_db()
    assert community.village == old_same_name
    assert not AuditEntry.objects.filter(action="village.create").exists()
    # A household left in an old village by an earlier carry-over is put right the next year.
    Household.objects.filter(pk=household.household_id).update(village=old_same_name)
    again = services.carry_over_registrations(by=officer, unit=tree["commune"], year=2027)
    assert [r.registration.household.village for r in again if r.registration.household] == [
        village
    ]


def test_a_carried_over_household_finds_its_village_whatever_the_case(
    criteria_sets, tree, officer, village, old_officer
):
    old_upper = VillageFactory(commune=tree["old_commune"], name=village.name.upper())
    register_family(old_officer, old_upper, year=2025, head_name="Lò Văn Ún")
    [result] = services.carry_over_registrations(by=officer, unit=tree["commune"], year=2026)
    assert result.registration.household.village == village
    assert not AuditEntry.objects.filter(action="village.create").exists()


def test_a_chosen_subset_is_carried_over_and_strangers_ids_are_reported(
    criteria_sets, tree, officer, village, sibling_officer, sibling_village
):
    first = register_family(officer, village, year=2025)
    register_family(officer, village, year=2025)
    foreign = register_family(sibling_officer, sibling_village, year=2025)
    results = services.carry_over_registrations(
        by=officer, unit=tree["commune"], year=2026, registration_ids=[first.pk, foreign.pk]
    )
    assert [(r.source_id, r.ok) for r in results] == [(foreign.pk, False), (first.pk, True)]
    assert Registration.objects.filter(year=2026).count() == 1


def test_a_sibling_officer_cannot_carry_over_into_another_commune(
    criteria_sets, tree, officer, village, sibling_officer
):
    register_family(officer, village, year=2025)
    with pytest.raises(DomainError):
        services.carry_over_registrations(by=sibling_officer, unit=tree["commune"], year=2026)
    assert not Registration.objects.filter(year=2026).exists()


def test_a_village_of_another_commune_cannot_be_given_to_a_household(
    criteria_sets, tree, officer, village
):
    registration = register_family(officer, village)
    elsewhere = VillageFactory(commune=tree["sibling"])
    with pytest.raises(DomainError):
        services.update_household(registration.household, by=officer, village=elsewhere)


def test_messages_are_in_vietnamese_by_default(criteria_sets, officer, village, settings):
    from django.utils import translation

    registration = register_family(officer, village)
    with translation.override(settings.LANGUAGE_CODE), pytest.raises(DomainError) as error:
        services.register_household(by=officer, year=2026, household=registration.household)
    assert "đã được đăng ký" in str(error.value.message)
