"""Choosing a commune among many, in a browser: province staff open the form of a new centre,
whose commune list shows only its first communes; typing part of a name (no diacritics)
narrows the list as they type (htmx, scoped to the communes the form accepts); they pick the
commune and the centre is registered there."""

import pytest
from playwright.sync_api import expect

from centers.models import LearningCenter
from tests.e2e.conftest import login
from tests.units.test_tree import _bulk_units
from units.choice import CHOICES_SHOWN
from units.models import Level

pytestmark = pytest.mark.django_db(transaction=True)


def test_province_staff_find_a_commune_by_typing_and_register_a_centre_there(
    browser_page, tree, province_staff
):
    _bulk_units([tree["province"]], Level.COMMUNE, 60, "Xã An Bình")
    page = login(browser_page, province_staff)
    page.goto("/portal/centers/new/")
    choice = page.locator("select[name=commune]")
    expect(choice.locator("option")).to_have_count(CHOICES_SHOWN + 1)
    expect(choice.locator("option", has_text="Xã Mường Phăng")).to_have_count(0)

    page.locator("input[name=commune_q]").fill("muong phang")
    expect(choice.locator("option")).to_have_count(2)  # "1 unit found" and the commune
    choice.select_option(label="Xã Mường Phăng")
    page.locator("input[name=name]").fill("TTHTCĐ xã Mường Phăng")
    page.get_by_role("button", name="Lưu").click()

    expect(page.locator("h1")).to_contain_text("TTHTCĐ xã Mường Phăng")
    assert LearningCenter.objects.get().commune == tree["commune"]
