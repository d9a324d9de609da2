"""No admin page shows a private file field itself: the admin would ask the file for its URL,
which private storage refuses ("Private files have no URL"), and the page would answer 500.
Evidence pages link to the portal's scoped download instead (tests/*/test_admin.py)."""

from django.contrib import admin
from django.db import models
from django.test import RequestFactory

from lib.storage import PrivateStorage
from tests.factories import UserFactory


def _private_file_fields(model):
    return {
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and isinstance(field.storage, PrivateStorage)
    }


def test_no_admin_page_shows_a_private_file_field(db):
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    checked = []
    for model, model_admin in admin.site._registry.items():
        private = _private_file_fields(model)
        if not private:
            continue
        checked.append(model.__name__)
        shown = set(model_admin.get_fields(request)) | set(model_admin.list_display)
        assert not private & shown, f"{model.__name__} admin shows {private & shown}"
    assert {"Evidence", "CenterEvidence"} <= set(checked)
