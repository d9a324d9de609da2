"""Count and share of centres per band per year, as the units were and mapped onto today."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from centers import demo, services, statistics
from centers.models import LearningCenter, RatingStatus
from lib.dates import this_year
from tests.factories import make_unit
from units import lineage
from units.models import Level, Unit

from .builders import GOOD_SCORES, published_rating


@pytest.fixture
def rated_2018(tree, scheme):
    """Five centres rated in 2018: two in old Nà Nhạn (under the district), three today."""
    old = tree["old_commune"]
    centers = [
        LearningCenter.objects.create(name=f"TTHTCĐ {n}", commune=commune)
        for n, commune in enumerate([old, old, tree["commune"], tree["sibling"], tree["sibling"]])
    ]
    for center, total in zip(centers, [92, 85, "84.5", 50, "49.5"], strict=True):
        published_rating(center, 2018, total)
    return centers


def counts(table):
    return {row["code"]: row["count"] for row in table["rows"]}


def test_the_year_table_counts_each_published_rating_in_its_band(rated_2018, tree):
    table = statistics.band_table(2018, tree["province"])
    assert table["total"] == 5
    assert counts(table) == {"tot": 2, "kha": 1, "trung-binh": 1, "chua-dat": 1}
    assert [row["code"] for row in table["rows"]] == ["tot", "kha", "trung-binh", "chua-dat"]
    assert table["rows"][0]["share"] == 40


def test_unpublished_ratings_and_other_years_do_not_count(
    rated_2018, tree, officer, province_staff
):
    rating = services.save_self_assessment(rated_2018[2], by=officer, year=2019, scores=GOOD_SCORES)
    services.submit_rating(rating, by=officer)
    services.rate_center(rating, by=province_staff, scores=GOOD_SCORES)
    published_rating(rated_2018[3], 2017, 90)
    assert statistics.band_table(2018, tree["province"])["total"] == 5
    assert statistics.band_table(2019, tree["province"])["total"] == 0
    services.publish_rating(rating, by=province_staff)
    assert counts(statistics.band_table(2019, tree["province"])) == {
        "tot": 1,
        "kha": 0,
        "trung-binh": 0,
        "chua-dat": 0,
    }


def test_a_band_nobody_reached_is_listed_with_zero(tree, scheme, center):
    published_rating(center, 2020, 90)
    table = statistics.band_table(2020, tree["province"])
    assert counts(table) == {"tot": 1, "kha": 0, "trung-binh": 0, "chua-dat": 0}
    assert table["rows"][1]["share"] == 0


def test_as_the_units_were_a_commune_of_a_district_counts_under_its_district(rated_2018, tree):
    summary = statistics.band_breakdown(2018, tree["province"])
    rows = {row["unit"].name: (row["counts"], row["total"]) for row in summary["rows"]}
    assert rows == {
        "Huyện Điện Biên": ([2, 0, 0, 0], 2),
        "Phường Mường Thanh": ([0, 0, 1, 1], 2),
        "Xã Mường Phăng": ([0, 1, 0, 0], 1),
    }


def test_mapped_onto_today_the_old_commune_counts_in_the_commune_it_became(rated_2018, tree):
    summary = statistics.band_breakdown(2018, tree["province"], statistics.TODAY)
    rows = {row["unit"].name: (row["counts"], row["total"]) for row in summary["rows"]}
    assert rows == {
        "Phường Mường Thanh": ([0, 0, 1, 1], 2),
        "Xã Mường Phăng": ([2, 1, 0, 0], 3),
    }
    assert sum(row["total"] for row in summary["rows"]) == summary["total"] == 5


def test_lineage_is_followed_through_several_changes_and_ends_where_it_ends(tree):
    older = make_unit(
        "Xã Cổ", Level.COMMUNE, tree["district"], valid_to=datetime.date(2019, 12, 31)
    )
    orphan = make_unit(
        "Xã Mất", Level.COMMUNE, tree["district"], valid_to=datetime.date(2019, 12, 31)
    )
    from units.services import record_change

    record_change(
        by=None,
        predecessor=older,
        successor=tree["old_commune"],
        kind="merge",
        date=datetime.date(2020, 1, 1),
    )
    mapping = lineage.current_units(
        [older.pk, orphan.pk, tree["old_commune"].pk, tree["sibling"].pk]
    )
    assert mapping == {
        older.pk: tree["commune"].pk,
        orphan.pk: None,
        tree["old_commune"].pk: tree["commune"].pk,
        tree["sibling"].pk: tree["sibling"].pk,
    }


def test_the_public_year_page_shows_count_and_share_per_band(rated_2018, client):
    response = client.get(reverse("centers-public:center-directory"), {"year": 2018})
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["total"] == 5
    page = response.content.decode()
    assert "2 trên 5" in page
    assert "40,0%" in page


def test_the_public_year_page_of_a_year_without_ratings_says_so(db, client):
    response = client.get(reverse("centers-public:center-directory"), {"year": 2031})
    assert response.status_code == 200
    assert response.context["summary"]["total"] == 0


# ---------------------------------------------------------------- the demo data


@pytest.fixture
def demo_data(db):
    call_command("load_units", stdout=io.StringIO())
    out = io.StringIO()
    demo.seed(out)
    return out.getvalue()


def test_the_demo_2018_table_is_the_founding_reports(demo_data):
    province = Unit.objects.get(level=Level.PROVINCE, admin_code="11")
    table = statistics.band_table(2018, province)
    assert table["total"] == 130
    assert counts(table)["tot"] == 29
    assert counts(table)["kha"] == 77
    assert counts(table)["trung-binh"] + counts(table)["chua-dat"] == 24
    as_was = statistics.band_breakdown(2018, province)
    assert len(as_was["rows"]) == 10  # the ten districts of the time
    today = statistics.band_breakdown(2018, province, statistics.TODAY)
    assert len(today["rows"]) == 45
    assert sum(row["total"] for row in today["rows"]) == 130


def test_the_demo_rates_its_centres_reports_their_activity_keeps_legacy_centres_and_runs_once(
    demo_data,
):
    from centers.models import CenterChange, CenterRating, CenterYearReport
    from centers.selectors import yearly_totals

    province = Unit.objects.get(level=Level.PROVINCE, admin_code="11")
    for year in range(2014, 2026):
        expected = 130 if year < 2020 else 129
        assert statistics.band_table(year, province)["total"] == expected, year
    rows = yearly_totals(CenterYearReport.objects.all())
    assert len(rows) >= 5
    for row in rows:
        assert 150_000 <= row["participants"] <= 170_000, row["year"]
    # Today's communes hold the legacy centres of the communes they were formed from.
    muong_phang = Unit.objects.get(level=Level.COMMUNE, name="Xã Mường Phăng", valid_to=None)
    assert LearningCenter.objects.filter(commune=muong_phang, valid_to=None).count() == 3
    assert CenterChange.objects.filter(date__year=2020).count() == 1  # Tà Lèng into Thanh Minh
    assert CenterChange.objects.filter(date__gte=datetime.date(2025, 7, 1)).exists()
    assert not LearningCenter.objects.filter(valid_to=None, commune__valid_to__isnull=False)
    year = this_year()
    waiting = CenterRating.objects.get(year=year, commune=muong_phang)
    assert waiting.status == RatingStatus.SELF_ASSESSED
    assert waiting.center.name.endswith("xã Mường Phăng")
    assert waiting.evidence.exists()
    # A second run changes nothing.
    before = LearningCenter.objects.count(), CenterRating.objects.count()
    out = io.StringIO()
    with translation.override("vi"):  # as seed_demo runs it
        demo.seed(out)
    assert (LearningCenter.objects.count(), CenterRating.objects.count()) == before
    assert (
        "không thay đổi gì" in out.getvalue()
    )  # "nothing changed", in Vietnamese as seed_demo speaks
