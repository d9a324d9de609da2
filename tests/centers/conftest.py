"""Fixtures of the centres' tests: the objects of tests/centers/builders.py."""

import pytest

from centers import services

from .builders import (
    FAIR_SCORES,
    make_center,
    make_legacy_center,
    make_published,
    make_rated,
    make_report,
    make_self_assessed,
    make_sibling_center,
    make_submitted,
    pdf_upload,
    this_year,
)


@pytest.fixture
def scheme(db):
    return services.ensure_default_scheme()


@pytest.fixture
def center(tree, scheme):
    return make_center(tree)


@pytest.fixture
def legacy_center(tree, scheme):
    return make_legacy_center(tree)


@pytest.fixture
def sibling_center(tree, scheme):
    return make_sibling_center(tree)


@pytest.fixture
def report(center, officer):
    return make_report(center, officer)


@pytest.fixture
def self_assessed(center, officer):
    return make_self_assessed(center, officer)


@pytest.fixture
def submitted(center, officer):
    return make_submitted(center, officer)


@pytest.fixture
def rated(center, officer, province_staff):
    return make_rated(center, officer, province_staff)


@pytest.fixture
def published(center, officer, province_staff):
    return make_published(center, officer, province_staff)


@pytest.fixture
def evidence(self_assessed, officer):
    return services.add_evidence(self_assessed, pdf_upload(), by=officer)


@pytest.fixture
def sibling_rating(sibling_center, sibling_officer):
    return make_self_assessed(sibling_center, sibling_officer, scores=FAIR_SCORES)


__all__ = ["this_year"]
