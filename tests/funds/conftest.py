import pytest

from tests.factories import make_member
from tests.funds import builders
from units.models import Role


@pytest.fixture
def keepers(tree, officer, sibling_officer):
    """The commune officers also keep their communes' funds (Role.TREASURER)."""
    make_member(tree["commune"], Role.TREASURER, user=officer)
    make_member(tree["sibling"], Role.TREASURER, user=sibling_officer)


@pytest.fixture
def fund(tree):
    return builders.make_fund(tree["commune"])


@pytest.fixture
def sibling_fund(tree):
    return builders.make_fund(tree["sibling"], name="Quỹ khuyến học phường")
