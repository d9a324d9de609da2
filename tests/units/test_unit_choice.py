"""Choosing a unit among thousands: a short list, a search box, htmx or two steps."""

import re

import pytest
from django.urls import reverse

from tests.units.test_tree import _bulk_units
from units.choice import CHOICES_SHOWN
from units.models import Level

pytestmark = pytest.mark.django_db
LIST = reverse("models_learning:registration-list")


def _options(html, name="unit"):
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r"<option value=\"(\d*)\"[^>]*>([^<]*)</option>", select)


def test_the_registrations_filter_offers_a_short_list_whatever_the_communes(
    client, tree, province_staff
):
    _bulk_units([tree["province"]], Level.COMMUNE, 200, "Xã Nhiều")
    client.force_login(province_staff)
    options = _options(client.get(LIST).text)
    assert len(options) <= CHOICES_SHOWN + 1
    assert ("", "Tất cả đơn vị của tôi") in options or options[0][0] == ""
    assert not any(name.startswith("Xã Nhiều") for _pk, name in options)


def test_a_typed_name_without_diacritics_finds_the_unit_then_it_filters(
    client, tree, province_staff
):
    client.force_login(province_staff)
    found = _options(client.get(LIST, {"unit_q": "muong phang"}).text)
    assert [name for pk, name in found if pk] == ["Xã Mường Phăng"]
    chosen = client.get(LIST, {"unit": tree["commune"].pk})
    assert chosen.context["form"].cleaned_data["unit"] == tree["commune"]
    assert (str(tree["commune"].pk), "Xã Mường Phăng") in _options(chosen.text)


def test_the_htmx_choice_lists_only_units_the_user_may_read(client, tree, officer):
    client.force_login(officer)
    url = reverse("units:choose")
    mine = client.get(url, {"q": "MƯỜNG"}, headers={"HX-Request": "true"}).text
    assert "Xã Mường Phăng" in mine
    assert "Phường Mường Thanh" not in mine
    assert "Chi hội" not in client.get(url, {"q": "chi hội"}).text  # branches are not offered
    assert "0 đơn vị" in client.get(url, {"q": "x" * 500}).text


def test_a_unit_outside_the_scope_is_refused_not_listed(client, tree, officer):
    client.force_login(officer)
    response = client.get(LIST, {"unit": tree["sibling"].pk})
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert (str(tree["sibling"].pk), "Phường Mường Thanh") not in _options(response.text)
