"""Clans, village communities, centre reports and self-assessments: new, unchanged, corrected,
and the rules of their services."""

from decimal import Decimal

import pytest

from centers import services as center_services
from centers.models import CenterRating, CenterYearReport, RatingStatus
from models_learning.models import Clan, ModelKind, Registration
from tests.imports.conftest import YEAR, check, filled, problems_of
from transfers.imports import services
from transfers.imports.context import ImportContext
from transfers.models import ImportMode, ImportStatus

pytestmark = pytest.mark.django_db


def run(officer, tree, kind, rows):
    return check(officer, kind, tree["commune"], filled(kind, tree["commune"], rows))


def imported(officer, batch, mode=ImportMode.ALL):
    batch = services.import_batch(batch, by=officer, mode=mode)
    assert batch.status == ImportStatus.IMPORTED, batch.problems
    return batch


# --- clans ------------------------------------------------------------------------------------


def clan_row(surname="Lò", branch="Chi 2", representative="Lò Văn Hặc", year=YEAR):
    return {"surname": surname, "branch": branch, "representative": representative, "year": year}


def test_clans_are_created_and_registered(officer, criteria_sets, tree):
    batch = run(officer, tree, "clans", [clan_row(), clan_row(surname="Quàng", branch="")])
    assert batch.counts["new"] == 2
    imported(officer, batch)
    clan = Clan.objects.get(surname="Lò")
    assert (clan.branch, clan.representative, clan.commune) == (
        "Chi 2",
        "Lò Văn Hặc",
        tree["commune"],
    )
    assert Registration.objects.filter(kind=ModelKind.CLAN, year=YEAR).count() == 2


def test_a_known_clan_is_found_by_surname_and_branch_whatever_the_accents(
    officer, criteria_sets, tree
):
    imported(officer, run(officer, tree, "clans", [clan_row()]))
    again = run(officer, tree, "clans", [clan_row(surname="LÒ", branch="chi  2")])
    assert again.counts["unchanged"] == 1
    next_year = run(officer, tree, "clans", [clan_row(year=YEAR + 1)])
    assert next_year.counts["new"] == 1
    imported(officer, next_year)
    assert Clan.objects.count() == 1


def test_a_clan_with_another_representative_is_refused_not_changed(officer, criteria_sets, tree):
    imported(officer, run(officer, tree, "clans", [clan_row()]))
    batch = run(officer, tree, "clans", [clan_row(representative="Lò Văn Khác")])
    assert "người đại diện là “Lò Văn Hặc”" in problems_of(batch)[(2, "Người đại diện")]


def test_a_clan_needs_a_surname_and_a_year(officer, criteria_sets, tree):
    batch = run(officer, tree, "clans", [clan_row(surname="", year=None)])
    assert set(problems_of(batch)) == {(2, "Họ (dòng họ)"), (2, "Năm đăng ký")}


# --- village communities -----------------------------------------------------------------------


def test_villages_register_as_communities_once_a_year(officer, villages, tree):
    rows = [{"village": v.name, "year": YEAR} for v in villages]
    batch = run(officer, tree, "communities", rows)
    assert batch.counts["new"] == 3
    imported(officer, batch)
    assert Registration.objects.filter(kind=ModelKind.COMMUNITY, year=YEAR).count() == 3
    assert run(officer, tree, "communities", rows).counts["unchanged"] == 3


# --- centre reports ---------------------------------------------------------------------------


def report_row(center, year=YEAR - 1, **figures):
    return {"center": center.name, "year": year, **figures}


