"""Hostile input on every form and URL parameter: never a 500, and nothing half-saved.

Built from the URL × persona table (tests/urltable.py: every staff page, each POST row with
the valid data its test sends) and the public pages' forms. For each page a generated table
of hostile values goes into every field at once, into each field alone (the rest staying
valid, so the deeper checks run), as the only field, repeated, and missing; GET pages get
the same values in their query parameters. Each answer must not be a 5xx; an answer that is
not a redirect (a form shown again with its errors, a 400, 403 or 404, a refusal on the page)
must leave every table as it was.
"""

import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from tests.files import body
from tests.urltable import all_rows

HOSTILE = (
    "x" * 20_000,  # very long text
    "Bản\x00Mới",  # a NUL byte (answered 400 by the middleware)
    "Nguye\u0302\u0303n" + "\u0301" * 60,  # decomposed letters and a pile of combining marks
    "\u202eMường Phăng\u202c مرحبا",  # right-to-left override and Arabic
    "\u200b\u200c\u200d\u2060\ufeff",  # only zero-width characters
    "   ",  # only spaces
    "9" * 40,  # a huge number
    str(2**63),  # just past 64 bits
    "-2147483649",  # a huge negative number
    "-1",
    "1e308",
    "NaN",
    "31/02/2025",  # impossible dates
    "2025-13-45",
    "0000-00-00",
    "<script>alert(1)</script>' OR '1'='1",
    "😀" * 300,  # characters outside the basic plane
    "²",  # a "digit" to str.isdigit() that int() refuses
    "٣٤",  # Arabic-Indic digits, which int() reads
)

# Query parameters the portal's lists, filters and reports read.
GET_PARAMS = (
    "q",
    "year",
    "unit",
    "kind",
    "status",
    "band",
    "page",
    "view",
    "sort",
    "copy",
    "code",
    "all",
    "commune",
    "title",
    "mode",
    "next",
    "open",
    "village",
)

# Tables an answer may change without saving anything of the user's: the session (messages,
# the login), the lockout library's attempts, and the background jobs' queue.
IGNORED_TABLES = ("django_session", "axes_", "django_tasks")

PUBLIC_GETS = (
    "public-home",
    "public-stats",
    "models_learning-public:recognition-search",
    "models_learning-public:verify-form",
    "centers-public:center-directory",
)
PUBLIC_PATH_ARGS = (
    ("models_learning-public:recognition-detail", "code"),
    ("models_learning-public:verify", "code"),
)


def fingerprint():
    """A digest of the rows of each table the user's input could reach, by table."""
    digests = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith(IGNORED_TABLES):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[table] = hashlib.blake2b(repr(rows).encode(), digest_size=8).hexdigest()
    return digests


def _send(client, method, url, data=None):
    """The answer, read through; a 5xx or an exception in the view fails the test."""
    if method == "post":
        response = client.post(url, data if data is not None else {})
    else:
        response = client.get(url, data if data is not None else {})
    body(response)
    return response


class Prober:
    """Sends hostile requests and checks each: no 5xx; rows unchanged unless redirected."""

    def __init__(self, client, url):
        self.client, self.url = client, url
        self.state = fingerprint()

    def send(self, method, data=None, what="", url=None):
        url = url or self.url
        response = _send(self.client, method, url, data)
        status = response.status_code
        assert status < 500, f"{method.upper()} {url} {what}: {status}"
        state = fingerprint()
        if not 300 <= status < 400:
            changed = sorted(
                t for t in state.keys() | self.state.keys() if state.get(t) != self.state.get(t)
            )
            assert not changed, f"{method.upper()} {url} {what}: {status} changed {changed}"
        self.state = state
        return response


def _as_lists(data):
    return {
        key: list(value) if isinstance(value, list | tuple) else [value]
        for key, value in data.items()
    }


# The values put into every field at once (one request each); the others go field by field.
EVERY_FIELD = (HOSTILE[0], HOSTILE[1], HOSTILE[3], HOSTILE[4], HOSTILE[7], HOSTILE[12])
# At most this many fields of a form get a hostile value alone, the rest staying valid.
ONE_BY_ONE = 10


def _post_variants(valid):
    """(label, data) of the hostile forms of one page's valid data."""
    fields = sorted(valid)
    yield "missing", {}
    for value in EVERY_FIELD:
        yield f"every field={value[:12]!r}", dict.fromkeys(fields, value)
    if fields:
        yield f"only {fields[0]}", {fields[0]: HOSTILE[2]}
    for index, field in enumerate(fields[:ONE_BY_ONE]):
        value = HOSTILE[(index * 5 + 6) % len(HOSTILE)]
        yield f"{field}={value[:12]!r}", {**valid, field: value}
    repeated = MultiValueDict(_as_lists(valid))
    for field in fields:
        repeated.appendlist(field, HOSTILE[0])
    yield "repeated", repeated


def _query_variants():
    """Every hostile value in some query parameter, four requests in all, and repeats."""
    for shift in range(4):
        yield (
            f"query shift {shift}",
            {
                name: HOSTILE[(index * 4 + shift) % len(HOSTILE)]
                for index, name in enumerate(GET_PARAMS)
            },
        )
    yield "repeated", MultiValueDict({name: [HOSTILE[0], "2024"] for name in GET_PARAMS})


def _persona(row):
    for name in ("officer", "province_staff"):
        if row.expected.get(name) in (200, 302, 410):
            return name
    return "province_staff"


ROWS = all_rows()


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_a_staff_page_survives_hostile_input(row, request, persona_client, tree):
    for name in row.fixtures:
        request.getfixturevalue(name)
    kwargs = row.kwargs(request) if row.kwargs else {}
    # The valid data may make rows of its own (a file to decide): made before the first look.
    valid = row.data(request) if row.method == "post" and row.data else {}
    # Files are sent with the valid data's own tests; here only the other fields.
    valid = {k: v for k, v in valid.items() if not hasattr(v, "read")}
    prober = Prober(persona_client(_persona(row)), reverse(row.name, kwargs=kwargs))
    if row.method == "post":
        for label, data in _post_variants(valid):
            prober.send("post", data, label)
    else:
        for label, data in _query_variants():
            prober.send("get", data, label)


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_GETS)
def test_a_public_page_survives_hostile_query_parameters(name, client, tree):
    prober = Prober(client, reverse(name))
    for label, data in _query_variants():
        prober.send("get", data, label)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "arg"), PUBLIC_PATH_ARGS)
def test_a_public_address_survives_hostile_path_parameters(name, arg, client, tree):
    prober = Prober(client, "/")
    for value in HOSTILE:
        if "/" not in value:
            url = reverse(name, kwargs={arg: value})
            prober.send("get", what=f"{arg}={value[:12]!r}", url=url)


@pytest.mark.django_db
def test_the_login_and_language_forms_survive_hostile_input(tree, officer):
    prober = Prober(Client(), reverse("login"))
    for label, data in _post_variants({"username": "officer", "password": "wrong-password"}):
        assert prober.send("post", data, label).status_code in (200, 400, 429)
    for label, data in _post_variants({"language": "vi", "next": "/"}):
        prober.send("post", data, label, url=reverse("set_language"))
