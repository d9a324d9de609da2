"""Several officers saving at once through a live server: every save succeeds.

On SQLite (the embedded default, `make run`) the test database is a file (tests/conftest.py),
as in a small office: each request thread has its own connection, and a writer that found the
database locked used to fail with "database is locked" instead of waiting its turn.
"""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from models_learning.models import Registration
from tests.factories import make_member
from tests.models_learning.factories import VillageFactory
from units.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
POSTS = 20
NEW = reverse("models_learning:registration-create") + "?kind=family&year=2026"


def letters(number):
    """A name part without digits: 0 -> 'A', 27 -> 'Bb'."""
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word = chr(ord("a") + digit) + word
        if not number:
            return word.capitalize()


class Browser:
    """An HTTP client on its own that keeps its cookies and does not follow redirects."""

    def __init__(self, base, cookies):
        self.base = base
        self.cookies = dict(cookies)
        self.opener = urllib.request.build_opener(NoRedirect())

    def send(self, path, data=None):
        request = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode(data).encode() if data is not None else None,
            headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())},
        )
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        with response:
            return response.status, response.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def signed_in(user, base):
    """A browser holding `user`'s session cookie, as after signing in."""
    client = Client()
    client.force_login(user)
    return Browser(base, {name: morsel.value for name, morsel in client.cookies.items()})


def register_households(browser, village, officer_number, outcomes):
    status, form = browser.send(NEW)
    assert status == 200, status
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    for number in range(POSTS):
        data = {
            "csrfmiddlewaretoken": token,
            "head_name": f"Lò Văn {letters(officer_number)} {letters(number)}",
            "head_birth_year": "1978",
            "village": village.pk,
            "address": "Bản Co Muông",
            "phone": "",
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "0",
            "members-0-name": "Lò Thị Xuân",
            "members-0-birth_year": "2010",
            "members-0-relationship": "child",
            "members-0-schooling": "lower_secondary",
        }
        try:
            status, _page = browser.send(NEW, data)
        except OSError as error:
            status = repr(error)
        outcomes.append(status)


def test_eight_officers_registering_households_at_once_all_succeed(
    live_server, criteria_sets, tree
):
    assert not connection.is_in_memory_db() if connection.vendor == "sqlite" else True
    village = VillageFactory(commune=tree["commune"], name="Bản Co Muông")
    officers = [
        make_member(tree["commune"], Role.OFFICER, username=f"officer-{i}") for i in range(THREADS)
    ]
    outcomes = []
    threads = [
        threading.Thread(
            target=register_households,
            args=(signed_in(officer, live_server.url), village, i, outcomes),
        )
        for i, officer in enumerate(officers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    # Each save redirects to its registration's page.
    errors = [outcome for outcome in outcomes if outcome != 302]
    assert (len(outcomes), errors) == (THREADS * POSTS, [])
    assert Registration.objects.count() == THREADS * POSTS
