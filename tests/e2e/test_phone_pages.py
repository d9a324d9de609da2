"""No page scrolls sideways on a 360 px phone (issue 13, item 22), with enough data to be wide:
thirteen years of figures (the year links of /stats/), files in every state (the dashboard and
the yearly report), the login page. The browser_page fixture also runs axe-core on each page."""

import pytest

from lib.dates import this_year
from models_learning.models import ModelKind
from tests.e2e.conftest import login
from tests.reports.builders import add_figures, add_files

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = ["/", "/stats/", "/recognitions/", "/verify/", "/centers/", "/accounts/login/"]
STAFF = [
    "/portal/",
    "/portal/reports/yearly/",
    "/portal/reports/recognised/",
    "/portal/registrations/",
    "/portal/centers/",
    "/portal/units/",
    "/portal/imports/",
    "/accounts/password/",
]


def width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def busy_year(tree):
    year = this_year()
    for past in range(year - 12, year + 1):
        add_figures(tree["commune"], past, 800, 3000)
    add_files(tree["commune"], year, recognized=3, registered=2, proposed=1)
    add_files(tree["sibling"], year, ModelKind.COMMUNITY, recognized=1)
    return year


def test_public_pages_fit_a_phone(browser_page, busy_year):
    page = browser_page
    for path in [*PUBLIC, f"/stats/?year={busy_year}", f"/stats/?year={busy_year - 12}"]:
        page.goto(path)
        assert width(page) <= 360, path


def test_staff_pages_fit_a_phone(browser_page, busy_year, province_staff):
    page = login(browser_page, province_staff)
    for path in [*STAFF, f"/portal/reports/yearly/?year={busy_year}"]:
        page.goto(path)
        assert width(page) <= 360, path
