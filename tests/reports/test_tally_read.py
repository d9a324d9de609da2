"""The yearly report, the dashboard's cycle, the inbox's counts and the public figures read the
registrations' tally (models_learning/tally.py), not the registrations: a row the tally holds
shows in each of them."""

import pytest

from models_learning.models import RegistrationTally
from models_learning.selectors import inbox_for
from models_learning.workflow import Status
from reporting import stats
from reporting.reports.roots import unit_root
from reporting.reports.yearly import yearly_report
from tests.models_learning.factories import VillageFactory, register_family


@pytest.fixture
def village(tree):
    return VillageFactory(commune=tree["commune"], name="Bản Co Muông")


def _extra(unit, files, status=Status.REGISTERED):
    return RegistrationTally.objects.create(
        year=2026, unit=unit, kind="family", status=status, is_returned=False, files=files
    )


def test_the_report_the_inbox_and_the_public_figures_add_up_the_tally(
    criteria_sets, officer, province_staff, village, tree
):
    commune = tree["commune"]
    register_family(officer, village)
    _extra(commune, 41)
    report = yearly_report(province_staff, unit_root(commune), 2026, parts=("titles", "steps"))
    family = report.total.cell("family")
    assert (family.registered, family.steps[Status.REGISTERED]) == (42, 42)
    assert [row["to_score"] for row in inbox_for(officer).counts] == [42]
    figures = {row["kind"]: row for row in stats.title_figures(2026, tree["province"])}
    assert figures["family"]["registered"] == 42


def test_a_commune_whose_files_all_moved_on_has_no_row_waiting(
    criteria_sets, officer, village, tree
):
    register_family(officer, village)
    _extra(tree["commune"], -1)  # a delta taking the file away again, not yet merged
    assert inbox_for(officer).counts == []
    report = yearly_report(officer, unit_root(tree["commune"]), 2026, parts=("titles",))
    assert report.total.registered == 0
