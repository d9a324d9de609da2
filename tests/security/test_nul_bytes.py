"""A NUL byte anywhere in a request is a 400 "bad request" page, never a 500 (PostgreSQL
refuses NUL in any text it is given)."""

import pytest
from django.urls import reverse

from units.models import Village

BAD_REQUEST = "Yêu cầu không hợp lệ"


@pytest.mark.parametrize(
    "url",
    [
        "/portal/recognitions/%00/certificate.pdf",
        "/portal/recognitions/DB-2026-%00ABC/certificate.pdf",
        "/verify/%00/",
        "/recognitions/%00/",
        "/recognitions/?q=a%00b",
        "/recognitions/?%00=1",
        "/portal/registrations/?q=%00",
        "/portal/units/?q=x%00",
    ],
)
def test_a_nul_byte_in_the_address_is_a_bad_request(client, province_staff, url):
    client.force_login(province_staff)
    response = client.get(url)
    assert response.status_code == 400
    assert BAD_REQUEST in response.text


def test_a_nul_byte_in_a_form_field_changes_nothing(client, tree, officer):
    client.force_login(officer)
    before = Village.objects.count()
    response = client.post(
        reverse("units:village-create", args=[tree["commune"].pk]), {"name": "Bản\x00 Mới"}
    )
    assert response.status_code == 400
    assert Village.objects.count() == before


def test_a_nul_byte_in_the_login_form_is_a_bad_request(client, db):
    response = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


def test_a_nul_byte_in_a_cookie_is_a_bad_request(client, db):
    client.cookies["sessionid"] = "abc\x00def"
    response = client.get("/")
    assert response.status_code == 400
