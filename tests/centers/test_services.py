"""Every service of the centres: each allowed move, each refusal, and the trace it leaves."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from centers import services
from centers.models import (
    CenterChange,
    CenterRating,
    CenterRatingEvent,
    CenterScore,
    CenterYearReport,
    LearningCenter,
    RatingScheme,
    RatingStatus,
)
from tests.factories import make_member, make_unit
from tests.helpers import refused
from units.models import AuditEntry, Level, Role

from .builders import FAIR_SCORES, GOOD_SCORES, REPORT_FIGURES, make_center, this_year

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


# ------------------------------------------------------------------ self-assessment


def test_self_assessment_creates_the_years_rating_with_total_band_scores_and_event(
    self_assessed, officer, scheme
):
    rating = self_assessed
    assert rating.status == S.SELF_ASSESSED
    assert rating.total == Decimal(88)
    assert rating.band.code == "tot"
    assert rating.commune == rating.center.commune
    assert {s.criterion.number: s.self_points for s in rating.scores.all()} == GOOD_SCORES
    event = rating.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "self_assess",
        "",
        S.SELF_ASSESSED,
        officer,
    )
    assert fresh(scheme).is_frozen


def test_saving_the_self_assessment_again_corrects_the_same_rating(self_assessed, officer):
    rating = services.save_self_assessment(
        self_assessed.center, by=officer, year=self_assessed.year, scores=FAIR_SCORES
    )
    assert rating.pk == self_assessed.pk
    assert CenterRating.objects.count() == 1
    assert rating.total == Decimal(74)
    assert rating.band.code == "kha"
    assert rating.events.count() == 2


@pytest.mark.parametrize(
    ("scores", "field", "contains"),
    [
        ({**GOOD_SCORES, 2: Decimal("30.5")}, "c2", "30"),
        ({**GOOD_SCORES, 1: 26}, "c1", "25"),
        ({**GOOD_SCORES, 3: -1}, "c3", None),
        ({**GOOD_SCORES, 4: "tốt"}, "c4", None),
        ({**GOOD_SCORES, 4: "1e400"}, "c4", None),
        ({1: 20, 2: 20, 3: 10}, "c4", None),
        ({**GOOD_SCORES, 1: "20.125"}, "c1", None),
    ],
)
def test_a_bad_score_is_refused_next_to_its_criterion_and_nothing_is_created(
    center, officer, scores, field, contains
):
    refused(
        lambda: services.save_self_assessment(center, by=officer, year=this_year(), scores=scores),
        field=field,
        contains=contains,
    )
    assert not CenterRating.objects.exists()
    assert not CenterScore.objects.exists()


def test_scores_may_use_a_decimal_comma(center, officer):
    rating = services.save_self_assessment(
        center, by=officer, year=this_year(), scores={**GOOD_SCORES, 1: "21,5"}
    )
    assert rating.total == Decimal("87.5")


def test_only_the_commune_officer_self_assesses(center, sibling_officer, province_staff):
    for user in (sibling_officer, province_staff):
        refused(
            lambda user=user: services.save_self_assessment(
                center, by=user, year=this_year(), scores=GOOD_SCORES
            )
        )
    assert not CenterRating.objects.exists()


def test_a_year_without_a_scheme_is_refused_with_a_message(center, officer, scheme):
    RatingScheme.objects.filter(pk=scheme.pk).update(year_from=this_year() + 1)
    refused(
        lambda: services.save_self_assessment(
            center, by=officer, year=this_year(), scores=GOOD_SCORES
        ),
        field="year",
        contains=str(this_year()),
    )


# ------------------------------------------------------------------ submit, rate, return, publish


def test_officer_submits_the_self_assessment(submitted, officer):
    assert submitted.status == S.SUBMITTED
    event = submitted.events.last()
    assert (event.from_status, event.to_status, event.actor) == (
        S.SELF_ASSESSED,
        S.SUBMITTED,
        officer,
    )


def test_a_submitted_rating_cannot_be_submitted_again(submitted, officer):
    refused(lambda: services.submit_rating(submitted, by=officer))
    assert submitted.events.count() == 2


def test_sibling_officer_cannot_submit(self_assessed, sibling_officer):
    refused(lambda: services.submit_rating(self_assessed, by=sibling_officer))
    assert fresh(self_assessed).status == S.SELF_ASSESSED


def test_a_second_rating_for_the_same_year_is_refused_once_submitted_and_nothing_changes(
    submitted, officer
):
    error = refused(
        lambda: services.save_self_assessment(
            submitted.center, by=officer, year=submitted.year, scores=FAIR_SCORES
        ),
        field="year",
    )
    assert str(submitted.year) in str(error.message)
    rating = fresh(submitted)
    assert (rating.status, rating.total) == (S.SUBMITTED, Decimal(88))
    assert CenterRating.objects.count() == 1


def test_the_database_itself_keeps_one_rating_per_centre_and_year(self_assessed):
    with pytest.raises(IntegrityError), transaction.atomic():
        CenterRating.objects.create(
            center=self_assessed.center,
            year=self_assessed.year,
            scheme=self_assessed.scheme,
            commune=self_assessed.commune,
        )


def test_the_database_refuses_points_above_the_criterions_maximum(self_assessed):
    score = self_assessed.scores.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        CenterScore.objects.filter(pk=score.pk).update(points=score.max_points + 1)


def test_province_staff_rate_unchanged_scores_without_a_reason(submitted, province_staff):
    rating = services.rate_center(submitted, by=province_staff, scores=GOOD_SCORES)
    assert rating.status == S.RATED
    assert rating.total == Decimal(88)
    event = rating.events.last()
    assert (event.action, event.actor, event.changes["scores"]) == ("rate", province_staff, [])


def test_a_changed_score_without_its_reason_is_refused_and_nothing_changes(
    submitted, province_staff
):
    refused(
        lambda: services.rate_center(
            submitted, by=province_staff, scores={**GOOD_SCORES, 2: 20}, reasons={2: "  "}
        ),
        field="reason2",
    )
    rating = fresh(submitted)
    assert rating.status == S.SUBMITTED
    assert rating.scores.get(criterion__number=2).points == 27


def test_each_changed_score_and_its_reason_are_recorded(rated, province_staff):
    assert rated.status == S.RATED
    assert rated.total == Decimal(86)
    assert rated.band.code == "tot"
    score = rated.scores.get(criterion__number=2)
    assert (score.self_points, score.points, score.adjusted) == (27, 25, True)
    event = rated.events.last()
    assert event.changes["scores"] == [
        {
            "criterion": 2,
            "from": "27.00",
            "to": "25",
            "reason": "Thiếu sổ theo dõi lớp học pháp luật.",
        }
    ]
    assert event.reason == "Ghi chú nội bộ của người chấm."


def test_a_lower_score_moves_the_band_down(submitted, province_staff):
    rating = services.rate_center(
        submitted,
        by=province_staff,
        scores={**GOOD_SCORES, 4: Decimal("17.5")},
        reasons={4: "Hiệu quả chưa rõ."},
    )
    assert rating.total == Decimal("84.5")
    assert rating.band.code == "kha"


def test_province_staff_may_rate_again_before_publishing(rated, province_staff):
    rating = services.rate_center(
        rated, by=province_staff, scores={**GOOD_SCORES, 2: 26}, reasons={2: "Đã bổ sung sổ."}
    )
    assert rating.total == Decimal(87)
    assert rating.events.filter(action="rate").count() == 2


def test_only_a_submitted_rating_is_rated(self_assessed, province_staff):
    refused(lambda: services.rate_center(self_assessed, by=province_staff, scores=GOOD_SCORES))
    assert fresh(self_assessed).status == S.SELF_ASSESSED


@pytest.mark.parametrize("persona", ["officer", "sibling_officer"])
def test_a_commune_officer_cannot_rate(submitted, persona, request):
    user = request.getfixturevalue(persona)
    refused(lambda: services.rate_center(submitted, by=user, scores=GOOD_SCORES))
    assert fresh(submitted).status == S.SUBMITTED


def test_staff_of_another_province_cannot_rate_a_centre_outside_their_scope(submitted, db):
    other = make_unit("Tỉnh Lai Châu", Level.PROVINCE, admin_code="12")
    stranger = make_member(other, Role.APPROVER, Role.MANAGER, username="laichau")
    for call in (
        lambda: services.rate_center(submitted, by=stranger, scores=GOOD_SCORES),
        lambda: services.return_rating(submitted, by=stranger, reason="x"),
    ):
        refused(call)
    assert fresh(submitted).status == S.SUBMITTED


def test_a_province_manager_without_approver_role_cannot_rate(submitted, tree):
    manager = make_member(tree["province"], Role.MANAGER, username="manager-only")
    refused(lambda: services.rate_center(submitted, by=manager, scores=GOOD_SCORES))


def test_return_needs_a_reason(submitted, province_staff):
    refused(
        lambda: services.return_rating(submitted, by=province_staff, reason=" "), field="reason"
    )
    assert fresh(submitted).status == S.SUBMITTED


def test_returned_rating_is_corrected_and_submitted_again_in_the_same_row(
    submitted, officer, province_staff
):
    rating = services.return_rating(submitted, by=province_staff, reason="Thiếu biên bản họp.")
    assert rating.status == S.RETURNED
    assert rating.events.last().reason == "Thiếu biên bản họp."
    rating = services.save_self_assessment(
        rating.center, by=officer, year=rating.year, scores=FAIR_SCORES
    )
    rating = services.submit_rating(rating, by=officer)
    assert rating.status == S.SUBMITTED
    assert CenterRating.objects.count() == 1
    assert [e.to_status for e in rating.events.all()] == [
        S.SELF_ASSESSED,
        S.SUBMITTED,
        S.RETURNED,
        S.SELF_ASSESSED,
        S.SUBMITTED,
    ]


def test_a_rated_rating_can_be_returned_too(rated, province_staff):
    assert services.return_rating(rated, by=province_staff, reason="Xem lại").status == S.RETURNED


def test_the_officer_cannot_return(submitted, officer):
    refused(lambda: services.return_rating(submitted, by=officer, reason="x"))


@pytest.mark.parametrize("fixture", ["self_assessed", "submitted"])
def test_publishing_an_unrated_centre_is_refused_and_nothing_changes(
    fixture, province_staff, request
):
    rating = request.getfixturevalue(fixture)
    before = rating.status
    refused(lambda: services.publish_rating(rating, by=province_staff), contains="rated")
    rating = fresh(rating)
    assert rating.status == before
    assert rating.published_at is None


def test_province_staff_publish_a_rated_centre(rated, province_staff):
    rating = services.publish_rating(rated, by=province_staff)
    assert rating.status == S.PUBLISHED
    assert rating.published_at is not None
    event = rating.events.last()
    assert (event.action, event.from_status, event.to_status) == ("publish", S.RATED, S.PUBLISHED)


def test_the_officer_cannot_publish(rated, officer):
    refused(lambda: services.publish_rating(rated, by=officer))
    assert fresh(rated).status == S.RATED


def test_a_published_rating_is_final(published, province_staff, officer):
    for call in (
        lambda: services.publish_rating(published, by=province_staff),
        lambda: services.return_rating(published, by=province_staff, reason="x"),
        lambda: services.rate_center(published, by=province_staff, scores=GOOD_SCORES),
        lambda: services.save_self_assessment(
            published.center, by=officer, year=published.year, scores=FAIR_SCORES
        ),
    ):
        refused(call)
    assert fresh(published).status == S.PUBLISHED


def test_every_step_writes_one_event_with_its_actor(published, officer, province_staff):
    steps = list(
        CenterRatingEvent.objects.filter(rating=published).values_list(
            "action", "from_status", "to_status", "actor"
        )
    )
    assert steps == [
        ("self_assess", "", S.SELF_ASSESSED, officer.pk),
        ("submit", S.SELF_ASSESSED, S.SUBMITTED, officer.pk),
        ("rate", S.SUBMITTED, S.RATED, province_staff.pk),
        ("publish", S.RATED, S.PUBLISHED, province_staff.pk),
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks exist on PostgreSQL")
def test_each_transition_locks_the_rating_row(submitted, province_staff):
    with CaptureQueriesContext(connection) as queries:
        services.rate_center(submitted, by=province_staff, scores=GOOD_SCORES)
    assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)


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
