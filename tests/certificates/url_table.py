"""Certificate URLs × the four personas (see tests/urltable.py).

The recognition belongs to today's Xã Mường Phăng (the `officer`'s commune): the sibling
commune's officer gets a 404. A revoked recognition's certificate is refused with 410.
"""

from tests.certificates.builders import recognised_family, revoked_family
from tests.urltable import Row, staff


def _people(request):
    tree = request.getfixturevalue("tree")
    officer = request.getfixturevalue("officer")
    province = request.getfixturevalue("province_staff")
    return tree, officer, province


def certificate_code(request):
    tree, officer, province = _people(request)
    recognition = recognised_family(officer, province, tree["commune"], name="Lò Thị Mai")
    return {"code": recognition.certificate_code}


def revoked_code(request):
    tree, officer, province = _people(request)
    recognition = revoked_family(officer, province, tree["commune"], name="Lò Văn Pọm")
    return {"code": recognition.certificate_code}


def batch_data(request):
    tree, officer, province = _people(request)
    recognised_family(officer, province, tree["commune"], name="Lò Thị Mai")
    return {"unit": tree["commune"].pk, "year": 2026, "output": "list-pdf"}


ROWS = [
    Row(
        "certificates:certificate-pdf",
        staff(sibling_officer=404),
        kwargs=certificate_code,
    ),
    Row(
        "certificates:certificate-pdf",
        staff(officer=410, sibling_officer=404, province_staff=410),
        kwargs=revoked_code,
        label="revoked",
    ),
    Row("certificates:batch", staff()),
    # Starting a batch: a job is queued and the person goes to its page; the sibling commune's
    # officer cannot choose Xã Mường Phăng, so the form comes back with the error (200).
    Row(
        "certificates:batch",
        staff(officer=302, sibling_officer=200, province_staff=302),
        method="post",
        data=batch_data,
        label="start",
    ),
]
