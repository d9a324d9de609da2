"""Registrations (hồ sơ đăng ký): one subject's file for a title and year, its scores, its
history and its evidence."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.postgres import PostgresOnlyGinIndex
from lib.storage import private_storage
from units.models import Level, Unit, Village

from ..workflow import Action, Status
from .criteria import SUBJECT_FIELDS, CriteriaSet, Criterion, ModelKind
from .subjects import Clan, Household, Organisation

# The statuses of a recognised file: recognised, or recognised and then revoked. The public
# pages (models_learning.public) filter on this list, and it is, in this order, the condition
# of the partial indexes below.
PUBLIC_STATUSES = (Status.RECOGNIZED.value, Status.REVOKED.value)


def _one_subject(kind, field):
    others = {f for f in SUBJECT_FIELDS.values() if f != field}
    return Q(kind=kind, **{f"{field}__isnull": False}, **{f"{f}__isnull": True for f in others})


class Registration(models.Model):
    """One subject's file for one title and year: from registration to recognition."""

    kind = models.CharField(_("title"), max_length=20, choices=ModelKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="registrations"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    clan = models.ForeignKey(
        Clan,
        verbose_name=_("clan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("village community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    # Index into criteria_set.approval_levels of the level that must act now (0: the commune).
    current_level = models.PositiveSmallIntegerField(_("approval level"), default=0)
    # The district or province unit whose reviewers/approvers must act (only while proposed).
    awaiting_unit = models.ForeignKey(
        Unit,
        verbose_name=_("waiting at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awaiting_registrations",
    )
    # Returned for correction and not yet proposed again.
    is_returned = models.BooleanField(_("returned for correction"), default=False)
    # Frozen when proposed; the scores may only change again after a return.
    total_score = models.DecimalField(
        _("total score"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    # Denormalised for lists and search: the subject's display name and its normalised text.
    subject_name = models.CharField(_("name"), max_length=255)
    search_text = models.CharField(max_length=500, editable=False, default="")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-year", "subject_name", "id"]
        indexes = [
            models.Index(fields=["unit", "year", "status"], name="ml_registration_unit_year"),
            models.Index(fields=["year", "kind", "status"], name="ml_registration_year_kind"),
            # The inbox's lists, longest waiting first (models_learning.selectors.inbox_for):
            # read in order from the index, 20 rows, however many files wait.
            models.Index(
                fields=["status", "awaiting_unit", "updated_at", "id"],
                name="ml_registration_waiting",
            ),
            models.Index(fields=["status", "updated_at", "id"], name="ml_registration_by_step"),
            models.Index(
                fields=["status", "updated_at", "id"],
                condition=Q(is_returned=True),
                name="ml_registration_to_fix",
            ),
            models.Index(fields=["search_text"], name="ml_registration_search"),
            models.Index(fields=["-updated_at"], name="ml_registration_updated"),
            # `search_text LIKE '%…%'` (the staff and public searches) on millions of rows.
            # SQLite has no trigram index; the stored normalised column keeps search working.
            PostgresOnlyGinIndex(
                fields=["search_text"],
                opclasses=["gin_trgm_ops"],
                name="ml_registration_search_trgm",
            ),
            # The public list of recognitions (models_learning.public): newest year first, then
            # by name, overall, per title and per commune (a commune or district filter reads
            # one ordered scan per commune and merges them). Partial, so they hold only the
            # recognised files; the condition reads like the query's for PostgreSQL to use them.
            *[
                models.Index(
                    fields=[*lead, "-year", "search_text", "id"],
                    condition=Q(status__in=PUBLIC_STATUSES),
                    name=name,
                )
                for name, lead in (
                    ("ml_registration_public_order", []),
                    ("ml_registration_public_kind", ["kind"]),
                    ("ml_registration_public_unit", ["unit"]),
                )
            ],
            # Every registration by year, unit, title and status: the GROUP BYs of /stats/ and
            # the home page (reporting.stats) read this index alone.
            models.Index(fields=["year", "unit", "kind", "status"], name="ml_registration_stats"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_one_subject(ModelKind.FAMILY, "household")
                | _one_subject(ModelKind.CLAN, "clan")
                | _one_subject(ModelKind.COMMUNITY, "village")
                | _one_subject(ModelKind.ORGANISATION, "organisation"),
                name="ml_registration_one_subject_of_its_kind",
            ),
            *[
                models.UniqueConstraint(
                    fields=[field, "kind", "year"],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"ml_registration_one_per_{field}_year",
                    violation_error_message=_("This subject is already registered for that year."),
                )
                for field in SUBJECT_FIELDS.values()
            ],
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="ml_registration_year_range"
            ),
            models.CheckConstraint(
                condition=Q(total_score__isnull=True) | Q(total_score__gte=0),
                name="ml_registration_total_not_negative",
            ),
            models.CheckConstraint(
                condition=(Q(status=Status.PROPOSED) & Q(awaiting_unit__isnull=False))
                | (~Q(status=Status.PROPOSED) & Q(awaiting_unit__isnull=True)),
                name="ml_registration_awaiting_only_when_proposed",
            ),
        ]

    def __str__(self):
        return f"{self.subject_name} · {self.get_kind_display()} {self.year}"

    @property
    def subject(self):
        return getattr(self, SUBJECT_FIELDS[ModelKind(self.kind)])

    @property
    def current_level_name(self):
        """The unit level that must act now ("commune", "district", "province")."""
        levels = self.criteria_set.approval_levels
        return levels[min(self.current_level, len(levels) - 1)]


class Score(models.Model):
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    # Copied from the criterion so that the database itself holds 0 <= points <= maximum.
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=1)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["registration_id", "criterion__number"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "criterion"], name="ml_score_unique"),
            models.CheckConstraint(condition=Q(points__gte=0), name="ml_score_not_negative"),
            models.CheckConstraint(
                condition=Q(points__lte=F("max_points")), name="ml_score_within_maximum"
            ),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.points}/{self.max_points}"


class RegistrationEvent(models.Model):
    """One step of a registration's history: the audit trail and the timeline of its page."""

    # The trail outlives any attempt to delete its file: a registration with a history (every
    # one has its "registered" step) is never deleted, it is withdrawn.
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("acting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who acted is the point of the trail: accounts are deactivated, never deleted, so deleting
    # one that acted is refused rather than leaving steps without their author.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    # On a return: [{"criterion": id, "number": 2, "title": "…", "note": "…"}, …]
    criterion_notes = models.JSONField(_("notes per criterion"), default=list, blank=True)
    # Extra facts of the step: total on a proposal, decision number on recognition…
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("registration event")
        verbose_name_plural = _("registration events")
        ordering = ["registration_id", "at", "id"]
        indexes = [
            models.Index(fields=["registration", "at"], name="ml_event_registration_at"),
            models.Index(fields=["action", "at"], name="ml_event_action_at"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class Evidence(models.Model):
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), storage=private_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["registration_id", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name
