"""Learning models: criteria sets, subjects, registrations, scores, history and recognitions.

Glossary: Registration = hồ sơ đăng ký, Recognition = công nhận, CriteriaSet = bộ tiêu chí,
Household = hộ gia đình, Clan = dòng họ, the community is a `units.Village` (thôn/bản),
Organisation = đơn vị (cơ quan, trường học, doanh nghiệp). Every write goes through
`models_learning.services`; the status moves are in `models_learning.workflow`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.storage import private_storage
from lib.text import nfc, normalise
from units.models import Level, Unit, Village

from .workflow import Action, Status


class ModelKind(models.TextChoices):
    FAMILY = "family", _("Learning family")
    CLAN = "clan", _("Learning clan")
    COMMUNITY = "community", _("Learning community")
    ORGANISATION = "organisation", _("Learning organisation")


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
    kind = models.CharField(_("title"), max_length=20, choices=ModelKind.choices)
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


# --- subjects ---------------------------------------------------------------------------


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Brother or sister")
    OTHER = "other", _("Other")


class Schooling(models.TextChoices):
    NONE = "none", _("Not in school")
    PRESCHOOL = "preschool", _("Preschool")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational training")
    HIGHER = "higher", _("College or university")
    ADULT = "adult", _("Adult learning (literacy, centre classes)")


class Household(models.Model):
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="households"
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="households"
    )
    head_name = models.CharField(_("head of household"), max_length=200)
    head_name_normalised = models.CharField(max_length=200, editable=False)
    head_birth_year = models.PositiveSmallIntegerField(
        _("head's year of birth"), null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    # Never shown on a public page.
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["head_name_normalised", "id"]
        indexes = [
            models.Index(
                fields=["head_name_normalised", "head_birth_year"], name="ml_household_name_year"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(head_birth_year__isnull=True)
                | (Q(head_birth_year__gte=1900) & Q(head_birth_year__lte=2100)),
                name="ml_household_birth_year_range",
            ),
        ]

    def __str__(self):
        return self.head_name

    def save(self, *args, **kwargs):
        self.head_name = nfc(self.head_name)
        self.head_name_normalised = normalise(self.head_name)
        if kwargs.get("update_fields") and "head_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "head_name_normalised"}
        super().save(*args, **kwargs)


class HouseholdMember(models.Model):
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="members"
    )
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    relationship = models.CharField(
        _("relationship"), max_length=12, choices=Relationship.choices, default=Relationship.CHILD
    )
    schooling = models.CharField(
        _("schooling"), max_length=16, choices=Schooling.choices, default=Schooling.NONE
    )

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household_id", "position", "id"]

    def __str__(self):
        return self.name


class Clan(models.Model):
    commune = models.ForeignKey(
        Unit,
        verbose_name=_("registering commune"),
        on_delete=models.PROTECT,
        related_name="clans",
    )
    communes = models.ManyToManyField(
        Unit,
        verbose_name=_("communes where it lives"),
        blank=True,
        related_name="clans_present",
    )
    surname = models.CharField(_("surname"), max_length=60)
    branch = models.CharField(_("branch (chi)"), max_length=200, blank=True)
    representative = models.CharField(_("representative"), max_length=200, blank=True)
    name_normalised = models.CharField(max_length=300, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("clan")
        verbose_name_plural = _("clans")
        ordering = ["name_normalised", "id"]

    def __str__(self):
        name = _("%(surname)s clan") % {"surname": self.surname}
        return f"{name} ({self.branch})" if self.branch else str(name)

    def save(self, *args, **kwargs):
        self.surname = nfc(self.surname)
        self.branch = nfc(self.branch)
        self.representative = nfc(self.representative)
        self.name_normalised = normalise(f"{self.surname} {self.branch}")
        super().save(*args, **kwargs)


class OrganisationKind(models.TextChoices):
    AGENCY = "agency", _("Agency")
    SCHOOL = "school", _("School")
    ENTERPRISE = "enterprise", _("Enterprise")


class Organisation(models.Model):
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=12, choices=OrganisationKind.choices)
    name_normalised = models.CharField(max_length=255, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_normalised", "id"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="ml_organisation_unique_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.name_normalised = normalise(self.name)
        super().save(*args, **kwargs)


# --- registrations ----------------------------------------------------------------------


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
            models.Index(fields=["status", "awaiting_unit"], name="ml_registration_awaiting"),
            models.Index(fields=["status", "is_returned"], name="ml_registration_returned"),
            models.Index(fields=["search_text"], name="ml_registration_search"),
            models.Index(fields=["-updated_at"], name="ml_registration_updated"),
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

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
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
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
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
