"""The funds' sheets: receipts (phiếu thu) kept before the portal, and award lists.

Small on purpose: each row goes through funds.services as the forms do (the keeper's role, the
closed years, the whole-đồng amounts are theirs to check). A receipt is found again by its
voucher number (the paper book's, or the portal's own `PT-0012/2026`): the same file imported
twice changes nothing, and a voucher already posted with other figures is refused, since a
posted entry is never changed (reverse it in the portal instead).
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from funds import services as fund_services
from funds.models import (
    SOURCES,
    TRANSFERS,
    AwardProgramme,
    Category,
    Entry,
    EntryKind,
    Fund,
    Method,
    ProgrammeStatus,
)
from lib.errors import DomainError
from lib.sheets import Column, Kind, SheetSpec
from lib.text import normalise

from .importers import Importer, Outcome

OWN_VOUCHER = re.compile(r"PT-(\d{1,6})/(\d{4})", re.IGNORECASE)
YES, NO = "yes", "no"


def _funds(context):
    if context is None:
        return []
    return [
        (fund.pk, fund.name)
        for fund in Fund.objects.filter(
            unit__path__startswith=context.unit.path, ended_on__isnull=True
        ).order_by("name", "pk")
    ]


def _programmes(context):
    if context is None:
        return []
    return [
        (programme.pk, programme.name)
        for programme in AwardProgramme.objects.filter(
            fund__unit__path__startswith=context.unit.path, status=ProgrammeStatus.DRAFT
        ).order_by("-year", "name", "pk")
    ]


FUND = Column(
    "fund",
    pgettext_lazy("sheet column", "Fund"),
    kind=Kind.CHOICE,
    required=True,
    choices=_funds,
    help_text=gettext_lazy("A fund of the commune (or of a branch, school or clan in it)."),
    width=34,
)

RECEIPTS = SheetSpec(
    name=gettext_lazy("Fund receipts"),
    kind_code="fund-receipts",
    columns=[
        FUND,
        Column(
            "voucher",
            pgettext_lazy("sheet column", "Voucher number"),
            required=True,
            max_length=40,
            help_text=gettext_lazy(
                "The receipt's number in the book: a row whose voucher is already in the "
                "portal is left as it is."
            ),
            width=16,
        ),
        Column("date", pgettext_lazy("sheet column", "Date"), kind=Kind.DATE, required=True),
        Column(
            "amount",
            pgettext_lazy("sheet column", "Amount (VND)"),
            kind=Kind.INT,
            required=True,
            min_value=1,
            max_value=fund_services.MAX_AMOUNT,
            width=16,
        ),
        Column(
            "category",
            pgettext_lazy("sheet column", "Source"),
            kind=Kind.CHOICE,
            required=True,
            choices=[(c.value, c.label) for c in Category if c in SOURCES and c not in TRANSFERS],
            width=24,
        ),
        Column(
            "counterparty",
            pgettext_lazy("sheet column", "Received from"),
            required=True,
            max_length=200,
            width=30,
        ),
        Column(
            "named",
            pgettext_lazy("sheet column", "Named publicly"),
            kind=Kind.CHOICE,
            choices=[(YES, pgettext_lazy("consent", "Yes")), (NO, pgettext_lazy("consent", "No"))],
            help_text=gettext_lazy("Yes only when the donor agreed to be named publicly."),
            width=12,
        ),
        Column(
            "method",
            pgettext_lazy("sheet column", "Method"),
            kind=Kind.CHOICE,
            choices=Method.choices,
            width=14,
        ),
        Column(
            "description", pgettext_lazy("sheet column", "Description"), max_length=500, width=30
        ),
    ],
    instructions=[
        gettext_lazy(
            "One receipt (phiếu thu) per row, in whole đồng. A year already closed takes no "
            "receipt. A row whose voucher number is already in the fund's book changes nothing."
        ),
    ],
)

RECIPIENTS = SheetSpec(
    name=gettext_lazy("Award recipients"),
    kind_code="fund-recipients",
    columns=[
        Column(
            "programme",
            pgettext_lazy("sheet column", "Programme"),
            kind=Kind.CHOICE,
            required=True,
            choices=_programmes,
            help_text=gettext_lazy("An award or scholarship programme not paid yet."),
            width=34,
        ),
        Column("name", pgettext_lazy("sheet column", "Full name"), required=True, max_length=200),
        Column("school", pgettext_lazy("sheet column", "School"), max_length=200, width=26),
        Column("grade", pgettext_lazy("sheet column", "Grade / class"), max_length=50, width=10),
        Column(
            "achievement", pgettext_lazy("sheet column", "Achievement"), max_length=300, width=26
        ),
        Column("household", pgettext_lazy("sheet column", "Household"), max_length=200),
        Column(
            "amount",
            pgettext_lazy("sheet column", "Amount (VND)"),
            kind=Kind.INT,
            min_value=1,
            max_value=fund_services.MAX_AMOUNT,
            help_text=gettext_lazy("Empty: the programme's amount."),
            width=14,
        ),
    ],
    instructions=[
        gettext_lazy(
            "One recipient per row. A recipient already on the list (same name and school) "
            "is left as it is. Recipients' names are never published."
        ),
    ],
)


def _fund_of(context, pk):
    fund = Fund.objects.filter(
        pk=pk, unit__path__startswith=context.unit.path, ended_on__isnull=True
    ).first()
    if fund is None:
        raise DomainError(_("Choose a fund of this commune."), "fund")
    return fund


class ReceiptImporter(Importer):
    """A receipt: posted once, found again by its voucher number."""

    def apply(self, values):
        fund = _fund_of(self.context, values["fund"])
        voucher = values["voucher"].strip()
        existing = Entry.objects.filter(fund=fund, source_ref__iexact=voucher).first()
        own = OWN_VOUCHER.fullmatch(voucher)
        if existing is None and own:
            existing = Entry.objects.filter(
                fund=fund, kind=EntryKind.RECEIPT, number=int(own[1]), year=int(own[2])
            ).first()
        if existing is not None:
            same = (
                existing.amount == values["amount"]
                and existing.date == values["date"]
                and existing.category == values["category"]
                and normalise(existing.counterparty) == normalise(values["counterparty"])
            )
            if same:
                return Outcome.UNCHANGED
            raise DomainError(
                _(
                    "Voucher %(voucher)s is already in the book with other figures: a posted "
                    "entry is never changed; reverse it in the portal, then post it again."
                )
                % {"voucher": voucher},
                "voucher",
            )
        fund_services.post_entry(
            fund,
            by=self.by,
            kind=EntryKind.RECEIPT,
            date=values["date"],
            amount=values["amount"],
            category=values["category"],
            counterparty=values["counterparty"],
            method=values["method"] or Method.CASH,
            description=values["description"] or "",
            named_publicly=values["named"] == YES,
            source_ref=voucher,
        )
        return Outcome.NEW


class RecipientImporter(Importer):
    """A recipient on an unpaid list, found again by name and school."""

    def apply(self, values):
        programme = AwardProgramme.objects.filter(
            pk=values["programme"], fund__unit__path__startswith=self.unit.path
        ).first()
        if programme is None:
            raise DomainError(_("Choose a programme of this commune."), "programme")
        name, school = values["name"], values["school"] or ""
        for recipient in programme.recipients.all():
            if normalise(recipient.name) == normalise(name) and normalise(
                recipient.school
            ) == normalise(school):
                return Outcome.UNCHANGED
        fund_services.add_recipient(
            programme,
            by=self.by,
            name=name,
            school=school,
            grade=values["grade"] or "",
            achievement=values["achievement"] or "",
            household=values["household"] or "",
            amount=values["amount"],
        )
        return Outcome.NEW
