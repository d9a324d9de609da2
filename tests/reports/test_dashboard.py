"""The staff dashboard: this year's cycle, progress per unit, communes not started, last
changes; scoped, sortable, drill-down, a constant number of queries."""

import itertools

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from models_learning.models import ModelKind
from models_learning.pages import INBOX_COUNTS_PER_PAGE
from reporting.dashboard import PROGRESS_PER_PAGE, dashboard, dashboard_context, parse_sort
from reporting.reports.paging import ROWS_PER_PAGE
from tests.factories import UserFactory, make_member, make_unit
from tests.models_learning.factories import VillageFactory, register_family
from units import services as unit_services
from units.models import Level, Role

from .builders import add_files

pytestmark = pytest.mark.django_db
YEAR = 2026


def _context(user, **params):
    request = RequestFactory().get("/portal/", params)
    request.user = user
    return dashboard_context(request)["dashboard"]


def test_the_cycle_counts_each_step_per_title(report_data, province_staff):
    board = dashboard(province_staff, year=YEAR)
    cycle = {step["kind"]: step["cell"] for step in board["cycle"]}
    family = cycle["family"]
    assert (family.registered, family.recognised) == (6, 3)
    assert family.steps == {"registered": 1, "scored": 1, "proposed": 1, "recognized": 3}
    assert family.target == 70
    assert (cycle["community"].registered, cycle["community"].recognised) == (1, 1)
    assert cycle["clan"].registered == 0


def test_progress_has_a_row_per_child_with_a_bar(report_data, province_staff):
    board = dashboard(province_staff, year=YEAR)
    assert [row.name for row in board["rows"]] == ["Phường Mường Thanh", "Xã Mường Phăng"]
    assert [(bar["label"], bar["rate"]) for bar in board["chart"]] == [
        ("Phường Mường Thanh", 100),
        ("Xã Mường Phăng", 25),
    ]


def test_the_officer_sees_only_their_commune(report_data, officer):
    board = dashboard(officer, year=YEAR)
    assert board["root"].unit == report_data["commune"]
    assert [row.name for row in board["rows"]] == ["Xã Mường Phăng"]
    assert board["cycle"][0]["cell"].registered == 4
    assert board["can_drill"] is False


@pytest.mark.parametrize(
    ("sort", "names"),
    [
        ("rate", ["Xã Mường Phăng", "Phường Mường Thanh"]),
        ("-rate", ["Phường Mường Thanh", "Xã Mường Phăng"]),
        ("-registered", ["Xã Mường Phăng", "Phường Mường Thanh"]),
        ("community", ["Xã Mường Phăng", "Phường Mường Thanh"]),
        ("-name", ["Xã Mường Phăng", "Phường Mường Thanh"]),
        ("drop table", ["Phường Mường Thanh", "Xã Mường Phăng"]),
        ("", ["Phường Mường Thanh", "Xã Mường Phăng"]),
    ],
)
def test_progress_sorts_by_a_known_key_only(report_data, province_staff, sort, names):
    board = dashboard(province_staff, sort=sort, year=YEAR)
    assert [row.name for row in board["rows"]] == names


def test_a_sort_link_turns_the_active_column_around(report_data, province_staff):
    links = {link["key"]: link for link in dashboard(province_staff, sort="rate")["sort_links"]}
    assert links["rate"]["active"] and not links["rate"]["descending"]
    assert links["rate"]["url"].endswith("sort=-rate")
    assert links["name"]["url"].endswith("sort=name")
    assert parse_sort("-family") == ("family", True)
    assert parse_sort("-") == ("name", False)


