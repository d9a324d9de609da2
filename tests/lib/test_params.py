"""Numbers from requests: only plain ASCII digits are numbers (lib.params.whole_number)."""

import pytest
from django.urls import reverse

from lib.params import whole_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("42", 42), (" 7 ", 7), ("0", 0), ("9" * 18, int("9" * 18))],
)
def test_plain_digits_are_numbers(raw, expected):
    assert whole_number(raw) == expected


@pytest.mark.parametrize(
    "raw", [None, "", " ", "²", "٣", "-1", "+1", "1.5", "1e3", "9" * 19, "12a", "\x00"]
)
def test_anything_else_is_none(raw):
    assert whole_number(raw) is None


def test_digits_bound_the_length():
    assert whole_number("2026", digits=4) == 2026
    assert whole_number("20260", digits=4) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("units:tree", {"open": "²"}),
        ("exports:citizens-xlsx", {"unit": "²"}),
        ("exports:citizens-xlsx", {"village": "²"}),
        ("models_learning:criteria-create", {"copy": "²"}),
        ("models_learning-public:recognition-search", {"page": "²", "unit": "²"}),
    ],
)
def test_a_superscript_digit_in_an_address_is_not_a_500(name, params, client, province_staff):
    client.force_login(province_staff)
    response = client.get(reverse(name), params)
    assert response.status_code in (200, 400, 404)
