"""Every staff URL of the centres × the four personas (see tests/urltable.py).

The objects belong to today's Xã Mường Phăng (the `officer`'s commune) unless the label says
otherwise: the sibling commune's officer gets a 404, an action the persona may not take a 403.
"""

from centers import services
from tests.centers import builders
from tests.urltable import Row, staff


def _fx(request, *names):
    return [request.getfixturevalue(name) for name in names]


def _center(request):
    return builders.make_center(request.getfixturevalue("tree"))


def center_pk(request):
    return {"pk": _center(request).pk}


def sibling_center_pk(request):
    return {"pk": builders.make_sibling_center(request.getfixturevalue("tree")).pk}


def merge_pk(request):
    tree = request.getfixturevalue("tree")
    builders.make_legacy_center(tree)
    return {"pk": _center(request).pk}


def report_pk(request):
    (officer,) = _fx(request, "officer")
    return {"pk": builders.make_report(_center(request), officer).pk}


def self_assessed_pk(request):
    (officer,) = _fx(request, "officer")
    return {"pk": builders.make_self_assessed(_center(request), officer).pk}


def sibling_rating_pk(request):
    tree, sibling = _fx(request, "tree", "sibling_officer")
    center = builders.make_sibling_center(tree)
    return {"pk": builders.make_self_assessed(center, sibling, scores=builders.FAIR_SCORES).pk}


def submitted_pk(request):
    (officer,) = _fx(request, "officer")
    return {"pk": builders.make_submitted(_center(request), officer).pk}


def rated_pk(request):
    officer, province = _fx(request, "officer", "province_staff")
    return {"pk": builders.make_rated(_center(request), officer, province).pk}


def evidence_pk(request):
    officer, settings, tmp_path = _fx(request, "officer", "settings", "tmp_path")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    rating = builders.make_self_assessed(_center(request), officer)
    return {"pk": services.add_evidence(rating, builders.pdf_upload(), by=officer).pk}


def scheme_pk(request):
    return {"pk": services.ensure_default_scheme().pk}


OWN = staff(sibling_officer=404)
OFFICER_ONLY = staff(sibling_officer=404, province_staff=403)
PROVINCE_ONLY = staff(officer=403, sibling_officer=404)
SCHEMES = staff(officer=403, sibling_officer=403)

ROWS = [
    Row("centers:center-list", staff()),
    Row("centers:center-create", staff()),
    Row(
        "centers:carry-over",
        staff(officer=403, sibling_officer=403, province_staff=302),
        method="post",
    ),
    Row("centers:center-detail", OWN, kwargs=center_pk),
    Row(
        "centers:center-detail",
        staff(officer=404),
        kwargs=sibling_center_pk,
        label="sibling commune",
    ),
    Row("centers:center-edit", OWN, kwargs=center_pk),
    Row("centers:center-merge", PROVINCE_ONLY, kwargs=merge_pk),
    Row("centers:report-create", OFFICER_ONLY, kwargs=center_pk),
    Row("centers:report-edit", OFFICER_ONLY, kwargs=report_pk),
    Row("centers:report-totals", staff()),
    Row("centers:rating-self-assess", OFFICER_ONLY, kwargs=center_pk),
    Row("centers:rating-detail", OWN, kwargs=self_assessed_pk),
    Row(
        "centers:rating-detail",
        staff(officer=404),
        kwargs=sibling_rating_pk,
        label="sibling commune",
    ),
    Row(
        "centers:rating-submit",
        staff(officer=302, sibling_officer=404, province_staff=403),
        kwargs=self_assessed_pk,
        method="post",
    ),
    Row("centers:rating-rate", PROVINCE_ONLY, kwargs=submitted_pk),
    Row("centers:rating-return", PROVINCE_ONLY, kwargs=submitted_pk),
    Row(
        "centers:rating-publish",
        staff(officer=403, sibling_officer=404, province_staff=302),
        kwargs=rated_pk,
        method="post",
    ),
    Row("centers:evidence-add", OFFICER_ONLY, kwargs=self_assessed_pk),
    Row("centers:evidence-download", OWN, kwargs=evidence_pk),
    Row("centers:scheme-list", SCHEMES),
    Row("centers:scheme-create", SCHEMES),
    Row("centers:scheme-edit", SCHEMES, kwargs=scheme_pk),
]