def test_communes_that_have_not_started_are_listed(report_data, province_staff):
    quiet = make_unit("Xã Thanh Nưa", Level.COMMUNE, report_data["province"])
    board = dashboard(province_staff, year=YEAR)
    assert board["not_started"]["count"] == 1
    assert board["not_started"]["units"] == [quiet]
    # Last year nobody of today's communes had started; the old commune has ended.
    earlier = dashboard(province_staff, year=2024)["not_started"]
    assert [u.name for u in earlier["units"]] == [
        "Phường Mường Thanh",
        "Xã Mường Phăng",
        "Xã Thanh Nưa",
    ]


def test_a_commune_whose_only_file_is_withdrawn_has_not_started(
    report_data, province_staff, criteria_sets
):
    """It was counted as started while the progress table beside it showed 0 registered."""
    from models_learning import services

    quiet = make_unit("Xã Thanh Nưa", Level.COMMUNE, report_data["province"])
    officer = make_member(quiet, Role.OFFICER, username="thanh-nua")
    village = VillageFactory(commune=quiet, name="Bản Pa Lếch")
    registration = register_family(officer, village, year=YEAR, head_name="Lò Văn Rút")
    services.withdraw_registration(registration, by=officer, reason="Chuyển đi nơi khác")
    board = dashboard(province_staff, year=YEAR)
    assert board["not_started"]["units"] == [quiet]
    row = next(row for row in board["rows"] if row.name == quiet.name)
    assert row.registered == 0


def test_the_last_changes_are_scoped_and_newest_first(
    tree, officer, sibling_officer, criteria_sets
):
    village = VillageFactory(commune=tree["commune"], name="Bản Co Muông")
    other_village = VillageFactory(commune=tree["sibling"], name="Tổ dân phố 1")
    mine = register_family(officer, village, year=YEAR, head_name="Lò Văn Mình")
    register_family(sibling_officer, other_village, year=YEAR, head_name="Cà Văn Khác")
    unit_services.update_unit(tree["commune"], by=officer, note="Ghi chú mới")
    changes = dashboard(officer, year=YEAR)["changes"]
    targets = [change["target"] for change in changes]
    assert "Lò Văn Mình" in targets
    assert "Cà Văn Khác" not in targets
    assert "Phường Mường Thanh" not in targets
    assert changes[0]["target"] == "Xã Mường Phăng", "the newest first: the unit change"
    assert any(c["registration_id"] == mine.pk for c in changes)
    assert all(a["at"] >= b["at"] for a, b in itertools.pairwise(changes))


def test_at_most_ten_changes_are_shown(tree, officer, criteria_sets):
    village = VillageFactory(commune=tree["commune"], name="Bản Co Muông")
    for n in range(12):
        register_family(officer, village, year=YEAR, head_name=f"Lò Văn Số {n}")
    assert len(dashboard(officer, year=YEAR)["changes"]) == 10


def test_drilling_down_shows_the_chosen_unit(report_data, province_staff):
    board = _context(province_staff, unit=report_data["sibling"].pk)
    assert board["root"].unit == report_data["sibling"]
    assert board["drilled"] is True


@pytest.mark.parametrize("unit", ["sibling", "province", "district"])
def test_drilling_into_a_unit_outside_my_scope_answers_404(report_data, officer, unit):
    with pytest.raises(Http404):
        _context(officer, unit=report_data[unit].pk)


@pytest.mark.parametrize("raw", ["x", "-3", "99999999", "1e3"])
def test_a_bad_unit_answers_404(report_data, province_staff, raw):
    with pytest.raises(Http404):
        _context(province_staff, unit=raw)


def test_a_user_with_no_unit_has_no_dashboard(db):
    assert _context(UserFactory()) is None


