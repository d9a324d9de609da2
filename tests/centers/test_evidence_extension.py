"""A centre's evidence file is named with the extension of the type found by content."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centers import services
from tests.files import body

from .builders import PNG


def test_a_picture_named_html_is_stored_and_served_as_a_picture(client, self_assessed, officer):
    upload = SimpleUploadedFile("x.html", PNG + b"<html><script>1</script></html>")
    evidence = services.add_evidence(self_assessed, upload, by=officer)
    assert evidence.original_name == "x.png"
    assert evidence.file.name.endswith(".png")
    client.force_login(officer)
    download = client.get(reverse("centers:evidence-download", args=[evidence.pk]))
    body(download)
    assert download["Content-Type"] == "image/png"
    assert 'filename="x.png"' in download["Content-Disposition"]
