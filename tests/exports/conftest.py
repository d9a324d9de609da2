"""Data for the export tests, made through the services; files read back with openpyxl."""

import csv
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tests.models_learning.factories import VillageFactory


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def village(tree, criteria_sets):
    return VillageFactory(commune=tree["commune"], name="Bản Co Muông")


@pytest.fixture
def sibling_village(tree, criteria_sets):
    return VillageFactory(commune=tree["sibling"], name="Tổ dân phố 1")


def body(response):
    """The whole body of a (streaming or file) response, reading it as a browser does."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def xlsx_rows(response):
    """Rows of the first sheet (headers first) of an .xlsx response, as openpyxl reads them."""
    book = load_workbook(io.BytesIO(body(response)))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def csv_rows(response):
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))
