"""Every staff URL of the learning-models app × persona → status.

Officer: Xã Mường Phăng; sibling officer: Phường Mường Thanh; province staff: approver and
manager of the province (the chain of a 2026 file is commune → province). A registration of
another commune answers 404; a step the persona may not take is refused on its page (200,
with the reason) and changes nothing, as in the centres; a step taken redirects (302); a page
of a role the persona holds nowhere (registering without a commune, managing criteria sets)
answers 403.
"""

from lib.dates import local_today
from models_learning import services
from models_learning.models import CriteriaSet
from models_learning.workflow import Status
from tests.urltable import APPROVER_DOES, OFFICER_DOES, OWN, Row, staff

from .page_factories import attach_png, family_in, png_file, village_of

TODAY = local_today()


def _criteria():
    services.load_criteria_sets()


def _family(status, commune="commune", officer="officer"):
    def build(request):
        _criteria()
        tree = request.getfixturevalue("tree")
        registration = family_in(
            status,
            officer=request.getfixturevalue(officer),
            approver=request.getfixturevalue("province_staff"),
            village=village_of(tree[commune]),
        )
        request.node.registration = registration
        return {"pk": registration.pk}

    return build


def _recognition(request):
    _family(Status.RECOGNIZED)(request)
    return {"pk": request.node.registration.recognition.pk}


def _evidence(request):
    request.getfixturevalue("settings").PRIVATE_MEDIA_ROOT = request.getfixturevalue("tmp_path")
    _family(Status.REGISTERED)(request)
    evidence = attach_png(request.node.registration, request.getfixturevalue("officer"))
    return {"pk": evidence.pk}


def _private_media(request):
    request.getfixturevalue("settings").PRIVATE_MEDIA_ROOT = request.getfixturevalue("tmp_path")
    return _family(Status.REGISTERED)(request)


def _full_marks(request):
    registration = request.node.registration
    return {
        f"criterion_{c.pk}": str(c.max_points) for c in registration.criteria_set.criteria.all()
    }


def _reason(request):
    return {"reason": "Thiếu biên bản bình xét"}


def _decision(request):
    return {"decision_number": "15/QĐ-HKH", "decision_date": TODAY.isoformat()}


def _upload(request):
    return {"file": png_file(), "description": "Biên bản"}


def _bulk(request):
    """A proposal of the officer's commune: approved by province staff, refused to others
    (the answer is the inbox again, with one message per item)."""
    _family(Status.PROPOSED)(request)
    return {"registration": [request.node.registration.pk]}


def _family_set(request):
    _criteria()
    return {"pk": CriteriaSet.objects.get(code="family-2021").pk}


def _set_post(request):
    """The family set as its edit form shows it, with the pass mark changed."""
    criteria_set = CriteriaSet.objects.get(code="family-2021")
    data = {
        "name": criteria_set.name,
        "valid_from_year": criteria_set.valid_from_year,
        "valid_to_year": criteria_set.valid_to_year,
        "max_score": criteria_set.max_score,
        "pass_mark": 75,
        "approval_levels": ",".join(criteria_set.approval_levels),
        "validity_years": criteria_set.validity_years,
        "provisional": "on",
        "criteria-TOTAL_FORMS": criteria_set.criteria.count(),
        "criteria-INITIAL_FORMS": criteria_set.criteria.count(),
    }
    for index, criterion in enumerate(criteria_set.criteria.all()):
        data[f"criteria-{index}-number"] = criterion.number
        data[f"criteria-{index}-title"] = criterion.title
        data[f"criteria-{index}-max_points"] = criterion.max_points
    return data


# Pages of a role the persona holds nowhere answer 403.
OFFICERS_ONLY = staff(province_staff=403)
PROVINCE_ONLY = staff(officer=403, sibling_officer=403)
POST_ONLY = staff(officer=405, sibling_officer=405, province_staff=405)

