"""Study-promotion funds (quỹ khuyến học): the fund, its book of entries, its yearly periods.

Money is whole VND in integer columns, never a float. A posted entry (phiếu thu / phiếu chi)
is never changed or deleted: a mistake is corrected by a reversing entry (ghi âm: the same
kind and category, the opposite amount) that names it. Writes go through funds.services.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lib.storage import private_storage
from units.models import Unit

YEAR_MIN, YEAR_MAX = 2000, 2100


class ImmutableEntry(Exception):
    """A posted entry was about to be changed or deleted."""


class FundKind(models.TextChoices):
    ASSOCIATION = "association", _("The association's fund")
    SCHOOL = "school", _("A school's fund")
    CLAN = "clan", _("A clan's fund")
    VILLAGE = "village", _("A village's fund")
    OTHER = "other", _("Another fund")


class Fund(models.Model):
    """A unit's study-promotion fund; `balance` is the sum of its entries, kept under its lock."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="funds"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=FundKind.choices, default=FundKind.ASSOCIATION
    )
    allow_negative = models.BooleanField(
        _("may go below zero"),
        default=False,
        help_text=_("Only when the fund's rules allow advancing money it does not hold."),
    )
    balance = models.BigIntegerField(_("balance (VND)"), default=0)
    first_year = models.PositiveSmallIntegerField(_("first year of the book"))
    # A merged unit's fund passes to its successor's (a transfer entry on each side).
    successor = models.ForeignKey(
        "self",
        verbose_name=_("passed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="funds_fund_unit_name"),
            models.CheckConstraint(
                condition=Q(allow_negative=True) | Q(balance__gte=0),
                name="funds_fund_balance_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.ended_on is None


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    PAYMENT = "payment", _("Payment")


VOUCHER_PREFIX = {EntryKind.RECEIPT: "PT", EntryKind.PAYMENT: "PC"}


class Category(models.TextChoices):
    # Where a receipt came from (sources) …
    PERSON = "person", _("Gift from a person")
    ORGANISATION = "organisation", _("Gift from an organisation")
    BUDGET = "budget", _("Budget")
    OTHER_IN = "other_in", _("Other receipt")
    TRANSFER_IN = "transfer_in", _("Transfer from a merged fund")
    # … and what a payment was for (purposes).
    SCHOLARSHIP = "scholarship", _("Scholarship")
    AWARD = "award", _("Award")
    SUPPORT = "support", _("Support for pupils in hardship")
    GIFT = "gift", _("Gifts at the school year's opening")
    RUNNING = "running", _("Running costs")
    OTHER_OUT = "other_out", _("Other payment")
    TRANSFER_OUT = "transfer_out", _("Transfer to the successor's fund")


SOURCES = (
    Category.PERSON,
    Category.ORGANISATION,
    Category.BUDGET,
    Category.OTHER_IN,
    Category.TRANSFER_IN,
)
PURPOSES = (
    Category.SCHOLARSHIP,
    Category.AWARD,
    Category.SUPPORT,
    Category.GIFT,
    Category.RUNNING,
    Category.OTHER_OUT,
    Category.TRANSFER_OUT,
)
# Payments that are awards to people (counted as "awards" in the reports).
AWARD_PURPOSES = (Category.SCHOLARSHIP, Category.AWARD, Category.SUPPORT, Category.GIFT)
TRANSFERS = (Category.TRANSFER_IN, Category.TRANSFER_OUT)
DONATIONS = (Category.PERSON, Category.ORGANISATION)


class Method(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK = "bank", _("Bank transfer")


class EntryQuerySet(models.QuerySet):
    """Entries are written once: no bulk update or delete either."""

    def update(self, **kwargs):
        raise ImmutableEntry("Posted entries are never changed: post a reversing entry.")

    def delete(self):
        raise ImmutableEntry("Posted entries are never deleted: post a reversing entry.")


def evidence_path(entry, filename):
    return f"funds/{entry.fund_id}/{entry.year}/{entry.kind}-{entry.number}-{filename}"


class Entry(models.Model):
    """A posted voucher of a fund's book: a receipt (phiếu thu) or a payment (phiếu chi)."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    date = models.DateField(_("date"))
    # Whole VND. Negative only on a reversing entry, which cancels the entry it names.
    amount = models.BigIntegerField(_("amount (VND)"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    counterparty = models.CharField(_("from / paid to"), max_length=200)
    named_publicly = models.BooleanField(_("the donor agreed to be named publicly"), default=False)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    description = models.CharField(_("description"), max_length=500, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    # The other side of a transfer between a merged fund and its successor's.
    counterpart = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The voucher's number in a book kept before the portal (an imported row): the same row
    # imported again is found by it and changes nothing.
    source_ref = models.CharField(_("voucher number in the paper book"), max_length=40, blank=True)
    evidence = models.FileField(
        _("evidence"), storage=private_storage, upload_to=evidence_path, blank=True
    )
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=50, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(auto_now_add=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["fund_id", "date", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "year", "kind", "number"], name="funds_entry_voucher_unique"
            ),
            models.UniqueConstraint(
                fields=["fund", "source_ref"],
                condition=~Q(source_ref=""),
                name="funds_entry_source_ref_unique",
            ),
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0))
                | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="funds_entry_amount_sign",
            ),
        ]
        indexes = [models.Index(fields=["year", "fund", "kind", "category"])]

    def __str__(self):
        return self.voucher

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableEntry("Posted entries are never changed: post a reversing entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEntry("Posted entries are never deleted: post a reversing entry.")

    @property
    def voucher(self):
        """The voucher number as printed: PT-0012/2026 (receipt), PC-0007/2026 (payment)."""
        return f"{VOUCHER_PREFIX[self.kind]}-{self.number:04d}/{self.year}"

    @property
    def signed_amount(self):
        """What the entry did to the balance."""
        return self.amount if self.kind == EntryKind.RECEIPT else -self.amount


class VoucherCounter(models.Model):
    """The last voucher number of a fund, year and kind (locked while numbering)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "year", "kind"], name="funds_vouchercounter_unique"
            ),
        ]

    def __str__(self):
        return f"{self.fund_id}/{self.year}/{self.kind}: {self.last}"


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed, waiting for approval")
    APPROVED = "approved", _("Closed and approved")
    RETURNED = "returned", _("Returned for correction")


# A year in these statuses takes no new entry.
LOCKED_STATUSES = (PeriodStatus.CLOSED, PeriodStatus.APPROVED)


class Period(models.Model):
    """A fund's year: open for entries until its keeper closes it (khóa sổ), then approved by
    the level above. The figures are frozen at closing."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="periods"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    opening_balance = models.BigIntegerField(_("opening balance (VND)"), default=0)
    receipts = models.BigIntegerField(_("receipts (VND)"), default=0)
    payments = models.BigIntegerField(_("payments (VND)"), default=0)
    closing_balance = models.BigIntegerField(_("closing balance (VND)"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("fund year")
        verbose_name_plural = _("fund years")
        ordering = ["fund_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year"], name="funds_period_unique"),
            models.CheckConstraint(
                condition=Q(closing_balance=F("opening_balance") + F("receipts") - F("payments")),
                name="funds_period_figures_add_up",
            ),
        ]

    def __str__(self):
        return f"{self.fund} {self.year}"

    @property
    def takes_entries(self):
        return self.status not in LOCKED_STATUSES


class PeriodEvent(models.Model):
    """One step of a year's closing: who, what, from which status to which, why."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["period_id", "at", "id"]

    def __str__(self):
        return f"{self.period}: {self.action}"


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Preparing the list")
    PAID = "paid", _("Paid")


class AwardProgramme(models.Model):
    """An award or scholarship round paid from a fund, with its rules and recipients."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(
        _("kind of payment"),
        max_length=20,
        choices=[(c.value, c.label) for c in AWARD_PURPOSES],
        default=Category.SCHOLARSHIP,
    )
    rules = models.TextField(_("rules"), blank=True)
    default_amount = models.PositiveBigIntegerField(_("amount per recipient (VND)"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("award programme")
        verbose_name_plural = _("award programmes")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "name"], name="funds_programme_unique"),
        ]

    def __str__(self):
        return self.name


class Recipient(models.Model):
    """A pupil, student or teacher on a programme's list. Often a minor: never public."""

    programme = models.ForeignKey(
        AwardProgramme, on_delete=models.PROTECT, related_name="recipients"
    )
    name = models.CharField(_("full name"), max_length=200)
    school = models.CharField(_("school"), max_length=200, blank=True)
    grade = models.CharField(_("grade / class"), max_length=50, blank=True)
    achievement = models.CharField(_("achievement"), max_length=300, blank=True)
    household = models.CharField(_("household"), max_length=200, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    entry = models.OneToOneField(
        Entry, null=True, blank=True, on_delete=models.PROTECT, related_name="recipient"
    )

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["programme_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_recipient_amount"),
        ]

    def __str__(self):
        return self.name
