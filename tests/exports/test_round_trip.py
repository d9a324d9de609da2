"""Export, then import the file into the same commune: every row unchanged, nothing written."""

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from centers.models import CenterRating, CenterRatingEvent, CenterYearReport
from models_learning import services as learning_services
from models_learning.models import Clan, Household, Registration, RegistrationEvent
from tests.centers import builders
from tests.exports.conftest import body
from tests.factories import make_member
from tests.imports.conftest import xlsx_upload
from tests.models_learning.factories import VillageFactory, recognised_family, register_family
from transfers.imports import services as import_services
from transfers.models import ImportMode, ImportStatus
from units.models import AuditEntry, Role

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _jobs_inline(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def state():
    return (
        list(
            Household.objects.order_by("pk").values_list(
                "head_name", "address", "phone", "updated_at"
            )
        ),
        list(Registration.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        RegistrationEvent.objects.count(),
        Clan.objects.count(),
        list(CenterYearReport.objects.order_by("pk").values_list("updated_at", flat=True)),
        list(CenterRating.objects.order_by("pk").values_list("updated_at", flat=True)),
        CenterRatingEvent.objects.count(),
        AuditEntry.objects.exclude(action__startswith="import.").count(),
    )


def round_trip(client, officer, kind, export_url, params, tree):
    client.force_login(officer)
    exported = body(client.get(export_url, params))
    before = state()
    batch = import_services.check_upload(
        by=officer, kind=kind, unit=tree["commune"], upload=xlsx_upload(exported, "xuat.xlsx")
    )
    assert batch.status == ImportStatus.READY, batch.problems
    assert batch.count("unchanged") == batch.count("total") > 0, (batch.counts, batch.problems)
    batch = import_services.import_batch(batch, by=officer, mode=ImportMode.ALL)
    assert batch.status == ImportStatus.IMPORTED
    assert state() == before
    return batch


def test_families_export_then_import_changes_nothing(
    client, officer, province_staff, tree, criteria_sets
):
    village = VillageFactory(commune=tree["commune"], name="Bản Co Muông")
    register_family(officer, village, year=YEAR, head_name="Lò Văn Piếng", phone="0912 345 678",
                    address="Nhà 12")  # fmt: skip
    register_family(officer, village, year=YEAR, head_name="=1+1 Lò Văn Tèo", head_birth_year=None)
    recognised_family(officer, province_staff, village, year=YEAR, head_name="Lò Thị Ơn")
    batch = round_trip(
        client, officer, "households", reverse("exports:registrations-xlsx"),
        {"kind": "family", "year": YEAR}, tree,
    )  # fmt: skip
    assert batch.count("total") == 3


def test_households_carried_over_from_a_merged_commune_export_and_import_unchanged(
    client, officer, tree, criteria_sets
):
    """The 2025 merger: last year's files of old Xã Nà Nhạn, carried into today's commune, sit
    in today's village of the same name, so that the import finds the same households."""
    old_officer = make_member(tree["old_commune"], Role.OFFICER, username="old-officer")
    old_village = VillageFactory(commune=tree["old_commune"], name="Bản Huổi Hốc")
    VillageFactory(commune=tree["commune"], name="Bản Co Muông")
    for name in ("Lò Văn Piếng", "Quàng Thị Ún"):
        register_family(old_officer, old_village, year=YEAR - 1, head_name=name)
    results = learning_services.carry_over_registrations(
        by=officer, unit=tree["commune"], year=YEAR
    )
    assert [result.ok for result in results] == [True, True]
    batch = round_trip(
        client, officer, "households", reverse("exports:registrations-xlsx"),
        {"kind": "family", "year": YEAR}, tree,
    )  # fmt: skip
    assert batch.count("total") == 2


def test_clans_and_communities_export_then_import_changes_nothing(
    client, officer, tree, criteria_sets
):
    clan = learning_services.create_clan(
        by=officer,
        commune=tree["commune"],
        surname="Lò",
        branch="Chi 2",
        representative="Lò Văn Hặc",
    )
    learning_services.register_subject(by=officer, year=YEAR, subject=clan)
    for name in ("Bản Co Muông", "Bản Mớ"):
        village = VillageFactory(commune=tree["commune"], name=name)
        learning_services.register_subject(by=officer, year=YEAR, subject=village)
    url = reverse("exports:registrations-xlsx")
    round_trip(client, officer, "clans", url, {"kind": "clan"}, tree)
    batch = round_trip(client, officer, "communities", url, {"kind": "community"}, tree)
    assert batch.count("total") == 2


def test_centre_reports_and_ratings_export_then_import_changes_nothing(
    client, officer, province_staff, tree
):
    center = builders.make_center(tree)
    builders.make_report(center, officer, year=YEAR - 1)
    builders.make_rated(center, officer, province_staff, year=YEAR - 1)
    legacy = builders.make_legacy_center(tree)
    builders.make_report(legacy, officer, year=YEAR - 1)
    builders.make_self_assessed(legacy, officer, year=YEAR - 1)
    params = {"year": YEAR - 1}
    round_trip(
        client, officer, "center-reports", reverse("exports:center-reports-xlsx"), params, tree
    )
    batch = round_trip(
        client, officer, "center-scores", reverse("exports:ratings-xlsx"), params, tree
    )
    assert batch.count("total") == 2


def test_the_download_links_tag_carries_the_lists_filters_without_the_page():
    request = RequestFactory().get(
        "/portal/registrations/", {"year": "2026", "q": "lò", "page": "3"}
    )
    html = Template('{% load download_links %}{% download_links "exports:registrations" %}').render(
        RequestContext(request, {})
    )
    assert 'href="/portal/exports/registrations.xlsx?year=2026&amp;q=l%C3%B2"' in html
    assert 'href="/portal/exports/registrations.csv?year=2026&amp;q=l%C3%B2"' in html
    assert "Xuất Excel" in html and "Xuất CSV" in html
    bare = Template('{% load download_links %}{% download_links "exports:centers" %}').render(
        Context({})
    )
    assert 'href="/portal/exports/centers.xlsx"' in bare


def test_a_page_with_several_exports_names_each():
    html = Template(
        '{% load download_links %}{% download_links "exports:ratings" "Xếp loại" %}'
    ).render(Context({}))
    assert '<span class="small">Xếp loại:</span>' in html
    assert 'href="/portal/exports/ratings.csv"' in html
