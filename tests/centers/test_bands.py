"""The band a total earns: a pure function of the total and the scheme's bands (data)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from centers.bands import band_for

DEFAULT_BANDS = [
    SimpleNamespace(code="chua-dat", min_total=Decimal(0)),
    SimpleNamespace(code="tot", min_total=Decimal(85)),
    SimpleNamespace(code="trung-binh", min_total=Decimal(50)),
    SimpleNamespace(code="kha", min_total=Decimal(70)),
]


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (100, "tot"),
        (85, "tot"),
        ("85.00", "tot"),
        ("84.99", "kha"),
        ("84.5", "kha"),
        (70, "kha"),
        ("69.99", "trung-binh"),
        ("69.5", "trung-binh"),
        (50, "trung-binh"),
        ("49.99", "chua-dat"),
        ("49.5", "chua-dat"),
        (0, "chua-dat"),
    ],
)
def test_a_total_earns_the_band_whose_threshold_it_reaches(total, band):
    assert band_for(Decimal(str(total)), DEFAULT_BANDS).code == band


def test_the_order_of_the_bands_does_not_matter():
    assert band_for(Decimal(86), reversed(DEFAULT_BANDS)).code == "tot"
    assert band_for(Decimal(86), sorted(DEFAULT_BANDS, key=lambda b: b.code)).code == "tot"


def test_thresholds_are_data_another_scheme_bands_differently():
    strict = [
        SimpleNamespace(code="tot", min_total=Decimal(90)),
        SimpleNamespace(code="dat", min_total=Decimal(60)),
        SimpleNamespace(code="chua-dat", min_total=Decimal(0)),
    ]
    assert band_for(Decimal(88), strict).code == "dat"
    assert band_for(Decimal(90), strict).code == "tot"


def test_a_total_below_every_threshold_earns_no_band():
    assert band_for(Decimal(10), [SimpleNamespace(code="tot", min_total=Decimal(85))]) is None


@pytest.mark.django_db
def test_the_default_scheme_has_four_areas_adding_up_to_100_and_bands_85_70_50(scheme):
    maxima = [c.max_points for c in scheme.criteria.all()]
    assert len(maxima) == 4
    assert sum(maxima) == 100
    thresholds = {b.code: b.min_total for b in scheme.bands.all()}
    assert thresholds == {"tot": 85, "kha": 70, "trung-binh": 50, "chua-dat": 0}
    assert scheme.provisional
