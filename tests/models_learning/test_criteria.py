"""Criteria sets are data: province staff create and edit them; a used set is frozen."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from lib.errors import DomainError
from models_learning import services
from models_learning.criteria_data import CRITERIA_SETS
from models_learning.models import CriteriaSet, Criterion
from units.models import AuditEntry

from .factories import full_marks, register_family

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CRITERIA = [
    {"number": 1, "title": "Học tập của trẻ em", "max_points": 60},
    {"number": 2, "title": "Học tập của người lớn", "max_points": 40, "required": True},
]


def _new_set(by, **fields):
    values = {
        "code": "family-test",
        "kind": "family",
        "name": "Bộ thử",
        "valid_from_year": 2026,
        "valid_to_year": 2030,
        "max_score": 100,
        "pass_mark": 70,
        "approval_levels": ["commune", "province"],
        "criteria": CRITERIA,
    }
    values.update(fields)
    return services.create_criteria_set(by=by, **values)


def test_the_seed_loads_the_qd_448_family_set_as_the_brief_says(db):
    call_command("load_criteria_sets", stdout=io.StringIO())
    family = CriteriaSet.objects.get(code="family-qd448-2016")
    assert (family.max_score, family.pass_mark, family.provisional) == (100, 80, True)
    assert (family.valid_from_year, family.valid_to_year) == (2014, 2020)
    assert "448" in family.legal_basis
    criteria = {c.number: c for c in family.criteria.all()}
    assert [criteria[n].max_points for n in (1, 2, 3, 4)] == [30, 30, 20, 20]
    assert criteria[1].title == "Học tập của trẻ em"
    assert not criteria[1].provisional
    assert [item["provisional"] for item in criteria[2].sub_items] == [False, False, True]
    assert criteria[3].provisional and criteria[4].provisional
    # Three per title, and the learning citizens' (citizens app).
    assert CriteriaSet.objects.count() == len(CRITERIA_SETS) == 13
    assert set(CriteriaSet.objects.values_list("kind", flat=True)) == {
        "family",
        "clan",
        "community",
        "organisation",
        "citizen",
    }
    call_command("load_criteria_sets", stdout=io.StringIO())
    assert CriteriaSet.objects.count() == 13


def test_only_what_was_checked_against_an_official_text_is_not_provisional(db):
    """The 2021–2030 family sets marked criterion 1 and items 2.1–2.2 as verified, with QĐ 387
    (the programme, which holds no criteria) as their only source."""
    call_command("load_criteria_sets", stdout=io.StringIO())
    verified = {
        (s.code, c.number)
        for c in Criterion.objects.select_related("criteria_set")
        for s in [c.criteria_set]
        if not c.provisional or any(not item["provisional"] for item in c.sub_items)
    }
    assert verified == {("family-qd448-2016", 1), ("family-qd448-2016", 2)}
    for criteria_set in CriteriaSet.objects.exclude(code="family-qd448-2016").exclude(
        kind="citizen"
    ):
        assert "448" in criteria_set.legal_basis or "387" in criteria_set.legal_basis
    # The learning citizens' set names its own basis (QĐ 677) and the text not found.
    citizen = CriteriaSet.objects.get(kind="citizen")
    assert "677" in citizen.legal_basis and all(c.provisional for c in citizen.criteria.all())
    # The organisation sets' 30/40/30 split has no source: each criterion says so.
    for criterion in Criterion.objects.filter(criteria_set__kind="organisation"):
        assert criterion.provisional and "30/30/40" in criterion.guidance
        assert "TT 22/2020" in criterion.guidance


def test_the_data_migration_marks_the_sets_already_loaded(db):
    import importlib

    from django.apps import apps

    call_command("load_criteria_sets", stdout=io.StringIO())
    # As loaded before: criterion 1 of the 2021 family sets verified, the old guidance.
    Criterion.objects.filter(criteria_set__code="family-2021", number=1).update(provisional=False)
    Criterion.objects.filter(criteria_set__kind="organisation").update(
        guidance="Tạm thời: chờ cán bộ tỉnh đối chiếu văn bản."
    )
    importlib.import_module("models_learning.migrations.0009_criteria_sets_provenance").forwards(
        apps, None
    )
    assert Criterion.objects.get(criteria_set__code="family-2021", number=1).provisional
    assert not Criterion.objects.get(criteria_set__code="family-qd448-2016", number=1).provisional
    assert (
        not Criterion.objects.filter(criteria_set__kind="organisation")
        .exclude(guidance__contains="30/30/40")
        .exists()
    )


def test_province_staff_create_a_set_and_it_is_audited(tree, province_staff):
    criteria_set = _new_set(province_staff)
    assert criteria_set.criteria.count() == 2
    assert AuditEntry.objects.filter(action="criteria_set.create", actor=province_staff).exists()


@pytest.mark.parametrize("persona", ["officer", "sibling_officer"])
def test_commune_officers_cannot_manage_criteria_sets(request, tree, persona):
    with pytest.raises(DomainError):
        _new_set(request.getfixturevalue(persona))
    assert not CriteriaSet.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"pass_mark": 120}, "pass_mark"),
        ({"valid_to_year": 2020}, "valid_to_year"),
        ({"approval_levels": ["province", "commune"]}, "approval_levels"),
        ({"approval_levels": ["commune"]}, "approval_levels"),
        ({"criteria": [{"number": 1, "title": "Một", "max_points": 90}]}, "criteria"),
        ({"criteria": [{"number": 1, "title": "", "max_points": 100}]}, "criteria"),
        (
            {
                "criteria": [
                    {"number": 1, "title": "A", "max_points": 50},
                    {"number": 1, "title": "B", "max_points": 50},
                ]
            },
            "criteria",
        ),
        (
            {
                "criteria": [
                    {"number": 1, "title": "A", "max_points": "99.5"},
                    {"number": 2, "title": "B", "max_points": "0.5"},
                ]
            },
            "criteria",
        ),
        ({"name": " "}, "name"),
        ({"bands": [{"label": "Tốt", "min": 150}]}, "bands"),
    ],
)
def test_a_bad_set_is_refused_with_the_field_named(tree, province_staff, fields, field):
    with pytest.raises(DomainError) as error:
        _new_set(province_staff, **fields)
    assert error.value.field == field
    assert not CriteriaSet.objects.exists()


def test_an_unused_set_is_edited_in_place(tree, province_staff):
    criteria_set = _new_set(province_staff)
    edited = services.update_criteria_set(criteria_set, by=province_staff, pass_mark=75)
    assert edited.pk == criteria_set.pk
    assert (edited.pass_mark, edited.version) == (75, 1)


def test_editing_a_frozen_set_makes_a_new_version_and_old_files_keep_theirs(
    tree, province_staff, officer, village
):
    criteria_set = _new_set(province_staff)
    registration = register_family(officer, village, year=2026)
    assert registration.criteria_set == criteria_set
    criteria_set.refresh_from_db()
    assert criteria_set.is_frozen

    new = services.update_criteria_set(
        criteria_set,
        by=province_staff,
        name="Bộ thử (sửa)",
        criteria=[*CRITERIA[:1], {"number": 2, "title": "Người lớn học tập", "max_points": 40}],
    )
    criteria_set.refresh_from_db()
    assert new.pk != criteria_set.pk
    assert (new.version, new.previous_version, new.is_current) == (2, criteria_set, True)
    assert (criteria_set.is_current, criteria_set.name) == (False, "Bộ thử")
    assert criteria_set.criteria.get(number=2).title == "Học tập của người lớn"
    assert new.criteria.get(number=2).title == "Người lớn học tập"

    registration.refresh_from_db()
    assert registration.criteria_set == criteria_set
    services.save_scores(registration, by=officer, points=full_marks(registration))
    assert register_family(officer, village, year=2026).criteria_set == new

    with pytest.raises(DomainError, match="newest version"):
        services.update_criteria_set(criteria_set, by=province_staff, pass_mark=60)


def test_a_required_criterion_below_its_bar_blocks_the_proposal(
    tree, province_staff, officer, village
):
    criteria = [
        {"number": 1, "title": "A", "max_points": 60},
        {"number": 2, "title": "B", "max_points": 40, "required": True, "min_points": 30},
    ]
    _new_set(province_staff, criteria=criteria, pass_mark=50)
    registration = register_family(officer, village, year=2026)
    by_number = {c.number: c for c in registration.criteria_set.criteria.all()}
    services.save_scores(registration, by=officer, points={by_number[1]: 60, by_number[2]: 20})
    with pytest.raises(DomainError, match="Required criteria not met: 2"):
        services.propose_registration(registration, by=officer)


def test_bands_grade_a_total(tree, province_staff):
    criteria_set = _new_set(
        province_staff, bands=[{"label": "Tốt", "min": 85}, {"label": "Khá", "min": 70}]
    )
    assert criteria_set.band_for(Decimal(90)) == "Tốt"
    assert criteria_set.band_for(Decimal(72)) == "Khá"
    assert criteria_set.band_for(Decimal(10)) == ""


def test_criteria_are_ordered_by_number(tree, province_staff):
    _new_set(province_staff, criteria=list(reversed(CRITERIA)))
    assert list(Criterion.objects.values_list("number", flat=True)) == [1, 2]
