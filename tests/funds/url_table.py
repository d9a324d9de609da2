"""Every staff URL of the funds × the four personas (see tests/urltable.py).

The commune officers keep their communes' funds here (fixture `keepers`); province staff
(approver and manager of the province) read every fund and approve commune closings, but keep
no fund. The objects belong to today's Xã Mường Phăng: the sibling commune's keeper gets a
404; an action a persona may not take is refused on its page (200, the reason in place of the
form); opening a fund without holding the keeper role anywhere is a 403.
"""

from funds import services
from funds.models import Fund
from tests.centers.builders import pdf_upload
from tests.funds import builders
from tests.urltable import APPROVER_DOES, OFFICER_DOES, OWN, Row, staff
from units.models import Membership, Role


def _keepers(request):
    """The commune officers keep their communes' funds (tests/funds/conftest.py `keepers`,
    made here: the permission test knows only the fixtures of tests/conftest.py)."""
    tree = request.getfixturevalue("tree")
    # Idempotent: a test that reads many rows of the table (compression, fuzz) asks again.
    for unit, user in ((tree["commune"], "officer"), (tree["sibling"], "sibling_officer")):
        Membership.objects.get_or_create(
            unit=unit, user=request.getfixturevalue(user), role=Role.TREASURER
        )
    return tree


def keepers_only(request):
    _keepers(request)
    return {}


def _commune_fund(request):
    """A new fund of the commune for each row (a test reading many rows gets one per row)."""
    commune = _keepers(request)["commune"]
    number = Fund.objects.filter(unit=commune).count() + 1
    name = "Quỹ khuyến học xã" if number == 1 else f"Quỹ khuyến học xã ({number})"
    return builders.make_fund(commune, name=name)


def fund_pk(request):
    return {"pk": _commune_fund(request).pk}


def funded_pk(request):
    fund = _commune_fund(request)
    builders.receive(fund, 10_000_000)
    return {"pk": fund.pk}


def entry_pk(request):
    fund = _commune_fund(request)
    builders.receive(fund, 2_000_000)
    return {"pk": builders.pay(fund, 500_000).pk}


def evidence_pk(request):
    fund = _commune_fund(request)
    entry = services.post_entry(
        fund,
        by=None,
        kind="receipt",
        date=builders.JAN,
        amount=1_000,
        category="person",
        counterparty="Bà Lò Thị Xuân",
        evidence=pdf_upload(),
    )
    return {"pk": entry.pk}


def open_year(request):
    fund = _commune_fund(request)
    builders.receive(fund, 1_000)
    return {"pk": fund.pk, "year": builders.YEAR}


def closed_year(request):
    fund = _commune_fund(request)
    builders.receive(fund, 1_000)
    services.close_year(fund, builders.YEAR, by=None)
    return {"pk": fund.pk, "year": builders.YEAR}


def programme_pk(request):
    fund = _commune_fund(request)
    builders.receive(fund, 10_000_000)
    return {"pk": builders.make_programme(fund).pk}


def _receipt(request):
    return {
        "date": builders.JAN.isoformat(),
        "amount": "1.000.000",
        "category": "person",
        "counterparty": "Ông Lò Văn Pọm",
        "method": "cash",
    }


def _new_fund(request):
    return {
        "unit": request.getfixturevalue("tree")["commune"].pk,
        "name": "Quỹ khuyến học bản Co Muông",
        "kind": "village",
        "first_year": builders.YEAR,
    }


def _reverse(request):
    return {"date": builders.JAN.isoformat(), "reason": "Ghi nhầm"}


def _programme(request):
    return {
        "name": "Khen thưởng học sinh giỏi",
        "year": builders.YEAR,
        "category": "award",
        "default_amount": "300.000",
    }


def _recipient(request):
    return {"name": "Lò Văn Tú", "school": "Trường TH Mường Phăng", "grade": "5A"}


def _pay(request):
    return {"date": builders.JAN.isoformat(), "method": "cash"}


def _reason(request):
    return {"reason": "Thiếu chứng từ"}


ROWS = [
    Row("funds:fund-list", staff(), kwargs=keepers_only),
    Row("funds:fund-create", staff(province_staff=403), kwargs=keepers_only),
    Row(
        "funds:fund-create",
        # The sibling's keeper cannot choose another commune: the form says so (200).
        staff(officer=302, province_staff=403),
        kwargs=keepers_only,
        method="post",
        data=_new_fund,
        label="post",
    ),
    Row("funds:fund-detail", OWN, kwargs=fund_pk),
    Row("funds:entry-create", OWN, kwargs=fund_pk),
    Row(
        "funds:entry-create",
        OFFICER_DOES,
        kwargs=fund_pk,
        method="post",
        data=_receipt,
        label="post",
    ),
    Row("funds:entry-detail", OWN, kwargs=entry_pk),
    Row(
        "funds:entry-detail",
        # No URL changes or deletes a posted entry: the page only reads.
        staff(officer=405, sibling_officer=405, province_staff=405),
        kwargs=entry_pk,
        method="post",
        data=_receipt,
        label="post",
    ),
    Row("funds:entry-reverse", OWN, kwargs=entry_pk),
    Row(
        "funds:entry-reverse",
        OFFICER_DOES,
        kwargs=entry_pk,
        method="post",
        data=_reverse,
        label="post",
    ),
    Row("funds:entry-evidence", OWN, kwargs=evidence_pk),
    Row("funds:period-detail", OWN, kwargs=open_year),
    Row(
        "funds:period-close",
        OFFICER_DOES,
        kwargs=open_year,
        method="post",
        data=lambda request: {},
    ),
    Row(
        "funds:period-approve",
        APPROVER_DOES,
        kwargs=closed_year,
        method="post",
        data=lambda request: {"note": "Đúng"},
    ),
    Row(
        "funds:period-return",
        APPROVER_DOES,
        kwargs=closed_year,
        method="post",
        data=_reason,
    ),
    Row(
        "funds:programme-create",
        OFFICER_DOES,
        kwargs=funded_pk,
        method="post",
        data=_programme,
    ),
    Row("funds:programme-detail", OWN, kwargs=programme_pk),
    Row(
        "funds:programme-detail",
        OFFICER_DOES,
        kwargs=programme_pk,
        method="post",
        data=_recipient,
        label="post",
    ),
    Row(
        "funds:programme-pay",
        OFFICER_DOES,
        kwargs=programme_pk,
        method="post",
        data=_pay,
    ),
    Row("funds:programme-signatures", OWN, kwargs=programme_pk),
    Row("funds:programme-certificates", OWN, kwargs=programme_pk),
]
