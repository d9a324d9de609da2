"""Every service of the centres: each allowed move, each refusal, and the trace it leaves."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from centers import services
from centers.models import (
    CenterChange,
    CenterRating,
    CenterYearReport,
    LearningCenter,
    RatingScheme,
    RatingStatus,
)
from tests.factories import make_unit
from tests.helpers import refused
from units.models import AuditEntry, Level

from .builders import GOOD_SCORES, REPORT_FIGURES, make_center, this_year

# Messages are matched in their English source form.
pytestmark = pytest.mark.usefixtures("english")

S = RatingStatus


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


# ------------------------------------------------------------------ registry


def test_commune_officer_registers_a_centre_in_their_commune_and_it_is_audited(tree, officer):
    center = services.create_center(by=officer, commune=tree["commune"], name="TTHTCĐ mới")
    assert center.commune == tree["commune"]
    assert center.is_current
    assert AuditEntry.objects.filter(action="center.create", actor=officer).exists()


def test_officer_cannot_register_a_centre_in_another_commune(tree, officer):
    refused(lambda: services.create_center(by=officer, commune=tree["sibling"], name="X"))
    assert not LearningCenter.objects.exists()


def test_province_staff_register_a_centre_in_any_current_commune(tree, province_staff):
    center = services.create_center(by=province_staff, commune=tree["sibling"], name="TTHTCĐ")
    assert center.pk


def test_no_centre_is_registered_in_a_commune_that_has_ended(tree, province_staff):
    refused(
        lambda: services.create_center(by=province_staff, commune=tree["old_commune"], name="X")
    )


def test_a_centre_needs_a_name_and_non_negative_staff_counts(tree, officer):
    refused(
        lambda: services.create_center(by=officer, commune=tree["commune"], name=" "), field="name"
    )
    refused(
        lambda: services.create_center(
            by=officer, commune=tree["commune"], name="X", volunteers=-1
        ),
        field="volunteers",
    )
    assert not LearningCenter.objects.exists()


def test_sibling_officer_cannot_edit_the_centre_and_nothing_changes(center, sibling_officer):
    refused(lambda: services.update_center(center, by=sibling_officer, name="Đổi tên"))
    assert fresh(center).name == center.name


def test_officer_edits_the_centre_and_contacts_stay_out_of_the_audit(center, officer):
    services.update_center(center, by=officer, phone="0987 000 111", volunteers=9)
    assert fresh(center).volunteers == 9
    entry = AuditEntry.objects.get(action="center.update")
    assert "phone" not in entry.changes
    assert entry.changes["volunteers"] == ["0", "9"]


# ------------------------------------------------------------------ yearly reports


def test_filed_report_keeps_the_commune_of_its_year_and_derives_its_totals(report, center):
    assert report.commune == center.commune
    assert report.total_participants == 120 + 400 + 520 + 210 + 600
    assert report.total_classes == 4 + 6 + 8 + 3 + 5
    assert report.total_funds == 25_000_000
    assert AuditEntry.objects.filter(action="center.report.file").exists()


def test_a_second_report_for_the_same_year_is_refused_and_the_first_is_unchanged(report, officer):
    error = refused(
        lambda: services.file_year_report(
            report.center, by=officer, year=report.year, **{**REPORT_FIGURES, "law_classes": 99}
        ),
        field="year",
    )
    assert str(report.year) in str(error.message)
    assert CenterYearReport.objects.count() == 1
    assert fresh(report).law_classes == 6


@pytest.mark.parametrize(
    ("figures", "field"),
    [
        ({"health_classes": -1}, "health_classes"),
        ({"funds_social": -5}, "funds_social"),
        ({"law_participants": "nhiều"}, "law_participants"),
        ({"law_participants": "12.5"}, "law_participants"),
        ({"learners_women": None}, "learners_women"),
        ({"it_other_classes": 2, "it_other_participants": 0}, "it_other_participants"),
        ({"learners_elderly": 10_000}, "learners_elderly"),
    ],
)
def test_bad_figures_are_refused_next_to_their_field_and_nothing_is_filed(
    center, officer, figures, field
):
    refused(
        lambda: services.file_year_report(
            center, by=officer, year=this_year() - 1, **{**REPORT_FIGURES, **figures}
        ),
        field=field,
    )
    assert not CenterYearReport.objects.exists()


@pytest.mark.parametrize("year", [2100, 1800, "năm nay"])
def test_a_report_for_a_future_or_impossible_year_is_refused(center, officer, year):
    refused(lambda: services.file_year_report(center, by=officer, year=year), field="year")


def test_a_report_from_before_the_centre_existed_is_refused(center, officer):
    refused(lambda: services.file_year_report(center, by=officer, year=2005), field="year")


def test_only_the_commune_officer_files_reports(center, province_staff, sibling_officer):
    for user in (province_staff, sibling_officer):
        refused(lambda user=user: services.file_year_report(center, by=user, year=this_year()))
    assert not CenterYearReport.objects.exists()


def test_correcting_a_report_changes_only_what_was_given_and_is_audited(report, officer):
    services.update_year_report(report, by=officer, law_participants=450, note="Bổ sung")
    report = fresh(report)
    assert report.law_participants == 450
    assert report.literacy_participants == 120
    assert report.note == "Bổ sung"
    entry = AuditEntry.objects.get(action="center.report.update")
    assert entry.changes["law_participants"] == [400, 450]


def test_a_correction_that_breaks_a_rule_changes_nothing(report, officer):
    refused(
        lambda: services.update_year_report(report, by=officer, law_participants=0),
        field="law_participants",
    )
    assert fresh(report).law_participants == 400


def test_the_database_itself_keeps_one_report_per_centre_and_year(report):
    with pytest.raises(IntegrityError), transaction.atomic():
        CenterYearReport.objects.create(
            center=report.center, year=report.year, commune_id=report.commune_id
        )


def test_the_database_refuses_classes_without_participants(center):
    with pytest.raises(IntegrityError), transaction.atomic():
        CenterYearReport.objects.create(
            center=center, year=2020, commune=center.commune, health_classes=3
        )


# ------------------------------------------------------------------ mergers and carry-over


def test_province_staff_merge_a_legacy_centre_into_the_communes_centre(
    center, legacy_center, province_staff
):
    day = datetime.date(2026, 1, 15)
    services.merge_centers(
        center, [legacy_center], by=province_staff, date=day, legal_basis="QĐ 12/QĐ-UBND"
    )
    legacy = fresh(legacy_center)
    assert legacy.valid_to == day - datetime.timedelta(days=1)
    assert fresh(center).is_current
    link = CenterChange.objects.get()
    assert (link.predecessor, link.successor, link.recorded_by) == (legacy, center, province_staff)
    assert AuditEntry.objects.filter(action="center.merge").exists()


def test_the_officer_cannot_merge_centres(center, legacy_center, officer):
    refused(
        lambda: services.merge_centers(
            center, [legacy_center], by=officer, date=datetime.date(2026, 1, 1)
        )
    )
    assert fresh(legacy_center).is_current


def test_only_centres_of_one_commune_merge(center, sibling_center, province_staff):
    refused(
        lambda: services.merge_centers(
            center, [sibling_center], by=province_staff, date=datetime.date(2026, 1, 1)
        ),
        field="predecessors",
    )
    assert not CenterChange.objects.exists()


def test_a_merger_needs_another_centre_and_a_date_not_in_the_future(
    center, legacy_center, province_staff
):
    refused(
        lambda: services.merge_centers(
            center, [center], by=province_staff, date=datetime.date(2026, 1, 1)
        ),
        field="predecessors",
    )
    refused(
        lambda: services.merge_centers(
            center, [legacy_center], by=province_staff, date=datetime.date(2100, 1, 1)
        ),
        field="date",
    )
    assert fresh(legacy_center).is_current


def test_a_centre_with_an_unfinished_rating_is_not_merged_away(
    center, legacy_center, officer, province_staff
):
    services.save_self_assessment(legacy_center, by=officer, year=this_year(), scores=GOOD_SCORES)
    refused(
        lambda: services.merge_centers(
            center, [legacy_center], by=province_staff, date=datetime.date(2026, 1, 1)
        ),
        contains=str(this_year()),
    )
    assert fresh(legacy_center).is_current


def test_centres_of_an_ended_commune_are_attached_to_the_commune_it_became(
    tree, scheme, province_staff, officer
):
    old = LearningCenter.objects.create(name="TTHTCĐ xã Nà Nhạn", commune=tree["old_commune"])
    refused(lambda: services.carry_centers_over(by=officer))
    moved, stuck = services.carry_centers_over(by=province_staff)
    assert moved == [old]
    assert stuck == []
    assert fresh(old).commune == tree["commune"]
    entry = AuditEntry.objects.get(action="center.carry_over")
    assert entry.changes["commune"] == ["Xã Nà Nhạn", "Xã Mường Phăng"]


def test_a_centre_whose_commune_has_no_successor_is_left_and_reported(tree, scheme, province_staff):
    lost = make_unit("Xã Cũ", Level.COMMUNE, tree["district"], valid_to=datetime.date(2019, 12, 31))
    center = LearningCenter.objects.create(name="TTHTCĐ xã Cũ", commune=lost)
    moved, stuck = services.carry_centers_over(by=province_staff)
    assert (moved, stuck) == ([], [center])
    assert fresh(center).commune == lost


# ------------------------------------------------------------------ rating schemes

CRITERIA = [
    {"number": 1, "title": "Tổ chức", "max_points": 40},
    {"number": 2, "title": "Hoạt động", "max_points": 60},
]
BANDS = [
    {"code": "tot", "name": "Tốt", "min_total": 80},
    {"code": "dat", "name": "Đạt", "min_total": 50},
    {"code": "chua-dat", "name": "Chưa đạt", "min_total": 0},
]


def _new_scheme(by, **overrides):
    fields = {
        "key": "tt-2027",
        "name": "Thang 2027",
        "year_from": 2027,
        "year_to": None,
        "provisional": True,
        "legal_basis": "",
        "criteria": CRITERIA,
        "bands": BANDS,
    } | overrides
    return services.create_scheme(by=by, **fields)


def test_province_staff_create_a_scheme_with_criteria_and_bands(province_staff, db):
    scheme = _new_scheme(province_staff)
    assert scheme.version == 1
    assert [c.max_points for c in scheme.criteria.all()] == [40, 60]
    assert [b.code for b in scheme.bands.all()] == ["tot", "dat", "chua-dat"]


def test_a_commune_officer_cannot_manage_schemes(officer, scheme):
    refused(lambda: _new_scheme(officer))
    refused(
        lambda: services.edit_scheme(
            scheme, by=officer, name="X", year_from=2014, criteria=CRITERIA, bands=BANDS
        )
    )
    assert RatingScheme.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "contains"),
    [
        ({"bands": BANDS[:2]}, "0"),
        ({"bands": [*BANDS, {"code": "x", "name": "X", "min_total": 80}]}, "80"),
        ({"bands": [*BANDS[:2], {"code": "cao", "name": "Cao", "min_total": 120}]}, "120"),
        ({"criteria": [*CRITERIA, {"number": 2, "title": "Lặp", "max_points": 5}]}, "2"),
        ({"criteria": [{"number": 1, "title": "A", "max_points": 0}]}, "1"),
        ({"criteria": []}, None),
        ({"key": "default"}, None),
        ({"year_to": 2020}, None),
    ],
)
def test_a_broken_scheme_is_refused(province_staff, scheme, overrides, contains):
    refused(lambda: _new_scheme(province_staff, **overrides), contains=contains)
    assert RatingScheme.objects.count() == 1


def test_editing_an_unused_scheme_changes_it_in_place(province_staff, db):
    scheme = _new_scheme(province_staff)
    edited = services.edit_scheme(
        scheme,
        by=province_staff,
        name="Thang 2027 (sửa)",
        year_from=2027,
        provisional=False,
        criteria=CRITERIA,
        bands=BANDS[1:],
    )
    assert edited.pk == scheme.pk
    assert not edited.provisional
    assert edited.bands.count() == 2


def test_editing_a_used_scheme_makes_a_new_version_and_old_ratings_keep_theirs(
    self_assessed, province_staff, officer, legacy_center
):
    used = self_assessed.scheme
    new = services.edit_scheme(
        used,
        by=province_staff,
        name=used.name,
        year_from=used.year_from,
        provisional=False,
        criteria=[{"number": 1, "title": "Toàn diện", "max_points": 100}],
        bands=BANDS,
    )
    assert (new.key, new.version, new.replaces) == (used.key, 2, used)
    assert not fresh(used).is_active
    assert fresh(self_assessed).scheme == used
    assert used.criteria.count() == 4
    # A new rating takes the new version.
    rating = services.save_self_assessment(
        legacy_center, by=officer, year=this_year(), scores={1: 81}
    )
    assert rating.scheme == new
    assert rating.band.code == "tot"
    # The replaced version is no longer edited.
    refused(
        lambda: services.edit_scheme(
            used, by=province_staff, name="X", year_from=2014, criteria=CRITERIA, bands=BANDS
        )
    )


def test_the_scheme_of_a_year_is_the_newest_version_covering_it(province_staff, scheme):
    later = _new_scheme(province_staff, year_from=2030)
    assert services.scheme_for_year(2029) == scheme
    assert services.scheme_for_year(2030) == later


def test_the_default_scheme_is_made_only_once(db):
    assert services.ensure_default_scheme() == services.ensure_default_scheme()
    assert RatingScheme.objects.filter(key="default").count() == 1


def test_a_centre_made_by_the_builders_is_in_today_s_commune(tree, scheme):
    assert make_center(tree).commune == tree["commune"]


def test_a_late_rating_or_report_of_a_year_before_the_merger_belongs_to_that_years_commune(
    tree, officer, province_staff, legacy_center, center
):
    """Filed after 1 July 2025, a 2024 report and rating were stored under today's commune
    (formed in 2025): "as the units were" showed a row for it and left the old district short."""
    report = services.file_year_report(legacy_center, by=officer, year=2024, **REPORT_FIGURES)
    assert report.commune == tree["old_commune"]  # the centre bears old Xã Nà Nhạn's name
    rating = services.save_self_assessment(legacy_center, by=officer, year=2024, scores=GOOD_SCORES)
    services.submit_rating(rating, by=officer)
    services.rate_center(
        CenterRating.objects.get(pk=rating.pk), by=province_staff, scores=GOOD_SCORES
    )
    services.publish_rating(CenterRating.objects.get(pk=rating.pk), by=province_staff)
    assert CenterRating.objects.get(pk=rating.pk).commune == tree["old_commune"]
    # Today's centre of Xã Mường Phăng: its one predecessor was Xã Nà Nhạn.
    assert services.file_year_report(center, by=officer, year=2023).commune == tree["old_commune"]
    # This year: today's commune.
    assert (
        services.file_year_report(legacy_center, by=officer, year=this_year()).commune
        == tree["commune"]
    )
