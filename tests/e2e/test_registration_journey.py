"""The heart of the portal, in a phone-sized browser: the commune officer registers a new
household, scores it and proposes it; the province approver approves it; the registration
shows as recognised with its decision number and certificate code."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from models_learning import services
from models_learning.models import Registration
from models_learning.workflow import Status
from tests.e2e.conftest import login
from units.models import Village

pytestmark = pytest.mark.django_db(transaction=True)


def label(status):
    """The status as the Vietnamese page names it."""
    with translation.override("vi"):
        return str(status.label)


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_household_goes_from_registration_to_recognition(
    browser_page, tree, officer, province_staff
):
    services.load_criteria_sets()
    Village.objects.create(commune=tree["commune"], name="Bản Co Muông")
    page = login(browser_page, officer)

    # The officer starts from the inbox: a new registration, learning family, this year.
    page.locator("main a[href='/portal/registrations/new/']").first.click()
    page.locator("main form button[type=submit]").click()
    page.locator("#id_head_name").fill("Lò Văn Piềng")
    page.locator("#id_head_birth_year").fill("1978")
    page.locator("#id_village").select_option(label="Bản Co Muông")
    page.locator("#id_members-0-name").fill("Lò Thị Xuân")
    page.locator("#id_members-0-birth_year").fill("2012")
    page.locator("#id_members-0-schooling").select_option("lower_secondary")
    fits_the_phone(page)
    page.locator("main form button[type=submit]:not([name])").click()
    expect(page.locator("h1")).to_have_text("Lò Văn Piềng")
    expect(page.get_by_test_id("status")).to_have_text(label(Status.REGISTERED))
    fits_the_phone(page)

    # Scores: full marks on every criterion; the live total follows the typing.
    page.locator("[data-testid=actions] a[href$='/score/']").click()
    inputs = page.locator("input[data-score]")
    for index in range(inputs.count()):
        field = inputs.nth(index)
        field.fill(field.get_attribute("max"))
    expect(page.locator("#live-total")).to_contain_text("100")
    fits_the_phone(page)
    page.locator("form[data-score-form] button[type=submit]").click()
    expect(page.get_by_test_id("saved-total")).to_contain_text("100")
    expect(page.get_by_test_id("verdict")).to_contain_text("đạt điểm chuẩn")

    # Propose it: it now waits at the province (a 2026 file: commune → province).
    page.locator("form[action$='/propose/'] button").click()
    expect(page.get_by_test_id("status")).to_have_text(label(Status.PROPOSED))
    expect(page.locator("main")).to_contain_text("Tỉnh Điện Biên")
    registration = Registration.objects.get()
    assert registration.status == Status.PROPOSED

    # The province approver finds it in the inbox and approves it with a decision number.
    page.context.clear_cookies()
    page = login(page, province_staff)
    inbox = page.get_by_test_id("bulk-approve")
    expect(inbox).to_contain_text("Lò Văn Piềng")
    fits_the_phone(page)
    inbox.get_by_role("link", name="Lò Văn Piềng").click()
    page.locator("#id_approve_decision_number").fill("25/QĐ-HKH")
    page.locator("form[action$='/approve/'] button[type=submit]").click()

    # Recognised, with its decision number and certificate code.
    expect(page.get_by_test_id("status")).to_have_text(label(Status.RECOGNIZED))
    expect(page.get_by_test_id("decision-number")).to_contain_text("25/QĐ-HKH")
    code = page.get_by_test_id("certificate-code").inner_text()
    assert re.fullmatch(r"DB-2\d{3}-[2-9A-HJ-NP-Z]{6}", code)
    registration.refresh_from_db()
    assert registration.status == Status.RECOGNIZED
    assert registration.recognition.certificate_code == code
    fits_the_phone(page)

    # The list finds it without diacritics, and shows it recognised.
    page.goto("/portal/registrations/?q=lo+van+pieng")
    expect(page.get_by_test_id("registration-cards")).to_contain_text("Lò Văn Piềng")
    expect(page.get_by_test_id("registration-cards")).to_contain_text(label(Status.RECOGNIZED))
    fits_the_phone(page)
