"""Titles and criteria sets: the official scoring grids (bộ tiêu chí) and their criteria."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from units.models import Level


class ModelKind(models.TextChoices):
    FAMILY = "family", _("Learning family")
    CLAN = "clan", _("Learning clan")
    COMMUNITY = "community", _("Learning community")
    ORGANISATION = "organisation", _("Learning organisation")


class CriteriaKind(models.TextChoices):
    """What a criteria set is for: the four titles of registrations, and the learning citizen
    (assessed per person, app `citizens`, never registered)."""

    FAMILY = ModelKind.FAMILY.value, ModelKind.FAMILY.label
    CLAN = ModelKind.CLAN.value, ModelKind.CLAN.label
    COMMUNITY = ModelKind.COMMUNITY.value, ModelKind.COMMUNITY.label
    ORGANISATION = ModelKind.ORGANISATION.value, ModelKind.ORGANISATION.label
    CITIZEN = "citizen", _("Learning citizen")


# The subject field of a registration for each kind.
SUBJECT_FIELDS = {
    ModelKind.FAMILY: "household",
    ModelKind.CLAN: "clan",
    ModelKind.COMMUNITY: "village",
    ModelKind.ORGANISATION: "organisation",
}


def default_approval_levels():
    return [Level.COMMUNE.value, Level.PROVINCE.value]


class CriteriaSet(models.Model):
    """An official (or provisional) scoring grid for one title, valid for a period of years.

    Versions of one set share a `code`; only the newest (`is_current`) takes new
    registrations. A set used by a registration is frozen: editing it makes a new version.
    """

    code = models.SlugField(
        _("code"), max_length=60, help_text=_("Shared by every version of the set.")
    )
    kind = models.CharField(_("title"), max_length=20, choices=CriteriaKind.choices)
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    valid_from_year = models.PositiveSmallIntegerField(_("first year"))
    valid_to_year = models.PositiveSmallIntegerField(_("last year"))
    max_score = models.DecimalField(_("maximum score"), max_digits=6, decimal_places=1)
    pass_mark = models.DecimalField(_("pass mark"), max_digits=6, decimal_places=1)
    half_points = models.BooleanField(
        _("half points allowed"), default=False, help_text=_("Points may end in .5")
    )
    # [{"label": "Xuất sắc", "min": 95}, …]: optional grading above the pass mark.
    bands = models.JSONField(_("grading bands"), default=list, blank=True)
    # Unit levels that act in order: the first is the commune (it proposes), then approvers.
    approval_levels = models.JSONField(_("approval levels"), default=default_approval_levels)
    validity_years = models.PositiveSmallIntegerField(
        _("years of validity"), default=1, help_text=_("How long a recognition stays valid.")
    )
    provisional = models.BooleanField(
        _("provisional"),
        default=True,
        help_text=_("Not yet checked against the official text by province staff."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous_version = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_versions",
    )
    is_current = models.BooleanField(_("current version"), default=True)
    is_frozen = models.BooleanField(
        _("frozen"), default=False, help_text=_("Used by a registration: edits make a new version.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["kind", "-valid_from_year", "code", "-version"]
        indexes = [
            models.Index(
                fields=["kind", "is_current", "valid_from_year", "valid_to_year"],
                name="ml_criteriaset_pick",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="ml_criteriaset_code_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="ml_criteriaset_one_current"
            ),
            models.CheckConstraint(
                condition=Q(valid_to_year__gte=F("valid_from_year")),
                name="ml_criteriaset_year_range",
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0) & Q(pass_mark__lte=F("max_score")),
                name="ml_criteriaset_pass_mark_range",
            ),
            models.CheckConstraint(
                condition=Q(validity_years__gte=1), name="ml_criteriaset_validity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})" if self.version > 1 else self.name

    def covers(self, year):
        return self.valid_from_year <= year <= self.valid_to_year

    def band_for(self, total):
        """The label of the highest band `total` reaches, or "" (bands are optional)."""
        reached = [b for b in self.bands if total is not None and total >= b.get("min", 0)]
        return max(reached, key=lambda b: b.get("min", 0))["label"] if reached else ""


class Criterion(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE,
        related_name="criteria",
    )  # fmt: skip
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=255)
    guidance = models.TextField(_("guidance"), blank=True)
    # [{"text": "…", "points": 10, "provisional": false}, …]: what the points are given for.
    sub_items = models.JSONField(_("items"), default=list, blank=True)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=1)
    required = models.BooleanField(
        _("required"), default=False, help_text=_("Must be met whatever the total.")
    )
    min_points = models.DecimalField(
        _("points to meet it"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("For a required criterion; empty means the full points."),
    )
    provisional = models.BooleanField(_("provisional"), default=False)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "number"], name="ml_criterion_number"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="ml_criterion_max_positive"),
            models.CheckConstraint(
                condition=Q(min_points__isnull=True)
                | (Q(min_points__gte=0) & Q(min_points__lte=F("max_points"))),
                name="ml_criterion_min_points_range",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def points_to_meet(self):
        """Points a required criterion needs (None when not required)."""
        if not self.required:
            return None
        return self.min_points if self.min_points is not None else self.max_points
