"""The registry of learning centres and their mergers."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit

YEAR_MIN, YEAR_MAX = 1990, 2100


def year_range(name, field="year"):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": YEAR_MIN}) & Q(**{f"{field}__lte": YEAR_MAX}), name=name
    )


class Premises(models.TextChoices):
    OWN = "own", _("Own building")
    SHARED = "shared", _("Shared with the commune hall")
    NONE = "none", _("No premises")


class LearningCenter(models.Model):
    """A commune's learning centre. Director and contacts are for staff only, never public."""

    name = models.CharField(_("name"), max_length=200)
    # The commune the centre belongs to now; reports and ratings keep the commune of their year.
    commune = models.ForeignKey(
        Unit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="learning_centers",
        limit_choices_to={"level": "commune"},
    )
    founding_decision = models.CharField(_("founding decision"), max_length=120, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    director = models.CharField(_("director"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    premises = models.CharField(
        _("premises"), max_length=10, choices=Premises.choices, default=Premises.SHARED
    )
    full_time_staff = models.PositiveSmallIntegerField(_("full-time staff"), default=0)
    seconded_teachers = models.PositiveSmallIntegerField(_("seconded teachers"), default=0)
    volunteers = models.PositiveSmallIntegerField(_("volunteers"), default=0)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learning centre")
        verbose_name_plural = _("learning centres")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["commune", "valid_to"], name="center_commune_valid")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="center_valid_range",
                violation_error_message=_("The end of validity must not be before its start."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_current(self):
        return self.valid_to is None

    @property
    def staff_total(self):
        return self.full_time_staff + self.seconded_teachers + self.volunteers


class CenterChange(models.Model):
    """Lineage of centres: `predecessor` was merged into `successor` on `date`."""

    predecessor = models.OneToOneField(
        LearningCenter,
        verbose_name=_("former centre"),
        on_delete=models.PROTECT,
        related_name="merged_into_link",
    )
    successor = models.ForeignKey(
        LearningCenter,
        verbose_name=_("centre merged into"),
        on_delete=models.PROTECT,
        related_name="merged_from_links",
    )
    date = models.DateField(_("date of effect"))
    legal_basis = models.CharField(_("decision"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("centre merger")
        verbose_name_plural = _("centre mergers")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")), name="centerchange_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.date})"
