"""/stats/ and the public home: titles registered and recognised against the year's targets,
by unit as the units were or mapped onto today's communes, members, centres by band."""

import pytest
from django.urls import reverse

from models_learning import public
from reporting import stats
from units.models import UnitYearFigures

from .conftest import bench

pytestmark = pytest.mark.django_db

URL = reverse("public-stats")


def title_row(html, kind):
    start = html.index(f'data-kind="{kind}"')
    return html[start : html.index("</tr>", start)]


def test_titles_count_the_registered_and_the_recognised_against_the_target(client, states):
    # 2026 in Xã Mường Phăng: valid, expired and approved with its decision not issued yet
    # (the three hold the title of their year: the figures count titles approved, the lists
    # and checks show them once issued), revoked, proposed. Registered 5, recognised 3: 60%,
    # below the 70% target for families.
    families = stats.title_figures(2026, states["valid"].issuing_unit)[0]
    assert families | {"label": None} == {
        "kind": "family",
        "label": None,
        "registered": 5,
        "recognised": 3,
        "rate": 60.0,
        "target": 70,
        "meets": False,
    }
    html = client.get(URL, {"year": "2026"}).content.decode()
    row = title_row(html, "family")
    assert ">5<" in row and ">3<" in row and "60,0%" in row and "70%" in row
    assert "chưa đạt chỉ tiêu" in row
    assert [r["target"] for r in stats.title_figures(2026, None)] == [70, 65, 65, 80]


def test_each_year_is_measured_against_the_targets_of_its_programme(client, tree, settings):
    settings.REPORTS_MOUNTAIN_PROVINCES = (tree["province"].admin_code,)
    # QĐ 281 until 2020, with the mountain-area figures for Điện Biên; none before 2014.
    assert [r["target"] for r in stats.title_figures(2018, tree["province"])] == [60, 40, 50, 50]
    assert [r["target"] for r in stats.title_figures(2013, tree["province"])] == [None] * 4
    settings.REPORTS_MOUNTAIN_PROVINCES = ()
    assert [r["target"] for r in stats.title_figures(2018, tree["province"])] == [70, 50, 60, 50]


def test_the_home_page_shows_the_latest_year_with_recognitions_and_a_search_box(client, states):
    html = client.get("/").content.decode()
    assert "Danh hiệu học tập năm 2026" in html
    assert 'action="/recognitions/"' in html and 'name="q"' in html
    for link in ("/recognitions/", "/verify/", "/centers/", "/stats/"):
        assert f'href="{link}' in html
    assert "60,0%" in title_row(html, "family")


def test_a_year_is_shown_as_the_units_were_or_on_todays_communes(client, tree):
    bench(200)
    year = 2020
    rows = public.recognised().filter(year=year, unit=tree["old_commune"]).count()
    assert rows

    as_was = stats.unit_figures(year, tree["province"], stats.AS_WAS)["rows"]
    assert [(r["name"], r["recognised"]) for r in as_was] == [("Huyện Điện Biên", rows)]
    today = stats.unit_figures(year, tree["province"], stats.TODAY)["rows"]
    assert [(r["name"], r["recognised"]) for r in today] == [("Xã Mường Phăng", rows)]

    html = client.get(URL, {"year": year, "view": "today"}).content.decode()
    assert "Theo xã, phường hiện nay" in html and "Xã Mường Phăng" in html
    assert "Huyện Điện Biên" not in html.split('id="units"', 1)[1]
    html = client.get(URL, {"year": year, "view": "as_was"}).content.decode()
    assert "Huyện Điện Biên" in html.split('id="units"', 1)[1]
    assert html.count('<svg class="chart') >= 2


def test_members_and_their_share_come_from_the_yearly_figures(client, tree):
    UnitYearFigures.objects.create(
        unit=tree["old_commune"],
        year=2020,
        members=300,
        population=1000,
        households=200,
        branches=5,
        boards=1,
    )
    html = client.get(URL, {"year": "2020"}).content.decode()
    assert "300 hội viên, bằng 30,0% dân số." in html
    rows = stats.unit_figures(2020, tree["province"], stats.TODAY)["rows"]
    assert [(r["name"], r["members"], r["percent"]) for r in rows] == [
        ("Xã Mường Phăng", 300, 30.0)
    ]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"year": "1900"}, 404),
        ({"year": "abcd"}, 404),
        ({"year": "2026' OR 1=1"}, 404),
        ({"year": "9" * 40}, 404),
        ({"view": "sideways"}, 400),
        ({"year": "2026", "view": "today"}, 200),
    ],
)
def test_bad_stats_input_gets_a_clear_answer(client, states, params, status):
    response = client.get(URL, params)
    assert response.status_code == status
    if status != 200:
        assert 'role="alert"' in response.content.decode()


def test_stats_without_any_data_say_so(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Chưa có số liệu được công bố." in response.content.decode()
    assert client.get("/").status_code == 200


def _figures(unit, year, members, population):
    # Stored directly, as rows entered before the rule of 31 December was enforced.
    UnitYearFigures.objects.create(
        unit=unit,
        year=year,
        members=members,
        population=population,
        households=population // 4,
        branches=2,
        boards=1,
    )


def test_the_home_page_counts_the_communes_not_those_with_figures(client, tree):
    """With figures for one of the two communes of today, the home page said 1 commune."""
    _figures(tree["commune"], 2026, 500, 2000)
    html = client.get("/").content.decode()
    value = html.split('data-testid="communes">', 1)[1].split("<", 1)[0]
    assert value == "2"


def test_an_ended_communes_figures_of_its_last_year_are_not_added_to_its_successors(
    client, tree, province_staff
):
    """Xã Nà Nhạn ended on 30/06/2025: its 2025 figures were added to those of today's Xã
    Mường Phăng, which already count its people (both views and the home page)."""
    from lib.errors import DomainError
    from units import services as unit_services
    from units.selectors import yearly_totals

    _figures(tree["old_commune"], 2025, 300, 1000)
    _figures(tree["commune"], 2025, 500, 2000)
    (row,) = yearly_totals(tree["province"])
    assert (row["members"], row["population"], row["set_apart"]) == (500, 2000, 1)
    for view in (stats.AS_WAS, stats.TODAY):
        rows = stats.unit_figures(2025, tree["province"], view)["rows"]
        assert [(r["name"], r["members"]) for r in rows] == [("Xã Mường Phăng", 500)]
    home = client.get("/").content.decode()
    assert home.split('data-testid="members">', 1)[1].startswith("500<")
    assert "tính đến ngày 31/12" in home and "Không cộng số liệu đã nhập của 1 xã" in home
    page = client.get(URL, {"year": "2025"}).content.decode()
    assert "500 hội viên, bằng 25,0% dân số." in page
    assert "tính đến ngày 31/12" in page
    # An ended commune's records are read-only: no new figures are taken for it.
    with pytest.raises(DomainError):
        unit_services.set_year_figures(
            tree["old_commune"],
            2025,
            by=province_staff,
            members=1,
            population=2,
            households=1,
            branches=0,
            boards=0,
        )
    assert UnitYearFigures.objects.get(unit=tree["old_commune"], year=2025).members == 300