def _queries(user, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        dashboard(user, year=YEAR, **kwargs)
    return len(captured)


def test_the_dashboard_makes_the_same_queries_for_a_small_and_a_large_subtree(
    report_data, province_staff
):
    _queries(province_staff)  # the scope is read once per user
    small = _queries(province_staff, sort="-rate")
    district = make_unit("Huyện Mường Chà", Level.DISTRICT, report_data["province"])
    for n in range(20):
        commune = make_unit(f"Xã Số {n}", Level.COMMUNE, report_data["province"])
        old = make_unit(f"Xã Cũ Số {n}", Level.COMMUNE, district)
        add_files(commune, YEAR, recognized=2, registered=1, scored=1)
        add_files(commune, YEAR, ModelKind.CLAN, proposed=1)
        add_files(old, 2024, recognized=1)
    large = _queries(province_staff, sort="-rate")
    assert small == large
    assert large <= 6


# --- on the staff home -------------------------------------------------------------------


def test_the_staff_home_shows_the_dashboard_above_the_inbox(client, report_data, province_staff):
    client.force_login(province_staff)
    content = client.get("/portal/").content.decode()
    assert content.index('data-testid="dashboard"') < content.index('data-testid="inbox"')
    assert 'data-testid="dashboard-progress"' in content


def test_the_staff_home_drills_down_and_sorts_without_javascript(
    client, report_data, province_staff
):
    client.force_login(province_staff)
    response = client.get("/portal/", {"unit": report_data["sibling"].pk, "sort": "-rate"})
    assert response.status_code == 200
    assert response.context["dashboard"]["root"].unit == report_data["sibling"]
    assert client.get("/portal/", {"sort": "'; drop"}).status_code == 200


def test_the_staff_home_answers_404_for_another_units_dashboard(client, report_data, officer):
    client.force_login(officer)
    assert client.get("/portal/", {"unit": report_data["sibling"].pk}).status_code == 404
    assert client.get("/portal/", {"unit": "abc"}).status_code == 404


def test_the_staff_home_makes_the_same_queries_for_a_small_and_a_large_subtree(
    client, report_data, province_staff
):
    client.force_login(province_staff)
    client.get("/portal/")
    with CaptureQueriesContext(connection) as small:
        client.get("/portal/")
    for n in range(15):
        commune = make_unit(f"Xã Lớn {n}", Level.COMMUNE, report_data["province"])
        add_files(commune, YEAR, recognized=1, registered=2, proposed=1)
    with CaptureQueriesContext(connection) as large:
        client.get("/portal/")
    assert len(small) == len(large)


def test_a_long_progress_table_waits_for_a_click_unless_it_was_just_sorted(
    report_data, province_staff
):
    assert dashboard(province_staff, year=YEAR)["progress_open"] is True
    for n in range(12):
        make_unit(f"Xã Dài {n}", Level.COMMUNE, report_data["province"])
    assert dashboard(province_staff, year=YEAR)["progress_open"] is False
    assert dashboard(province_staff, sort="rate", year=YEAR)["progress_open"] is True


def test_the_progress_table_comes_a_page_at_a_time_with_its_totals_on_each(
    client, report_data, province_staff
):
    for n in range(PROGRESS_PER_PAGE + 3):
        commune = make_unit(f"Xã Trang {n:02d}", Level.COMMUNE, report_data["province"])
        add_files(commune, YEAR, recognized=1, registered=1)
    board = dashboard(province_staff, year=YEAR)
    assert board["unit_count"] == PROGRESS_PER_PAGE + 5
    assert len(board["rows"]) == PROGRESS_PER_PAGE
    assert board["report"].total.registered == 6 + 1 + 2 * (PROGRESS_PER_PAGE + 3)
    last = dashboard(province_staff, sort="-registered", year=YEAR, page="2")
    assert len(last["rows"]) == 5
    assert last["progress_links"]["previous"] == (
        f"?unit={report_data['province'].pk}&sort=-registered&units_page=1"
    )
    client.force_login(province_staff)
    for page in ("1", "2", "99", "abc"):  # a bad page number gives a page, never an error
        response = client.get("/portal/", {"units_page": page})
        assert response.status_code == 200
        assert 'data-testid="dashboard-progress-total"' in response.text
        assert 'data-testid="dashboard-progress-pages"' in response.text


def test_in_the_reports_order_only_the_pages_units_become_rows(report_data, province_staff):
    """Sorted by unit (the default), the report makes rows of the page's units only, in its
    order: the unit's own files first, then its children by level (a district before the
    communes), then name; sorted by unit the other way round, it makes every row: the same
    units, turned around. The totals are every unit's on each page."""
    province = report_data["province"]
    for n in range(PROGRESS_PER_PAGE + 3):
        commune = make_unit(f"Xã Thứ Tự {n:02d}", Level.COMMUNE, province)
        add_files(commune, YEAR, recognized=n % 3, registered=1)
    make_unit("Huyện Ở Giữa", Level.DISTRICT, province)  # named after the first communes
    add_files(province, YEAR, ModelKind.ORGANISATION, registered=1)  # filed directly under it
    first, second = (dashboard(province_staff, year=YEAR, page=n) for n in ("1", "2"))
    backwards = dashboard(province_staff, sort="-name", year=YEAR)
    units = PROGRESS_PER_PAGE + 7  # the province itself, a district, 2 + 28 communes
    assert len(first["report"].rows) == PROGRESS_PER_PAGE
    assert len(backwards["report"].rows) == units
    names = [row.name for row in first["rows"] + second["rows"]]
    assert names[:3] == [province.name, "Huyện Ở Giữa", "Phường Mường Thanh"]
    assert names == [row.name for row in backwards["report"].rows]
    assert [row.name for row in backwards["rows"]] == names[::-1][:PROGRESS_PER_PAGE]
    assert len(set(names)) == units
    for board in (first, second):
        assert board["unit_count"] == units
        assert board["report"].total.registered == backwards["report"].total.registered
        assert board["report"].total.recognised == backwards["report"].total.recognised


def test_the_inbox_counts_come_a_page_at_a_time_with_the_totals_over_all(
    client, report_data, province_staff
):
    for n in range(INBOX_COUNTS_PER_PAGE + 2):
        commune = make_unit(f"Xã Hộp {n:02d}", Level.COMMUNE, report_data["province"])
        add_files(commune, YEAR, proposed=1)
    client.force_login(province_staff)
    response = client.get("/portal/")
    assert len(response.context["counts_page"].object_list) == INBOX_COUNTS_PER_PAGE
    assert response.context["totals"]["to_approve"] >= INBOX_COUNTS_PER_PAGE + 2
    assert 'data-testid="inbox-counts-pages"' in response.text
    second = client.get("/portal/", {"communes_page": 2, "units_page": 2})
    assert len(second.context["counts_page"].object_list) < INBOX_COUNTS_PER_PAGE
    assert second.context["dashboard"]["progress"].number == 2  # the other table's page kept
    assert "units_page=2" in second.context["counts_links"]["previous"]


def test_the_yearly_report_pages_a_long_table_and_keeps_the_totals(
    client, report_data, province_staff
):
    for n in range(55):
        commune = make_unit(f"Xã Báo Cáo {n:02d}", Level.COMMUNE, report_data["province"])
        add_files(commune, YEAR, recognized=1)
    client.force_login(province_staff)
    url = "/portal/reports/yearly/"
    params = {"year": YEAR, "unit": report_data["province"].pk}
    first = client.get(url, params)
    assert len(first.context["rows"]) == ROWS_PER_PAGE
    assert first.context["report"].total.recognised >= 55
    assert 'data-testid="report-rows-paged"' in first.text
    # Each table (the models, the members, the learning citizens, the funds): a page of rows,
    # the totals.
    assert first.text.count("<tfoot") == 4
    assert first.text.count("Xã Báo Cáo") <= 4 * ROWS_PER_PAGE  # not all 55 in any table
    second = client.get(url, {**params, "page": 2})
    assert len(second.context["rows"]) == ROWS_PER_PAGE
    assert second.text.count("<tfoot") == 4
    assert client.get(url, {**params, "page": "x"}).status_code == 200
