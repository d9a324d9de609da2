"""Rating schemes (versioned scales with bands) and the yearly ratings of centres: scores,
history and evidence."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lib.storage import private_storage
from units.models import Unit

from .centres import LearningCenter, year_range


class RatingScheme(models.Model):
    """A versioned rating scale. Frozen once a rating uses it: an edit then makes a new version."""

    key = models.SlugField(
        _("key"), max_length=40, help_text=_("Versions of one scheme share this key.")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    year_from = models.PositiveSmallIntegerField(_("first year"))
    year_to = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    provisional = models.BooleanField(
        _("provisional"),
        default=True,
        help_text=_("Best knowledge, still to be confirmed by province staff."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating scheme")
        verbose_name_plural = _("rating schemes")
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="scheme_unique_version"),
            year_range("scheme_year_from_range", "year_from"),
            models.CheckConstraint(
                condition=Q(year_to__isnull=True) | Q(year_to__gte=F("year_from")),
                name="scheme_year_order",
            ),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @property
    def is_frozen(self):
        return self.frozen_at is not None

    def covers(self, year):
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)


class RatingCriterion(models.Model):
    scheme = models.ForeignKey(
        RatingScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="criteria"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=255)
    guidance = models.TextField(_("guidance"), blank=True)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("rating criterion")
        verbose_name_plural = _("rating criteria")
        ordering = ["scheme_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="criterion_unique_number"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class RatingBand(models.Model):
    """A band of a scheme: a total at or above `min_total` (and below the next band) earns it."""

    scheme = models.ForeignKey(
        RatingScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="bands"
    )
    code = models.SlugField(
        _("code"),
        max_length=20,
        help_text=_("Keeps a band comparable across schemes and years, e.g. “tot”."),
    )
    name = models.CharField(_("name"), max_length=50)
    min_total = models.DecimalField(_("from total"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("rating band")
        verbose_name_plural = _("rating bands")
        ordering = ["scheme_id", "-min_total"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="band_unique_code"),
            models.UniqueConstraint(fields=["scheme", "min_total"], name="band_unique_threshold"),
            models.CheckConstraint(condition=Q(min_total__gte=0), name="band_min_not_negative"),
        ]

    def __str__(self):
        return self.name


class RatingStatus(models.TextChoices):
    SELF_ASSESSED = "self_assessed", _("Self-assessed")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    RATED = "rated", _("Rated")
    PUBLISHED = "published", _("Published")


class CenterRating(models.Model):
    """One centre's rating for one year, from the self-assessment to publication."""

    center = models.ForeignKey(
        LearningCenter, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="ratings"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    scheme = models.ForeignKey(
        RatingScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="ratings"
    )
    # The commune the centre belonged to that year: per-year counts are "as the units were".
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=RatingStatus.choices,
        default=RatingStatus.SELF_ASSESSED,
    )
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2, default=0)
    band = models.ForeignKey(
        RatingBand,
        verbose_name=_("band"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("centre rating")
        verbose_name_plural = _("centre ratings")
        ordering = ["center_id", "-year"]
        indexes = [
            models.Index(fields=["year", "status", "band"], name="rating_year_status_band"),
            models.Index(fields=["center", "status", "year"], name="rating_center_status_year"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year"],
                name="rating_one_per_center_year",
                violation_error_message=_("This centre already has a rating for that year."),
            ),
            year_range("rating_year_range"),
            models.CheckConstraint(condition=Q(total__gte=0), name="rating_total_not_negative"),
        ]

    def __str__(self):
        return f"{self.center} {self.year}"

    @property
    def is_published(self):
        return self.status == RatingStatus.PUBLISHED


class CenterScore(models.Model):
    """Points for one criterion: the commune's own and the current (province-adjusted) ones."""

    rating = models.ForeignKey(
        CenterRating, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        RatingCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the (frozen) criterion so that the database itself checks the bound.
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)
    self_points = models.DecimalField(_("self-assessed points"), max_digits=5, decimal_places=2)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["rating_id", "criterion__number"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "criterion"], name="score_unique_criterion"),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(points__lte=F("max_points")),
                name="score_points_within_max",
                violation_error_message=_("Points must be between 0 and the criterion's maximum."),
            ),
            models.CheckConstraint(
                condition=Q(self_points__gte=0) & Q(self_points__lte=F("max_points")),
                name="score_self_points_within_max",
            ),
        ]

    def __str__(self):
        return f"{self.rating} · {self.criterion_id}: {self.points}"

    @property
    def adjusted(self):
        return self.points != self.self_points


class CenterRatingEvent(models.Model):
    """One step of a rating's history: who, when, from which status to which, and why."""

    # The trail outlives any attempt to delete its rating: a rating with a history is kept.
    rating = models.ForeignKey(
        CenterRating, verbose_name=_("rating"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(
        _("from"), max_length=15, choices=RatingStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=15, choices=RatingStatus.choices)
    # Who acted is the point of the trail: accounts are deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    # Score changes by province staff: [{"criterion": n, "from": "x", "to": "y", "reason": "…"}]
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("rating event")
        verbose_name_plural = _("rating events")
        ordering = ["rating_id", "at", "id"]

    def __str__(self):
        return f"{self.rating} {self.from_status or '-'} → {self.to_status}"


ALLOWED_EVIDENCE_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def evidence_path(instance, filename):
    """Under the private root, by centre and year, with a random name (never the user's)."""
    extension = ALLOWED_EVIDENCE_TYPES.get(instance.content_type, Path(filename).suffix.lower())
    rating = instance.rating
    return f"centers/{rating.center_id}/{rating.year}/{uuid.uuid4().hex}{extension}"


class CenterEvidence(models.Model):
    """A file backing a self-assessment: private, served only by a view that checks scope."""

    rating = models.ForeignKey(
        CenterRating, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["rating_id", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name
