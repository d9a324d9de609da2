"""An import is a record of who loaded which rows: deleting its uploader's account is refused
(it used to take the imports along), in the ORM and in the admin."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from tests.factories import UserFactory, make_member
from tests.imports.conftest import check, filled, household_row
from transfers.models import ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploader_batch(tree, villages):
    """A checked batch of a commune officer who has done nothing else in the portal."""
    uploader = make_member(tree["commune"], "officer", username="uploader")
    commune = tree["commune"]
    rows = [household_row(villages[0])]
    return check(uploader, "households", commune, filled("households", commune, rows))


def test_the_uploader_of_an_import_cannot_be_deleted(uploader_batch):
    with pytest.raises(ProtectedError):
        uploader_batch.requested_by.delete()
    assert ImportBatch.objects.filter(pk=uploader_batch.pk).exists()


def test_the_admin_says_why_it_does_not_delete_the_uploader(client, uploader_batch):
    client.force_login(UserFactory(is_superuser=True))
    uploader = uploader_batch.requested_by
    response = client.post(reverse("admin:auth_user_delete", args=[uploader.pk]), {"post": "yes"})
    assert response.status_code == 200
    assert response.context["protected"]
    assert type(uploader).objects.filter(pk=uploader.pk).exists()
    assert ImportBatch.objects.get(pk=uploader_batch.pk).requested_by == uploader
