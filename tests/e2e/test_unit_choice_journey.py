"""Choosing a commune among many, in a browser: province staff open the form of a new centre,
whose commune list shows only its first communes; typing part of a name (no diacritics)
narrows the list as they type (htmx, scoped to the communes the form accepts); they pick the
commune and the centre is registered there. A province's officer registering a household
chooses the commune the same way first, then one of that commune's villages."""

import pytest
from playwright.sync_api import expect

from centers.models import LearningCenter
from models_learning.models import Registration
from models_learning.services import load_criteria_sets
from tests.e2e.conftest import login
from tests.factories import make_member
from tests.units.test_tree import _bulk_units
from units.choice import CHOICES_SHOWN
from units.models import Level, Role, Village

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


def test_a_province_officer_chooses_the_commune_then_its_village_and_registers_a_household(
    browser_page, tree
):
    load_criteria_sets()
    _bulk_units([tree["province"]], Level.COMMUNE, 60, "Xã An Bình")
    Village.objects.create(commune=tree["commune"], name="Bản Co Muông")
    Village.objects.create(commune=tree["sibling"], name="Tổ dân phố 1")
    officer = make_member(tree["province"], Role.OFFICER, username="province-officer")
    page = login(browser_page, officer)
    page.goto("/portal/registrations/new/")
    page.locator("main form button[type=submit]").click()  # a learning family, this year

    # The commune first: a short list, narrowed by typing (no village of any commune yet).
    choice = page.locator("select[name=commune]")
    expect(choice.locator("option")).to_have_count(CHOICES_SHOWN + 1)
    expect(page.locator("select[name=village]")).to_have_count(0)
    page.locator("input[name=commune_q]").fill("muong phang")
    expect(choice.locator("option")).to_have_count(2)
    choice.select_option(label="Xã Mường Phăng")
    page.locator("main form button[type=submit]").click()

    # Then that commune's villages only.
    expect(page.get_by_test_id("commune")).to_contain_text("Xã Mường Phăng")
    villages = page.locator("#id_village option")
    expect(villages).to_have_text(["---------", "Bản Co Muông"])
    page.locator("#id_head_name").fill("Lò Văn Piềng")
    page.locator("#id_village").select_option(label="Bản Co Muông")
    page.locator("main form button[type=submit]:not([name])").click()
    expect(page.locator("h1")).to_have_text("Lò Văn Piềng")
    assert Registration.objects.get().unit == tree["commune"]
