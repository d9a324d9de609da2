"""Recognitions (công nhận): the decision, its certificate code, and decision numbering."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from .registrations import Registration


class Recognition(models.Model):
    """The decision granting the title, and the public certificate code that proves it."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="recognition",
    )
    issuing_unit = models.ForeignKey(
        Unit, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="recognitions"
    )
    decision_number = models.CharField(_("decision number"), max_length=50)
    decision_date = models.DateField(_("decision date"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"))
    certificate_code = models.CharField(_("certificate code"), max_length=20, unique=True)
    # Once issued, the decision number and date no longer change.
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-decision_date", "-id"]
        indexes = [
            models.Index(fields=["issuing_unit", "decision_date"], name="ml_recognition_unit_date"),
            models.Index(fields=["valid_to"], name="ml_recognition_valid_to"),
            models.Index(fields=["revoked_at"], name="ml_recognition_revoked"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="ml_recognition_valid_range"
            ),
        ]

    def __str__(self):
        return f"{self.decision_number} · {self.certificate_code}"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def is_valid_on(self, day):
        return not self.is_revoked and self.valid_from <= day <= self.valid_to


class DecisionCounter(models.Model):
    """The last decision number given by a unit in a year (locked while numbering)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="ml_decisioncounter_unique"),
        ]

    def __str__(self):
        return f"{self.unit_id}/{self.year}: {self.last}"
