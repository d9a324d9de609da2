"""Every staff URL of the centres × the four personas (see tests/urltable.py).

The objects belong to today's Xã Mường Phăng (the `officer`'s commune) unless the label says
otherwise: the sibling commune's officer gets a 404; an action the persona may not take is
refused on its page (200, with the reason) and changes nothing, as in the learning models; an
action taken redirects (302); a page of a role the persona holds nowhere (rating schemes, the
province's carry-over) answers 403.
"""

from centers import services
from centers.models import FIGURE_FIELDS
from lib.dates import local_today, this_year
from tests.centers import builders
from tests.urltable import APPROVER_DOES, OFFICER_DOES, OWN, Row, staff


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


def _merge(request):
    legacy = request.getfixturevalue("tree")["commune"].learning_centers.exclude(
        pk=request.node.center_pk
    )
    return {"predecessors": [c.pk for c in legacy], "date": local_today().isoformat()}


def _merge_pk(request):
    kwargs = merge_pk(request)
    request.node.center_pk = kwargs["pk"]
    return kwargs


def _report(request, year=True):
    data = dict.fromkeys(FIGURE_FIELDS, 0) | builders.REPORT_FIGURES
    return data | {"year": this_year() - 1} if year else data


def _scores(request):
    return {f"c{n}": str(points) for n, points in builders.GOOD_SCORES.items()}


def _self_assessment(request):
    return _scores(request) | {"year": this_year()}


def _reason(request):
    return {"reason": "Thiếu biên bản họp."}


def _upload(request):
    return {"file": builders.pdf_upload(), "description": "Biên bản"}


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
    Row("centers:center-merge", OWN, kwargs=merge_pk),
    Row(
        "centers:center-merge",
        APPROVER_DOES,
        kwargs=_merge_pk,
        method="post",
        data=_merge,
        label="post",
    ),
    Row("centers:report-create", OWN, kwargs=center_pk),
    Row(
        "centers:report-create",
        OFFICER_DOES,
        kwargs=center_pk,
        method="post",
        data=_report,
        label="post",
    ),
    Row("centers:report-edit", OWN, kwargs=report_pk),
    Row(
        "centers:report-edit",
        OFFICER_DOES,
        kwargs=report_pk,
        method="post",
        data=lambda request: _report(request, year=False),
        label="post",
    ),
    Row("centers:report-totals", staff()),
    Row("centers:rating-self-assess", OWN, kwargs=center_pk),
    Row(
        "centers:rating-self-assess",
        OFFICER_DOES,
        kwargs=center_pk,
        method="post",
        data=_self_assessment,
        label="post",
    ),
    Row("centers:rating-detail", OWN, kwargs=self_assessed_pk),
    Row(
        "centers:rating-detail",
        staff(officer=404),
        kwargs=sibling_rating_pk,
        label="sibling commune",
    ),
    Row("centers:rating-submit", OFFICER_DOES, kwargs=self_assessed_pk, method="post"),
    Row("centers:rating-rate", OWN, kwargs=submitted_pk),
    Row(
        "centers:rating-rate",
        APPROVER_DOES,
        kwargs=submitted_pk,
        method="post",
        data=_scores,
        label="post",
    ),
    Row("centers:rating-return", OWN, kwargs=submitted_pk),
    Row(
        "centers:rating-return",
        APPROVER_DOES,
        kwargs=submitted_pk,
        method="post",
        data=_reason,
        label="post",
    ),
    Row("centers:rating-publish", APPROVER_DOES, kwargs=rated_pk, method="post"),
    Row("centers:evidence-add", OWN, kwargs=self_assessed_pk),
    Row(
        "centers:evidence-add",
        OFFICER_DOES,
        kwargs=self_assessed_pk,
        method="post",
        data=_upload,
        label="post",
    ),
    Row("centers:evidence-download", OWN, kwargs=evidence_pk),
    Row("centers:scheme-list", SCHEMES),
    Row("centers:scheme-create", SCHEMES),
    Row("centers:scheme-edit", SCHEMES, kwargs=scheme_pk),
]
