"""The Django admin of centres is read-only; a centre's evidence file page renders (its file
is private, so the page links to the portal's scoped download instead of a file URL)."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.files import body

pytestmark = pytest.mark.django_db


def test_the_admin_page_of_a_centre_evidence_file_renders_with_a_scoped_download_link(
    client, evidence
):
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("admin:centers_centerevidence_change", args=[evidence.pk]))
    assert response.status_code == 200
    download = reverse("centers:evidence-download", args=[evidence.pk])
    assert f'href="{download}"' in response.text
    downloaded = client.get(download)
    assert downloaded.status_code == 200
    assert body(downloaded).startswith(b"%PDF")


def test_a_rating_and_its_events_cannot_be_deleted_in_the_admin(client, evidence):
    rating = evidence.rating
    client.force_login(UserFactory(is_superuser=True))
    event = rating.events.first()
    for model, pk in (("centerrating", rating.pk), ("centerratingevent", event.pk)):
        url = reverse(f"admin:centers_{model}_delete", args=[pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
    assert rating.events.filter(pk=event.pk).exists()
