"""A page of the yearly report folds only its own rows (reporting/reports/paging.py): the same
rows as the whole report's, in the same order, and totals equal to the whole report's."""

import dataclasses

import pytest

from reporting.reports.folding import AS_WAS, TODAY
from reporting.reports.paging import ROWS_PER_PAGE
from reporting.reports.roots import unit_root
from reporting.reports.yearly import yearly_report
from tests.factories import make_unit
from units.models import Level

from .builders import add_figures, add_files

pytestmark = pytest.mark.django_db


def _figures(row):
    return (
        row.name,
        [(cell.registered, cell.recognised) for cell in row.cells],
        row.members,
        row.population,
        row.bands,
        row.participants,
        dataclasses.astuple(row.citizens),
        dataclasses.astuple(row.funds),
    )


@pytest.mark.parametrize("view", [AS_WAS, TODAY])
def test_a_page_holds_the_rows_of_the_whole_report_and_its_totals(
    report_data, province_staff, view
):
    province = report_data["province"]
    for n in range(ROWS_PER_PAGE + 7):
        commune = make_unit(f"Xã Trang {n:02d}", Level.COMMUNE, province)
        add_files(commune, 2024, recognized=n % 3, registered=1)
        add_figures(commune, 2024, 10 + n, 1000)
    whole = yearly_report(province_staff, unit_root(province), 2024, view)
    assert whole.rows_page is None
    first = yearly_report(province_staff, unit_root(province), 2024, view, page=1)
    second = yearly_report(province_staff, unit_root(province), 2024, view, page="2")
    assert [_figures(r) for r in first.rows] == [_figures(r) for r in whole.rows[:ROWS_PER_PAGE]]
    assert [_figures(r) for r in second.rows] == [_figures(r) for r in whole.rows[ROWS_PER_PAGE:]]
    assert second.rows_page.paginator.count == len(whole.rows)
    for paged in (first, second):
        assert _figures(paged.total) == _figures(whole.total)
        assert paged.total.targets == whole.total.targets
    # Past the last page: the last page, as the paginator of a list would give it.
    assert [
        r.name for r in yearly_report(province_staff, unit_root(province), 2024, view, page=9).rows
    ] == [r.name for r in second.rows]
