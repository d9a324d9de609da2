"""Browser tests: Playwright (Python) driving Debian's chromium against pytest-django's live server.

No browser download: Playwright is pointed at /usr/bin/chromium (or $CHROMIUM_PATH), which
.ci/run installs. Pages are looked at in a phone-sized window, as a commune officer would.

Every page a test's browser shows is checked before the test acts to leave it (a goto, a
click, a key press) and when the test ends: axe-core (node_modules/axe-core, from the
repository's package.json; `make node-deps` installs it) must find no serious or critical
accessibility violation, and nothing may be wider than the window (no sideways scrolling at
360 px). A test fails on any finding, listing the pages.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to
# prepare data are plain synchronous calls, so Django's async guard must be relaxed here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

# Runs in the page: axe-core's rules (WCAG A/AA and best practices; a serious or critical
# violation fails), and the widths. The mark
# tells later calls that this document was checked.
CHECK_PAGE = """async () => {
  window.__pageChecked = true;
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return {
    violations: result.violations
      .filter(v => v.impact === "serious" || v.impact === "critical")
      .map(v => ({id: v.id, impact: v.impact, help: v.help,
                  targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))})),
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
  };
}"""

# Actions that may take the page elsewhere: before each, the page about to be left is checked.
LEAVING = {
    "Page": ("goto", "reload", "go_back", "click"),
    "Locator": ("click", "press", "dblclick"),
}
_watched = {}  # a page's implementation object -> its PageChecks


class PageChecks:
    """What axe-core and the width check found on the pages of one test."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.checked = []
        self.problems = []

    def check(self):
        """Check the page shown now, once per document."""
        from playwright.sync_api import Error

        if self.page.is_closed() or not self.page.url.startswith(self.base_url):
            return
        for _attempt in range(2):
            try:
                if self.page.evaluate("() => window.__pageChecked === true"):
                    return
                result = self.page.evaluate(CHECK_PAGE)
                break
            except Error as error:
                if "axe is not defined" in str(error):
                    raise
                # Caught between two documents: check the one that arrives.
                self.page.wait_for_load_state()
        else:
            return
        where = urlsplit(self.page.url)
        where = where.path + (f"?{where.query}" if where.query else "")
        self.checked.append(where)
        for violation in result["violations"]:
            self.problems.append(
                f"{where}: {violation['impact']} {violation['id']} ({violation['help']}) "
                f"at {violation['targets']}"
            )
        if result["scrollWidth"] > result["width"]:
            self.problems.append(
                f"{where}: {result['scrollWidth']} px wide in a {result['width']} px window"
            )


def _checking_first(method, page_of):
    def action(self, *args, **kwargs):
        checks = _watched.get(page_of(self)._impl_obj)
        if checks is not None:
            checks.check()
        return method(self, *args, **kwargs)

    return action


@pytest.fixture
def _check_pages_when_left(monkeypatch):
    from playwright.sync_api import Locator, Page

    for cls, page_of in ((Page, lambda page: page), (Locator, lambda locator: locator.page)):
        for name in LEAVING[cls.__name__]:
            monkeypatch.setattr(cls, name, _checking_first(getattr(cls, name), page_of))
    yield
    _watched.clear()


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def _browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_browser, live_server, _check_pages_when_left):
    """A fresh phone-sized page; `page.base_url` is the live server's address."""
    context = _browser.new_context(viewport=PHONE, locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make node-deps` (npm ci)")
    context.add_init_script(path=str(AXE))
    checks = _watched[page._impl_obj] = PageChecks(page, live_server.url)
    yield page
    checks.check()
    context.close()
    problems = checks.problems
    assert not problems, "pages with problems:\n" + "\n".join(dict.fromkeys(problems))


def login(page, user, password=PASSWORD):
    """Sign in through the real login form, as a person does."""
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/portal/")
    return page