ROWS = [
    Row("models_learning:registration-list", staff()),
    Row("models_learning:registration-create", OFFICERS_ONLY),
    Row("models_learning:carry-over", OFFICERS_ONLY),
    Row("models_learning:registration-detail", OWN, kwargs=_family(Status.REGISTERED)),
    Row(
        "models_learning:registration-detail",
        staff(officer=404),
        kwargs=_family(Status.REGISTERED, "sibling", "sibling_officer"),
        label="other-commune",
    ),
    Row(
        "models_learning:registration-detail",
        OWN,
        kwargs=_family(Status.RECOGNIZED),
        label="recognised",
    ),
    Row("models_learning:registration-score", OWN, kwargs=_family(Status.REGISTERED)),
    Row(
        "models_learning:registration-score",
        OFFICER_DOES,
        kwargs=_family(Status.REGISTERED),
        method="post",
        data=_full_marks,
        label="post",
    ),
    Row(
        "models_learning:registration-score",
        staff(officer=404, sibling_officer=302, province_staff=200),
        kwargs=_family(Status.REGISTERED, "sibling", "sibling_officer"),
        method="post",
        data=_full_marks,
        label="post-other-commune",
    ),
    Row("models_learning:registration-propose", OWN, kwargs=_family(Status.SCORED)),
    Row(
        "models_learning:registration-propose",
        OFFICER_DOES,
        kwargs=_family(Status.SCORED),
        method="post",
        label="post",
    ),
    Row("models_learning:registration-approve", OWN, kwargs=_family(Status.PROPOSED)),
    Row(
        "models_learning:registration-approve",
        APPROVER_DOES,
        kwargs=_family(Status.PROPOSED),
        method="post",
        label="post",
    ),
    Row(
        "models_learning:registration-approve",
        staff(officer=404, sibling_officer=200, province_staff=302),
        kwargs=_family(Status.PROPOSED, "sibling", "sibling_officer"),
        method="post",
        label="post-other-commune",
    ),
    Row("models_learning:registration-return", OWN, kwargs=_family(Status.PROPOSED)),
    Row(
        "models_learning:registration-return",
        APPROVER_DOES,
        kwargs=_family(Status.PROPOSED),
        method="post",
        data=_reason,
        label="post",
    ),
    Row("models_learning:registration-reject", OWN, kwargs=_family(Status.PROPOSED)),
    Row(
        "models_learning:registration-reject",
        APPROVER_DOES,
        kwargs=_family(Status.PROPOSED),
        method="post",
        data=_reason,
        label="post",
    ),
    Row("models_learning:registration-withdraw", OWN, kwargs=_family(Status.REGISTERED)),
    Row(
        "models_learning:registration-withdraw",
        OFFICER_DOES,
        kwargs=_family(Status.REGISTERED),
        method="post",
        label="post",
    ),
    Row("models_learning:evidence-add", OWN, kwargs=_private_media),
    Row(
        "models_learning:evidence-add",
        OFFICER_DOES,
        kwargs=_private_media,
        method="post",
        data=_upload,
        label="post",
    ),
    Row("models_learning:evidence-download", OWN, kwargs=_evidence),
    Row("models_learning:evidence-remove", POST_ONLY, kwargs=_evidence, label="get"),
    Row(
        "models_learning:evidence-remove",
        OFFICER_DOES,
        kwargs=_evidence,
        method="post",
        label="post",
    ),
    Row("models_learning:bulk-approve", POST_ONLY, label="get"),
    Row(
        "models_learning:bulk-approve",
        staff(officer=302, sibling_officer=302, province_staff=302),
        method="post",
        data=_bulk,
        label="post",
    ),
    Row("models_learning:recognition-decision", OWN, kwargs=_recognition),
    Row(
        "models_learning:recognition-decision",
        APPROVER_DOES,
        kwargs=_recognition,
        method="post",
        data=_decision,
        label="post",
    ),
    Row(
        "models_learning:recognition-decision",
        APPROVER_DOES,
        kwargs=_recognition,
        method="post",
        data=lambda request: {"issue": "1"},
        label="issue",
    ),
    Row("models_learning:recognition-revoke", OWN, kwargs=_recognition),
    Row(
        "models_learning:recognition-revoke",
        APPROVER_DOES,
        kwargs=_recognition,
        method="post",
        data=_reason,
        label="post",
    ),
    Row("models_learning:criteria-list", staff()),
    Row("models_learning:criteria-create", PROVINCE_ONLY),
    Row("models_learning:criteria-edit", staff(), kwargs=_family_set),
    Row(
        "models_learning:criteria-edit",
        staff(officer=403, sibling_officer=403, province_staff=302),
        kwargs=_family_set,
        method="post",
        data=_set_post,
        label="post",
    ),
]
