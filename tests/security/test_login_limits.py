"""Login with hostile usernames: a clear refusal, never a 500 (README, "Security")."""

import pytest
from axes.models import AccessAttempt

from tests.factories import PASSWORD


@pytest.mark.django_db
@pytest.mark.parametrize("length", [151, 256, 1000])
def test_a_username_longer_than_any_account_is_refused_as_a_wrong_login(client, length):
    response = client.post("/accounts/login/", {"username": "a" * length, "password": "x"})
    assert response.status_code == 200
    assert "form" in response.context and response.context["form"].errors
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "a" * 150


@pytest.mark.django_db
def test_over_long_usernames_are_locked_out_like_any_other(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        client.post("/accounts/login/", {"username": "b" * 300, "password": "x"})
    response = client.post("/accounts/login/", {"username": "b" * 400, "password": "x"})
    assert response.status_code == 429


@pytest.mark.django_db
def test_the_admin_login_refuses_an_over_long_username_too(client):
    response = client.post("/admin/login/", {"username": "c" * 300, "password": "x"})
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "c" * 150


@pytest.mark.django_db
def test_a_real_account_still_signs_in(client, officer):
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
