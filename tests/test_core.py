from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_answers_ok_after_a_real_query(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with mock.patch("khuyenhoc.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


@pytest.mark.django_db
def test_portal_requires_login_and_redirects_to_login(client):
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_pages_are_vietnamese_by_default_even_for_an_english_browser(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.text
    assert "Đăng nhập" in response.text


@pytest.mark.django_db
def test_language_switcher_turns_the_interface_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/")
    assert '<html lang="en">' in page.text
    assert "Sign in" in page.text


@pytest.mark.django_db
def test_admin_is_for_superusers_only(client, province_staff):
    province_staff.is_staff = True
    province_staff.save()
    client.force_login(province_staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_responses_carry_a_content_security_policy_without_inline_script(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.text


@pytest.mark.django_db
def test_unknown_page_is_a_vietnamese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_with_a_clear_message(client, officer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(3):
        client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    assert response.status_code == 429
    assert "tạm khoá" in response.text.lower() or "tạm khóa" in response.text.lower()
    # Even the right password is refused while locked.
    from tests.factories import PASSWORD

    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.django_db
def test_login_with_the_right_password_reaches_the_portal(client, officer):
    from tests.factories import PASSWORD

    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal-home")
