"""Where people count in a past year: a household (or organisation) carried over into a 2025
commune counts, before 2025, where it was filed then. Figures computed by hand, for a commune
merged in 2025 viewed both ways, with the staff of organisations beside the adults."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citizens import staff as staff_services
from citizens.selectors import grouped_by_commune
from lib.text import normalise
from models_learning import services as learning_services
from models_learning.models import ModelKind, Registration
from reporting.reports.folding import AS_WAS, TODAY
from reporting.reports.roots import unit_root
from reporting.reports.yearly import yearly_report
from tests.citizens.builders import (
    ALL_MET,
    THREE_MET,
    adults_of,
    household_of,
    organisation_of,
    staff_of,
    village_of,
)
from tests.citizens.conftest import _assess
from tests.factories import UserFactory
from tests.reports.builders import criteria_set

pytestmark = pytest.mark.django_db


def _register(subject, unit, year):
    kind = ModelKind.FAMILY if hasattr(subject, "head_name") else ModelKind.ORGANISATION
    field = "household" if kind == ModelKind.FAMILY else "organisation"
    name = str(subject)
    return Registration.objects.create(
        kind=kind,
        year=year,
        unit=unit,
        criteria_set=criteria_set(kind, year),
        status="recognized",
        total_score=Decimal("85.0"),
        subject_name=name,
        search_text=normalise(name),
        **{field: subject},
    )


@pytest.fixture
def moved(citizen_data, officer):
    """On top of citizen_data: in old Xã Nà Nhạn a household of two adults (one assessed in
    2024: a learning citizen with digital skills) and a school of four staff (three assessed in
    2024: two learning citizens, one with digital skills), both registered there in 2024 and
    carried over into today's Xã Mường Phăng for 2025. In Phường Mường Thanh, an office of two
    staff, one of whom left in 2023."""
    tree = citizen_data
    admin = UserFactory(username="admin-history", is_superuser=True)
    household = household_of(
        village_of(tree["old_commune"], "Bản Nà Nhạn"), head="Điêu Văn Năm", adults=2, children=0
    )
    _assess(admin, adults_of(household)[0], 2024, ALL_MET, True)
    school = organisation_of(tree["old_commune"], "Trường Tiểu học Nà Nhạn", kind="school")
    teachers = staff_of(school, 4, prefix="Giáo viên")
    for person, answers, digital in zip(
        teachers, [ALL_MET, ALL_MET, THREE_MET], [True, False, True], strict=False
    ):
        staff_services.record_staff_result(
            person, by=admin, year=2024, answers=answers, digital_skills=digital
        )
    office = organisation_of(tree["sibling"], "UBND phường Mường Thanh")
    staff_of(office, 1, prefix="Chuyên viên")
    staff_of(office, 1, first_year=2022, last_year=2023, prefix="Nghỉ")
    _register(household, tree["old_commune"], 2024)
    _register(school, tree["old_commune"], 2024)
    done = learning_services.carry_over_registrations(by=officer, unit=tree["commune"], year=2025)
    assert all(item.ok for item in done), done
    household.refresh_from_db()
    school.refresh_from_db()
    assert household.commune == school.commune == tree["commune"]
    return tree


def _figures(user, unit, year, view):
    report = yearly_report(user, unit_root(unit), year, view)

    def four(shares):
        return (shares.adults, shares.assessed, shares.achieved, shares.digital)

    return report, {row.name: (four(row.citizens), four(row.staff)) for row in report.rows}


def test_2024_as_the_units_were_a_carried_over_household_counts_in_its_old_commune(
    moved, province_staff
):
    report, rows = _figures(province_staff, moved["province"], 2024, AS_WAS)
    # Nà Nhạn's five adults (4 assessed, 3 citizens, 2 digital) + the moved household's two.
    assert rows["Huyện Điện Biên"] == ((7, 5, 4, 3), (4, 3, 2, 1))
    # Only the household never registered elsewhere stays in today's commune.
    assert rows["Xã Mường Phăng"] == ((4, 0, 0, 0), (0, 0, 0, 0))
    assert rows["Phường Mường Thanh"] == ((2, 0, 0, 0), (1, 0, 0, 0))  # one had left
    district = next(r for r in report.rows if r.name == "Huyện Điện Biên")
    assert round(district.citizens.share, 1) == 57.1 and district.citizens.meets  # 4/7 vs 40
    assert district.staff.share == 50 and district.staff.target == 60  # 2 of 4
    assert district.staff.meets is False
    assert district.staff.digital_share == 50  # 1 of the 2
    total = report.total
    assert (total.citizens.adults, total.staff.adults, total.staff.achieved) == (13, 5, 2)


def test_2024_mapped_onto_today_the_old_commune_counts_in_its_successor(moved, province_staff):
    _report, rows = _figures(province_staff, moved["province"], 2024, TODAY)
    assert rows == {
        "Phường Mường Thanh": ((2, 0, 0, 0), (1, 0, 0, 0)),
        "Xã Mường Phăng": ((11, 5, 4, 3), (4, 3, 2, 1)),
    }


def test_before_its_first_registration_a_household_counts_where_it_was_first_filed(
    moved, province_staff
):
    _report, rows = _figures(province_staff, moved["province"], 2023, AS_WAS)
    assert rows["Huyện Điện Biên"] == ((7, 0, 0, 0), (4, 0, 0, 0))
    assert rows["Phường Mường Thanh"] == ((2, 0, 0, 0), (2, 0, 0, 0))  # both on the staff


def test_after_the_carry_over_they_count_in_today_s_commune(moved, province_staff):
    _report, rows = _figures(province_staff, moved["province"], 2026, AS_WAS)
    assert rows["Xã Mường Phăng"] == ((6, 3, 2, 1), (4, 0, 0, 0))
    assert rows["Huyện Điện Biên"] == ((5, 0, 0, 0), (0, 0, 0, 0))


def test_the_stats_grouping_reads_the_same_places(moved):
    grouped = grouped_by_commune(2024)
    old, today = moved["old_commune"].pk, moved["commune"].pk
    assert (grouped["adults"][old].adults, grouped["adults"][old].achieved) == (7, 4)
    assert grouped["adults"][today].adults == 4
    assert (grouped["staff"][old].adults, grouped["staff"][old].achieved) == (4, 2)
    assert today not in grouped["staff"]


def _queries(user, unit, year, view, parts):
    with CaptureQueriesContext(connection) as captured:
        yearly_report(user, unit_root(unit), year, view, parts=parts)
    return len(captured)


@pytest.mark.parametrize("view", [AS_WAS, TODAY])
def test_adults_and_staff_cost_the_report_one_query(moved, province_staff, view):
    province = moved["province"]
    without = ("titles", "members", "centres")
    _queries(province_staff, province, 2024, view, without)
    before = _queries(province_staff, province, 2024, view, without)
    after = _queries(province_staff, province, 2024, view, (*without, "citizens"))
    assert after == before + 1
    for n in range(5):
        staff_of(organisation_of(moved["sibling"], f"Trường {n}"), 3, prefix=f"Giáo viên {n}")
    assert _queries(province_staff, province, 2024, view, (*without, "citizens")) == after


def test_the_report_page_excel_pdf_and_dashboard_show_the_staff(client, moved, province_staff):
    import io

    from openpyxl import load_workbook

    from tests.files import body

    client.force_login(province_staff)
    query = {"year": 2024, "view": "as_was"}
    page = client.get(reverse("reports:yearly"), query).content.decode()
    assert "Nhân sự các đơn vị" in page and "50,0% (60%)" in page  # the district's staff
    workbook = load_workbook(io.BytesIO(body(client.get(reverse("reports:yearly-xlsx"), query))))
    values = [list(row) for row in workbook.worksheets[-1].iter_rows(values_only=True)]
    district = next(row for row in values if row[1] == "Huyện Điện Biên")
    assert district[2:14] == [7, 5, 4, 57.1, 40, 75, 4, 3, 2, 50, 60, 50]
    pdf = client.get(reverse("reports:yearly-pdf"), query)
    assert pdf.status_code == 200 and body(pdf).startswith(b"%PDF")


def test_the_dashboard_shows_the_staff_line(client, moved, officer):
    from citizens.models import CitizenResult, StaffMember

    person = StaffMember.objects.filter(organisation__name__startswith="Trường").first()
    staff_services.record_staff_result(
        person, by=officer, year=2026, answers=ALL_MET, digital_skills=True
    )
    assert CitizenResult.objects.filter(staff_member=person, year=2026).exists()
    client.force_login(officer)
    page = client.get(reverse("portal-home")).content.decode()
    assert 'data-testid="dashboard-staff"' in page
    assert "1 trên 4 nhân sự đạt Công dân học tập (25,0%, chỉ tiêu 80%)" in page


def test_a_commune_that_absorbed_another_counts_its_households_only_from_the_merger(
    citizen_data,
):
    """Not every 2025 commune is new: one that existed before may absorb another. Before the
    merger the absorbed commune's households count where they were filed, not in the commune
    that took them in."""
    from datetime import date

    from tests.factories import MERGER_DAY, make_unit
    from units import services as unit_services
    from units.models import Level

    tree = citizen_data
    kept = make_unit("Xã Thanh Xương", Level.COMMUNE, tree["district"], admin_code="3390")
    ended = date(2025, 6, 30)
    absorbed = make_unit(
        "Xã Thanh An", Level.COMMUNE, tree["district"], admin_code="3391", valid_to=ended
    )
    unit_services.record_change(
        by=None, predecessor=absorbed, successor=kept, kind="merge", date=MERGER_DAY
    )
    village = village_of(absorbed, "Bản Thanh An")
    household = household_of(village, head="Lò Văn Sáu", adults=2, children=0)
    _register(household, absorbed, 2024)
    village.commune = kept  # the village and its household went over with the merger
    village.save(update_fields=["commune"])
    household.commune = kept
    household.save(update_fields=["commune"])
    _register(household, kept, 2025)

    before = grouped_by_commune(2024)["adults"]
    assert before[absorbed.pk].adults == 2
    assert kept.pk not in before
    assert grouped_by_commune(2025)["adults"][kept.pk].adults == 2
