"""Learning citizens (Công dân học tập, QĐ 677/QĐ-TTg): a person's yearly result, and the
self-assessments citizens send through a village's link.

Glossary: CitizenResult = kết quả Công dân học tập của một người trong năm; StaffMember = cán
bộ, công chức, viên chức, người lao động của một đơn vị (Organisation); SelfAssessment =
phiếu tự đánh giá; VillageLink = đường dẫn (mã QR) tự đánh giá của một thôn/bản. The persons
are the adult members of registered households (models_learning.HouseholdMember) and the staff
of organisations (StaffMember). Every write
goes through `citizens.services`.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.text import nfc, normalise
from models_learning.models import CriteriaSet, HouseholdMember, Organisation
from units.models import Unit, Village


class Source(models.TextChoices):
    SELF = "self", _("Self-assessment")
    OFFICER = "officer", _("Officer's assessment")
    IMPORTED = "imported", _("Imported from the national software")


class StaffMember(models.Model):
    """A member of an organisation's staff (cán bộ, công chức, viên chức, người lao động of a
    Đơn vị học tập): QĐ 677/QĐ-TTg counts the learning citizens among them against 60%."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="staff",
    )
    name = models.CharField(_("full name"), max_length=200)
    name_normalised = models.CharField(max_length=200, editable=False)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    # On the staff from `first_year` to `last_year` (empty: still there): counted in those years.
    first_year = models.PositiveSmallIntegerField(_("on the staff since"))
    last_year = models.PositiveSmallIntegerField(_("left in"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["organisation_id", "name_normalised", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | (Q(birth_year__gte=1900) & Q(birth_year__lte=2100)),
                name="ct_staff_birth_year_range",
            ),
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=models.F("first_year")),
                name="ct_staff_left_after_joining",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.position = nfc(self.position)
        self.name_normalised = normalise(self.name)
        if kwargs.get("update_fields") and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_normalised"}
        super().save(*args, **kwargs)


class CitizenResult(models.Model):
    """One person's learning-citizen result for one year (a row means: assessed): an adult of
    a household (`member`) or a member of an organisation's staff (`staff_member`)."""

    member = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="citizen_results",
    )
    staff_member = models.ForeignKey(
        StaffMember,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="citizen_results",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # The household's (or organisation's) commune and the household's village when assessed:
    # scoping (the commune's path, read through lineage as registrations are) and the lists.
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    achieved = models.BooleanField(_("learning citizen"))
    level = models.CharField(_("level"), max_length=60, blank=True)
    digital_skills = models.BooleanField(_("digital skills"))
    source = models.CharField(_("obtained by"), max_length=10, choices=Source.choices)
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # {"1": true, "2": false, …}: met or not, per criterion number, when assessed in the portal.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1, null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessed_on = models.DateField(_("assessed on"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learning citizen result")
        verbose_name_plural = _("learning citizen results")
        ordering = ["-year", "member_id"]
        indexes = [
            models.Index(fields=["commune", "year"], name="ct_result_commune_year"),
            models.Index(fields=["year", "commune"], name="ct_result_year_commune"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="ct_result_one_per_person_year",
                violation_error_message=_("This person already has a result for that year."),
            ),
            models.UniqueConstraint(
                fields=["staff_member", "year"],
                name="ct_result_one_per_staff_year",
                violation_error_message=_("This person already has a result for that year."),
            ),
            # A household's adult or a staff member, never both, never neither.
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(staff_member__isnull=True))
                | (Q(member__isnull=True) & Q(staff_member__isnull=False)),
                name="ct_result_one_person",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2021) & Q(year__lte=2100), name="ct_result_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.member_id or f's{self.staff_member_id}'} · {self.year}"


class VillageLink(models.Model):
    """A village's self-assessment link for one year (printed as a QR code by the commune)."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    token = models.CharField(max_length=40, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("self-assessment link")
        verbose_name_plural = _("self-assessment links")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year"],
                condition=models.Q(closed_at__isnull=True),
                name="citizens_one_open_link_per_village_year",
            )
        ]

    def __str__(self):
        return f"{self.village} · {self.year}"

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(18)


class SelfAssessment(models.Model):
    """What a citizen sent through a village link: a draft until an officer confirms it onto a
    person (which writes their CitizenResult) or sets it aside."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        CONFIRMED = "confirmed", _("Confirmed")
        SET_ASIDE = "set_aside", _("Set aside")

    link = models.ForeignKey(
        VillageLink, verbose_name=_("link"), on_delete=models.PROTECT, related_name="submissions"
    )
    # Denormalised from the link for scoping.
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    name_normalised = models.CharField(max_length=200, editable=False)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    head_name = models.CharField(_("head of household"), max_length=200, blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    digital_skills = models.BooleanField(_("digital skills"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    member = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["commune", "status"], name="ct_self_commune_status")]
        constraints = [
            # A link takes one sheet per person: a second one from the same name and year of
            # birth is not stored (the citizen still reads "received").
            models.UniqueConstraint(
                fields=["link", "name_normalised", "birth_year"], name="ct_self_once_per_link"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.head_name = nfc(self.head_name)
        self.name_normalised = normalise(self.name)
        super().save(*args, **kwargs)