def test_a_centre_report_is_filed_then_corrected(officer, center, tree):
    batch = run(
        officer,
        tree,
        "center-reports",
        [report_row(center, literacy_classes=3, literacy_participants=60, funds_social=1_500_000)],
    )
    assert batch.counts["new"] == 1, batch.problems
    imported(officer, batch)
    report = CenterYearReport.objects.get()
    assert (report.literacy_classes, report.literacy_participants, report.law_classes) == (3, 60, 0)
    assert report.funds_social == 1_500_000
    same = run(
        officer,
        tree,
        "center-reports",
        [report_row(center, literacy_classes=3, literacy_participants=60, funds_social=1_500_000)],
    )
    assert same.counts["unchanged"] == 1
    changed = run(
        officer,
        tree,
        "center-reports",
        [report_row(center, literacy_classes=4, literacy_participants=80, funds_social=1_500_000)],
    )
    assert changed.counts["updated"] == 1
    imported(officer, changed)
    report.refresh_from_db()
    assert report.literacy_classes == 4


def test_a_report_breaking_the_services_rules_is_refused(officer, center, tree):
    batch = run(
        officer,
        tree,
        "center-reports",
        [
            report_row(center, law_classes=2),  # classes without participants
            report_row(center, year=YEAR, health_classes=-1),
            report_row(center, year=YEAR + 1),
        ],
    )
    allowed = ", ".join(f"“{y}”" for y in ImportContext(tree["commune"]).report_years)
    assert problems_of(batch) == {
        (2, "Lượt người tham gia: Pháp luật, chính sách"): (
            "Pháp luật, chính sách: đã mở lớp thì phải nhập lượt người tham gia."
        ),
        (3, "Số lớp: Sức khỏe"): "-1 quá nhỏ: nhỏ nhất được phép là 0.",
        (4, "Năm"): (
            f"“{YEAR + 1}” không thuộc các giá trị cho phép ({allowed}): hãy chọn trong danh sách."
        ),
    }
    assert batch.counts["invalid"] == 3


def test_an_unknown_centre_is_refused(officer, center, tree):
    batch = run(officer, tree, "center-reports", [{"center": "Trung tâm khác", "year": YEAR}])
    assert (2, "Trung tâm học tập cộng đồng") in problems_of(batch)


# --- centre self-assessments ------------------------------------------------------------------


def scores_row(center, points, year=YEAR):
    return {"center": center.name, "year": year, **{f"c{n}": p for n, p in points.items()}}


GOOD = {1: 22, 2: 27, 3: 18, 4: 21}


def test_a_self_assessment_is_saved_then_corrected_while_not_submitted(officer, center, tree):
    batch = run(officer, tree, "center-scores", [scores_row(center, GOOD)])
    assert batch.counts["new"] == 1, batch.problems
    imported(officer, batch)
    rating = CenterRating.objects.get()
    assert (rating.status, rating.total, rating.band.code) == (
        RatingStatus.SELF_ASSESSED,
        Decimal(88),
        "tot",
    )
    assert run(officer, tree, "center-scores", [scores_row(center, GOOD)]).counts["unchanged"] == 1
    lower = run(officer, tree, "center-scores", [scores_row(center, {**GOOD, 1: "20,5"})])
    assert lower.counts["updated"] == 1
    imported(officer, lower)
    rating.refresh_from_db()
    assert rating.total == Decimal("86.5")


def test_a_score_above_the_maximum_is_refused(officer, center, tree):
    batch = run(officer, tree, "center-scores", [scores_row(center, {**GOOD, 2: 31})])
    message = problems_of(batch)[(2, "Tiêu chí 2")]
    assert "31" in message and "30" in message


def test_a_submitted_self_assessment_cannot_be_changed_by_import(officer, center, tree):
    rating = center_services.save_self_assessment(center, by=officer, year=YEAR, scores=GOOD)
    center_services.submit_rating(rating, by=officer)
    batch = run(officer, tree, "center-scores", [scores_row(center, {**GOOD, 1: 10})])
    assert batch.counts["invalid"] == 1
    assert "xã không sửa được nữa" in problems_of(batch)[(2, "Năm")]
    assert run(officer, tree, "center-scores", [scores_row(center, GOOD)]).counts["unchanged"] == 1
