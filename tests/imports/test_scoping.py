"""Who imports where: an officer into their own commune only, province officers anywhere in the
province; a batch belongs to the person who uploaded it."""

import pytest
from django.urls import reverse

from lib.errors import DomainError
from models_learning.models import Registration
from tests.imports.conftest import check, filled, household_row, upload, xlsx_upload
from transfers.imports import services
from transfers.imports.kinds import importable_communes
from transfers.models import ImportBatch, ImportMode, ImportStatus

pytestmark = pytest.mark.django_db


def test_an_officer_imports_only_into_their_current_commune(officer, tree):
    assert list(importable_communes(officer)) == [tree["commune"]]


def test_a_province_officer_imports_into_every_current_commune(province_officer, tree):
    assert set(importable_communes(province_officer)) == {tree["commune"], tree["sibling"]}


def test_approvers_and_managers_alone_import_nowhere(province_staff, tree):
    assert not importable_communes(province_staff).exists()


def test_an_upload_into_the_sibling_commune_is_refused_and_nothing_is_kept(
    client, officer, villages, sibling_villages, tree
):
    client.force_login(officer)
    data = filled("households", tree["sibling"], [household_row(sibling_villages[0])])
    response = upload(client, "households", tree["sibling"], data)
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert not ImportBatch.objects.exists()


def test_the_service_refuses_a_forged_commune_too(officer, sibling_villages, tree):
    data = filled("households", tree["sibling"], [household_row(sibling_villages[0])])
    with pytest.raises(DomainError):
        services.check_upload(
            by=officer, kind="households", unit=tree["sibling"], upload=xlsx_upload(data)
        )
    assert not ImportBatch.objects.exists()


def test_the_sibling_officer_can_neither_see_nor_import_the_officers_batch(
    client, officer, sibling_officer, villages, tree
):
    batch = check(
        officer,
        "households",
        tree["commune"],
        filled("households", tree["commune"], [household_row(villages[0])]),
    )
    client.force_login(sibling_officer)
    assert client.get(reverse("imports:batch-detail", args=[batch.pk])).status_code == 404
    response = client.post(reverse("imports:batch-import", args=[batch.pk]), {"mode": "all"})
    assert response.status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.READY
    assert not Registration.objects.exists()
    assert batch.original_name not in client.get(reverse("imports:index")).text


def test_a_province_officer_imports_into_the_sibling_commune(
    province_officer, sibling_villages, tree
):
    data = filled("households", tree["sibling"], [household_row(sibling_villages[0])])
    batch = check(province_officer, "households", tree["sibling"], data)
    batch = services.import_batch(batch, by=province_officer, mode=ImportMode.ALL)
    assert batch.status == ImportStatus.IMPORTED
    registration = Registration.objects.get()
    assert (registration.unit, registration.entered_by) == (tree["sibling"], province_officer)
