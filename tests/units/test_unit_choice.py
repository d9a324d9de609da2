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


def test_a_field_of_communes_lists_its_first_communes_and_the_htmx_list_keeps_its_scope(
    client, tree, province_staff
):
    _bulk_units([tree["province"]], Level.COMMUNE, 60, "Xã Nhiều")
    client.force_login(province_staff)
    page = client.get(reverse("centers:center-create")).text
    options = _options(page, "commune")
    assert 0 < len([pk for pk, _name in options if pk]) <= CHOICES_SHOWN
    assert "scope=new-centre" in page
    url = reverse("units:choose")
    found = client.get(url, {"scope": "new-centre", "q": "nhieu"}).text
    assert found.count('<option value="') == CHOICES_SHOWN + 1
    assert "Tỉnh Điện Biên" not in client.get(url, {"scope": "new-centre", "q": "điện"}).text
    assert "Tỉnh Điện Biên" in client.get(url, {"q": "điện"}).text


def test_a_scoped_htmx_list_offers_only_what_its_field_accepts(client, tree, officer):
    client.force_login(officer)
    url = reverse("units:choose")
    # The officer's certificates reach the commune it was formed from; imports do not.
    assert "Xã Nà Nhạn" in client.get(url, {"scope": "certificates", "q": "xa"}).text
    assert "Xã Nà Nhạn" not in client.get(url, {"scope": "imports", "q": "xa"}).text
    assert "Phường Mường Thanh" not in client.get(url, {"scope": "imports", "q": "muong"}).text


@pytest.mark.parametrize("scope", ["nonsense", "x" * 300, "certificates'--", "%00"])
def test_an_unknown_scope_is_a_400_saying_so(client, tree, officer, scope):
    client.force_login(officer)
    response = client.get(reverse("units:choose"), {"scope": scope, "q": "xa"})
    assert response.status_code == 400
    assert "Không có danh sách đơn vị này" in response.text


def test_without_javascript_a_typed_name_on_a_form_is_the_first_step(client, tree, officer):
    client.force_login(officer)
    url = reverse("certificates:batch")
    data = {"unit": "", "unit_q": "muong phang", "year": 2026, "output": "certificates"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Chọn một trong các đơn vị tìm được cho “muong phang”" in response.text
    assert [name for pk, name in _options(response.text) if pk] == ["Xã Mường Phăng"]


def test_the_htmx_list_reads_the_box_under_the_name_the_widget_gives_it(client, tree, officer):
    client.force_login(officer)
    page = client.get(reverse("certificates:batch")).text
    search_url = re.search(r'hx-get="([^"]+)"', page).group(1).replace("&amp;", "&")
    box = re.search(r'<input type="search"[^>]* name="([^"]+)"', page).group(1)
    assert box == "unit_q"
    found = client.get(search_url, {box: "na nhan"}, headers={"HX-Request": "true"}).text
    assert re.findall(r'<option value="\d+">([^<]*)</option>', found) == ["Xã Nà Nhạn"]
