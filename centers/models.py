"""Community learning centres (TTHTCĐ): the registry, yearly reports, rating schemes, ratings."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lib.storage import private_storage
from units.models import Unit

YEAR_MIN, YEAR_MAX = 1990, 2100


def _year_range(name, field="year"):
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


# Topics of the yearly report: (key, label). Each has `<key>_classes` and `<key>_participants`.
TOPICS = (
    ("literacy", _("Literacy and post-literacy")),
    ("law", _("Law and policy")),
    ("agriculture", _("Agriculture and technology transfer")),
    ("health", _("Health")),
    ("culture", _("Culture and sport")),
    ("it_other", _("IT and other")),
)
LEARNER_GROUPS = (
    ("learners_women", _("Women")),
    ("learners_ethnic_minorities", _("Ethnic minorities")),
    ("learners_elderly", _("Elderly")),
)
FUND_SOURCES = (
    ("funds_state_budget", _("State budget")),
    ("funds_social", _("Social contributions")),
    ("funds_other", _("Others")),
)
CLASS_FIELDS = tuple(f"{key}_classes" for key, _label in TOPICS)
PARTICIPANT_FIELDS = tuple(f"{key}_participants" for key, _label in TOPICS)
LEARNER_FIELDS = tuple(key for key, _label in LEARNER_GROUPS)
FUND_FIELDS = tuple(key for key, _label in FUND_SOURCES)
FIGURE_FIELDS = (*CLASS_FIELDS, *PARTICIPANT_FIELDS, *LEARNER_FIELDS, *FUND_FIELDS)


def _count(label):
    return models.PositiveIntegerField(label, default=0)


def _classes_need_participants(key):
    return models.CheckConstraint(
        condition=Q(**{f"{key}_classes": 0}) | Q(**{f"{key}_participants__gt": 0}),
        name=f"report_{key}_classes_have_participants",
        violation_error_message=_("Classes were held but no participant is counted."),
    )


class CenterYearReport(models.Model):
    """A centre's activity in one year. Totals are sums of the rows, never stored."""

    center = models.ForeignKey(
        LearningCenter, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # The commune the centre belonged to when the report was filed ("as the units were").
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    literacy_classes = _count(_("classes: literacy and post-literacy"))
    literacy_participants = _count(_("participant-visits: literacy and post-literacy"))
    law_classes = _count(_("classes: law and policy"))
    law_participants = _count(_("participant-visits: law and policy"))
    agriculture_classes = _count(_("classes: agriculture and technology transfer"))
    agriculture_participants = _count(_("participant-visits: agriculture and technology transfer"))
    health_classes = _count(_("classes: health"))
    health_participants = _count(_("participant-visits: health"))
    culture_classes = _count(_("classes: culture and sport"))
    culture_participants = _count(_("participant-visits: culture and sport"))
    it_other_classes = _count(_("classes: IT and other"))
    it_other_participants = _count(_("participant-visits: IT and other"))
    learners_women = _count(_("learners: women"))
    learners_ethnic_minorities = _count(_("learners: ethnic minorities"))
    learners_elderly = _count(_("learners: elderly"))
    funds_state_budget = models.PositiveBigIntegerField(_("funds: state budget (VND)"), default=0)
    funds_social = models.PositiveBigIntegerField(_("funds: social contributions (VND)"), default=0)
    funds_other = models.PositiveBigIntegerField(_("funds: others (VND)"), default=0)
    note = models.TextField(_("note"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("yearly activity report")
        verbose_name_plural = _("yearly activity reports")
        ordering = ["center_id", "-year"]
        indexes = [models.Index(fields=["year", "commune"], name="report_year_commune")]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year"],
                name="report_one_per_center_year",
                violation_error_message=_("This centre already has a report for that year."),
            ),
            _year_range("report_year_range"),
            *(_classes_need_participants(key) for key, _label in TOPICS),
        ]

    def __str__(self):
        return f"{self.center} {self.year}"

    def topic_rows(self):
        """(label, classes, participant-visits) per topic, in the report's order."""
        return [
            (label, getattr(self, f"{key}_classes"), getattr(self, f"{key}_participants"))
            for key, label in TOPICS
        ]

    @property
    def total_classes(self):
        return sum(getattr(self, name) for name in CLASS_FIELDS)

    @property
    def total_participants(self):
        return sum(getattr(self, name) for name in PARTICIPANT_FIELDS)

    @property
    def total_funds(self):
        return sum(getattr(self, name) for name in FUND_FIELDS)

    def learner_rows(self):
        return [(label, getattr(self, key)) for key, label in LEARNER_GROUPS]

    def fund_rows(self):
        return [(label, getattr(self, key)) for key, label in FUND_SOURCES]


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
            _year_range("scheme_year_from_range", "year_from"),
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
            _year_range("rating_year_range"),
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

    rating = models.ForeignKey(
        CenterRating, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(
        _("from"), max_length=15, choices=RatingStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=15, choices=RatingStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
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
