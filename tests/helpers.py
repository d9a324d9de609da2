"""What tests of every app share: the personas, and the check that a service refuses."""

import pytest
from django.contrib.auth.models import AnonymousUser

from lib.errors import DomainError

# The personas of every permission test, each a fixture of tests/conftest.py (but
# "anonymous"): the officer of Xã Mường Phăng, the officer of the sibling Phường Mường
# Thanh, province staff (approver and manager), and a visitor who is not signed in.
PERSONAS = ("anonymous", "officer", "sibling_officer", "province_staff")


def persona_user(request, name):
    """The user a persona (or any user fixture) stands for; AnonymousUser for "anonymous"."""
    return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)


def refused(call, field=None, contains=None):
    """Run `call`, expect a DomainError (on `field`, its message holding `contains`, in the
    active language), and return it."""
    with pytest.raises(DomainError) as caught:
        call()
    if field is not None:
        assert caught.value.field == field, caught.value.message
    if contains is not None:
        assert contains in str(caught.value.message), caught.value.message
    return caught.value
