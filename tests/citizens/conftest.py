import pytest

from tests.citizens.builders import citizen_sets, household_of, village_of


@pytest.fixture
def citizen_criteria(db):
    citizen_sets()


@pytest.fixture
def village(tree):
    return village_of(tree["commune"])


@pytest.fixture
def household(village, citizen_criteria):
    return household_of(village)
