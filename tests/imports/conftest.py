"""Fixtures and file builders for the import tests: every file is built here, none committed.

Files are made the way an officer makes them: the template downloaded from the portal, opened
in a spreadsheet program (openpyxl here), rows typed under the headers, saved.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from centers import services as center_services
from lib.sheets import build_template
from tests.factories import make_member
from tests.models_learning.factories import VillageFactory
from transfers.imports.context import ImportContext
from transfers.imports.kinds import KINDS
from units.models import Role

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _immediate_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def villages(tree, criteria_sets):
    """Three villages of today's Xã Mường Phăng, in name order."""
    return [
        VillageFactory(commune=tree["commune"], name=name)
        for name in ("Bản Co Muông", "Bản Mớ", "Bản Phăng")
    ]


@pytest.fixture
def sibling_villages(tree, criteria_sets):
    return [VillageFactory(commune=tree["sibling"], name="Tổ dân phố 1")]


@pytest.fixture
def province_officer(tree):
    """Province staff holding the officer role over the whole province (enters data anywhere)."""
    return make_member(tree["province"], Role.OFFICER, Role.APPROVER, username="province-officer")


@pytest.fixture
def center(tree):
    center_services.ensure_default_scheme()
    return center_services.create_center(
        by=None, commune=tree["commune"], name="Trung tâm học tập cộng đồng xã Mường Phăng"
    )


def template_bytes(kind, unit, user=None):
    context = ImportContext(unit, user)
    return build_template(KINDS[kind].spec(context), choices_context=context)


def headers_of(kind, unit):
    book = load_workbook(io.BytesIO(template_bytes(kind, unit)))
    return [cell.value for cell in book.worksheets[0][1]]


def keys_of(kind, unit):
    return KINDS[kind].spec(ImportContext(unit)).keys


def filled(kind, unit, rows):
    """The template of `kind` for `unit`, with `rows` (dicts by column key, or lists in
    column order) typed under the headers."""
    book = load_workbook(io.BytesIO(template_bytes(kind, unit)))
    sheet = book.worksheets[0]
    keys = keys_of(kind, unit)
    for row in rows:
        sheet.append([row.get(key) for key in keys] if isinstance(row, dict) else list(row))
    return save(book)


def save(book):
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def plain_xlsx(rows, title="Sheet1"):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return save(book)


def xlsx_upload(data, name="danh-sach.xlsx"):
    return SimpleUploadedFile(
        name,
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def upload(client, kind, unit, data, name="danh-sach.xlsx"):
    return client.post(
        reverse("imports:upload"),
        {"kind": kind, "unit": unit.pk, "file": xlsx_upload(data, name)},
    )


def household_row(village, name="Lò Văn Piếng", birth=1975, year=YEAR, **extra):
    """A row of the households template, by column key."""
    row = {"head_name": name, "head_birth_year": birth, "village": village.name, "year": year}
    row.update(extra)
    return row


def check(user, kind, unit, data, name="danh-sach.xlsx"):
    """Upload through the service, as the view does: the checked batch."""
    from transfers.imports import services

    return services.check_upload(by=user, kind=kind, unit=unit, upload=xlsx_upload(data, name))


def problems_of(batch):
    """{(row, column): message} of a checked batch."""
    return {(p["row"], p["column"]): p["message"] for p in batch.problems}
