"""Every import URL × the four personas (see tests/urltable.py).

The batch belongs to the commune officer (Xã Mường Phăng): anyone else gets a 404. Province
staff in the test tree are approvers and managers without the officer role: they may open the
pages but import nowhere (the forms' rule), so their upload is refused by the form (200).
"""

from models_learning import services as learning_services
from tests.imports.conftest import filled, household_row, xlsx_upload
from tests.models_learning.factories import VillageFactory
from tests.urltable import Row, staff
from transfers.imports import engine, services
from transfers.models import ImportBatch, ImportStatus


def _setup(request):
    settings = request.getfixturevalue("settings")
    settings.PRIVATE_MEDIA_ROOT = request.getfixturevalue("tmp_path") / "private"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    tree = request.getfixturevalue("tree")
    learning_services.load_criteria_sets()
    village = VillageFactory(commune=tree["commune"], name="Bản Co Muông")
    return tree, village


def _file(tree, village):
    return filled("households", tree["commune"], [household_row(village)])


def _upload_data(request):
    tree, village = _setup(request)
    return {
        "kind": "households",
        "unit": tree["commune"].pk,
        "file": xlsx_upload(_file(tree, village)),
    }


def _batch(request):
    tree, village = _setup(request)
    batch = services.check_upload(
        by=request.getfixturevalue("officer"),
        kind="households",
        unit=tree["commune"],
        upload=xlsx_upload(_file(tree, village)),
    )
    return {"pk": batch.pk}


def _interrupted_batch(request):
    kwargs = _batch(request)
    ImportBatch.objects.filter(pk=kwargs["pk"]).update(status=ImportStatus.IMPORTING)
    engine.interrupt(ImportBatch.objects.filter(pk=kwargs["pk"]))
    return kwargs


OWNER_ONLY = staff(sibling_officer=404, province_staff=404)

ROWS = [
    Row("imports:index", staff()),
    Row("imports:upload", staff(officer=405, sibling_officer=405, province_staff=405), label="get"),
    Row(
        "imports:upload",
        staff(officer=302, sibling_officer=200, province_staff=200),
        method="post",
        data=_upload_data,
        label="into the officer's commune",
    ),
    # Without ?unit= the template is the user's only commune's; province staff have none.
    Row(
        "imports:template", staff(province_staff=302), kwargs=lambda request: {"kind": "households"}
    ),
    Row("imports:batch-detail", OWNER_ONLY, kwargs=_batch),
    Row(
        "imports:batch-import",
        staff(officer=302, sibling_officer=404, province_staff=404),
        kwargs=_batch,
        method="post",
        data=lambda request: {"mode": "all"},
    ),
    Row(
        "imports:batch-retry",
        staff(officer=302, sibling_officer=404, province_staff=404),
        kwargs=_interrupted_batch,
        method="post",
        data=lambda request: {},
    ),
]
