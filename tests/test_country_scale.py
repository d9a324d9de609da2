"""Staff pages at country scale: the dashboard, the unit tree, the registrations filter and
every other page that chooses or lists communes (certificates, centres, a new centre, the
centres' activity, imports, carry-over, the recognised list, criteria sets, a new
registration's commune and then its family step) send about the same HTML for a province of
50 communes as for one of 500 (within 10%), and their queries stay pinned (README, "Figures
at country scale")."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.test.utils import CaptureQueriesContext

from lib.dates import this_year
from tests.factories import make_member
from units.models import Level, Role, Unit

pytestmark = pytest.mark.django_db


# The queries of the pages that choose or list communes, session and scope included (the
# dashboard's, the tree's and the filter's are pinned in their own tests). One fewer each since
# the scope of a user whose units no change formed is one query (no lineage query).
QUERIES = {
    "certificates": 4,
    "centres": 9,
    "centres, the province": 11,
    "new centre": 5,
    "centres' activity": 5,
    "imports": 7,
    "carry-over": 9,
    "recognised list": 5,
    "criteria sets": 4,
    "new registration, family": 5,
    "new registration, a commune's family": 9,
}


def _province(communes):
    """A bench province of `communes` communes (generate_bench_data), files of this year at
    every step; the province made before it, if any, is set aside first."""
    Unit.objects.filter(admin_code__startswith="BN").update(
        admin_code=Concat(Value("CU"), Substr("admin_code", 3))
    )
    call_command(
        "generate_bench_data",
        registrations=communes * 6,
        communes=communes,
        provinces=1,
        years=1,
        stdout=io.StringIO(),
    )
    return Unit.objects.get(level=Level.PROVINCE, admin_code="BN1")


def _pages(province):
    year = this_year()
    first = Unit.objects.filter(level=Level.COMMUNE, path__startswith=province.path)
    commune = first.order_by("name", "pk").first()
    return {
        "dashboard": "/portal/",
        "tree": "/portal/units/",
        "filter": f"/portal/registrations/?year={year}&unit={province.pk}&status=proposed",
        "certificates": "/portal/certificates/",
        "centres": "/portal/centers/",
        "centres, the province": f"/portal/centers/?unit={province.pk}",
        "new centre": "/portal/centers/new/",
        "centres' activity": f"/portal/centers/reports/?year={year}",
        "imports": "/portal/imports/",
        "carry-over": "/portal/registrations/carry-over/",
        "recognised list": f"/portal/reports/recognised/?year={year}&unit={province.pk}",
        "criteria sets": "/portal/criteria/",
        "new registration, family": f"/portal/registrations/new/?kind=family&year={year}",
        "new registration, a commune's family": (
            f"/portal/registrations/new/?kind=family&year={year}&commune={commune.pk}"
        ),
    }


def _measure(client, province):
    # Province staff who also register (carry-over and imports are an officer's pages).
    roles = (Role.APPROVER, Role.MANAGER, Role.OFFICER)
    user = make_member(province, *roles, username=f"tinh-{province.pk}")
    client.force_login(user)
    sizes, queries = {}, {}
    for name, url in _pages(province).items():
        client.get(url)  # the user's scope, read once
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        sizes[name] = len(response.content)
        queries[name] = len(captured)
    return sizes, queries


def test_pages_send_about_the_same_html_at_50_and_at_500_communes(client):
    small, small_queries = _measure(client, _province(50))
    large, large_queries = _measure(client, _province(500))
    for name in small:
        assert abs(large[name] - small[name]) <= 0.10 * small[name], (
            name,
            small[name],
            large[name],
        )
    assert small_queries == large_queries
    assert {name: small_queries[name] for name in QUERIES} == QUERIES
