"""PNG bytes followed by HTML, named `x.html`, is kept and downloaded as `x.png`."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from models_learning.models import Evidence
from tests.files import body

from .factories import register_family
from .page_factories import PNG, attach_png

pytestmark = pytest.mark.django_db

POLYGLOT = PNG + b"<html><script>alert(document.cookie)</script></html>"


def test_a_picture_named_html_is_stored_and_served_as_a_picture(
    client, criteria_sets, officer, village
):
    registration = register_family(officer, village)
    client.force_login(officer)
    response = client.post(
        reverse("models_learning:evidence-add", args=[registration.pk]),
        {"file": SimpleUploadedFile("x.html", POLYGLOT, content_type="text/html")},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "x.png"
    assert evidence.file.name.endswith(".png")
    download = client.get(reverse("models_learning:evidence-download", args=[evidence.pk]))
    body(download)
    assert download["Content-Type"] == "image/png"
    assert 'filename="x.png"' in download["Content-Disposition"]


def test_a_file_kept_under_a_wrong_name_before_is_served_with_its_types_extension(
    client, criteria_sets, officer, village
):
    evidence = attach_png(register_family(officer, village), officer)
    Evidence.objects.filter(pk=evidence.pk).update(original_name="cu.html")
    client.force_login(officer)
    download = client.get(reverse("models_learning:evidence-download", args=[evidence.pk]))
    body(download)
    assert 'filename="cu.png"' in download["Content-Disposition"]
