"""The association's tree of units, its history, its people and its yearly figures."""

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Length, Lower, Replace
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from lib.postgres import DateRange, PostgresOnlyExclusionConstraint

# The words that open a unit's name and say its kind ("Xã Mường Phăng", "Huyện Điện Biên").
DIVISION_WORDS = ("Thành phố", "Thị xã", "Thị trấn", "Huyện", "Phường", "Xã")


def bare_name(name):
    """A unit's name without the word saying its kind: "Xã Mường Phăng" -> "Mường Phăng"."""
    for word in DIVISION_WORDS:
        if name.startswith(word + " "):
            return name[len(word) + 1 :]
    return name


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    BRANCH = "branch", _("Branch")


# Which level may sit under which: a district only before 1 July 2025, a commune under either.
ALLOWED_PARENT_LEVELS = {
    Level.PROVINCE: set(),
    Level.DISTRICT: {Level.PROVINCE},
    Level.COMMUNE: {Level.PROVINCE, Level.DISTRICT},
    Level.BRANCH: {Level.COMMUNE},
}


class BranchKind(models.TextChoices):
    VILLAGE_BRANCH = "village_branch", _("Village branch")
    AGENCY_BRANCH = "agency_branch", _("Agency branch")
    SCHOOL_BOARD = "school_board", _("School board")
    CLAN_BOARD = "clan_board", _("Clan board")
    ENTERPRISE_BOARD = "enterprise_board", _("Enterprise board")
    RELIGIOUS_BOARD = "religious_board", _("Religious group board")


BOARD_KINDS = {
    BranchKind.SCHOOL_BOARD,
    BranchKind.CLAN_BOARD,
    BranchKind.ENTERPRISE_BOARD,
    BranchKind.RELIGIOUS_BOARD,
}


# "/<id of root>/…/<own id>/": what every subtree filter (`path LIKE 'prefix%'`) relies on. An
# empty path, or "/", would be a prefix of every path: its unit's officers would read them all.
PATH_PATTERN = r"^(/[0-9]+)+/$"


def unplaced_path(parent):
    """The path a unit holds between its INSERT and the UPDATE that gives it its own id:
    well-formed and under its parent, its last step 0, which names no unit (ids start at 1)."""
    return f"{parent.path if parent else '/'}0/"


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Units that existed on `day` (a null bound is open)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def current(self):
        return self.filter(valid_to__isnull=True)

    def within(self, unit):
        """The subtree of `unit`, itself included: one indexed prefix filter."""
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    kind = models.CharField(_("branch kind"), max_length=20, choices=BranchKind.choices, blank=True)
    # The official name of the administrative type: tỉnh, huyện, thành phố, xã, phường, thị trấn…
    division_type = models.CharField(_("division type"), max_length=30, blank=True)
    admin_code = models.CharField(
        _("official code"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_("Code from the official list of administrative units, where it has one."),
    )
    admin_code_is_local = models.BooleanField(
        _("local code"),
        default=False,
        help_text=_("The official code was not found; this one was given by the portal."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "/<id of root>/…/<own id>/": a subtree is one `path LIKE 'prefix%'` on an indexed column.
    path = models.CharField(max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="unit_path_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["level", "valid_from", "valid_to"], name="unit_level_valid"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="unit_valid_range",
                violation_error_message=_("The end of validity must not be before its start."),
            ),
            models.CheckConstraint(
                condition=Q(level="branch") | Q(kind=""),
                name="unit_kind_only_for_branches",
            ),
            # One step per level: as many slashes as the depth plus two ("/1/" is depth 0).
            models.CheckConstraint(
                condition=Q(path__regex=PATH_PATTERN)
                & Q(Exact(Length("path") - Length(Replace("path", Value("/"))), F("depth") + 2)),
                name="unit_path_well_formed",
                violation_error_message=_("The unit's place in the tree is not well formed."),
            ),
            # Official codes are reused across periods (each 2025 commune took the code of one
            # of its predecessors): unique per level only among units valid on the same day.
            # Held by PostgreSQL itself, so that two requests at once cannot both take a code;
            # on SQLite units.services.check_unit alone keeps the rule.
            PostgresOnlyExclusionConstraint(
                name="unit_admin_code_unique_in_time",
                expressions=[
                    ("admin_code", RangeOperators.EQUAL),
                    ("level", RangeOperators.EQUAL),
                    (DateRange("valid_from", "valid_to", Value("[]")), RangeOperators.OVERLAPS),
                ],
                condition=~Q(admin_code=""),
                violation_error_message=_(
                    "This official code is already used by another unit in the same period."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_current(self):
        return self.valid_to is None

    @property
    def is_board(self):
        return self.kind in BOARD_KINDS

    def ancestor_ids(self):
        """Ids on the path from the root down to this unit, itself included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class ChangeKind(models.TextChoices):
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    RENAME = "rename", _("Rename")
    MOVE = "move", _("Move")


class UnitChange(models.Model):
    """One link of lineage: `predecessor` became (part of) `successor` on `date`."""

    predecessor = models.ForeignKey(
        Unit, verbose_name=_("former unit"), on_delete=models.PROTECT, related_name="changes_out"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("new unit"), on_delete=models.PROTECT, related_name="changes_in"
    )
    kind = models.CharField(_("kind of change"), max_length=10, choices=ChangeKind.choices)
    date = models.DateField(_("date of effect"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("unit change")
        verbose_name_plural = _("unit changes")
        ordering = ["date", "successor_id", "predecessor_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unitchange_unique_link"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")), name="unitchange_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()}, {self.date})"


class VillageKind(models.TextChoices):
    THON = "thon", _("Village (thôn)")
    BAN = "ban", _("Hamlet (bản)")
    TO_DAN_PHO = "to_dan_pho", _("Residential group (tổ dân phố)")


class Village(models.Model):
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="villages"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=12, choices=VillageKind.choices, default=VillageKind.BAN
    )
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["commune_id", "name"]
        constraints = [
            # Whatever the case: "Bản Co Muông" and "bản co muông" are one village. (SQLite's
            # lower() folds only ASCII letters; units.services.village_named folds them all.)
            models.UniqueConstraint(
                "commune",
                Lower("name"),
                name="village_unique_name_any_case",
                violation_error_message=_("This commune already has a village of that name."),
            ),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    OFFICER = "officer", _("Officer")
    REVIEWER = "reviewer", _("Reviewer")
    APPROVER = "approver", _("Approver")
    MANAGER = "manager", _("Manager")
    # Keeps the unit's study-promotion funds (thủ quỹ / kế toán): posts vouchers, closes years.
    TREASURER = "treasurer", _("Fund keeper")


class Membership(models.Model):
    """A user's role in a unit: the rights reach the unit's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user_id", "unit__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class UnitYearFigures(models.Model):
    """A commune's figures for a year; districts and the province are sums of their communes."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="figures"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    members = models.PositiveIntegerField(_("members"))
    population = models.PositiveIntegerField(_("population"))
    households = models.PositiveIntegerField(_("households"))
    branches = models.PositiveIntegerField(_("branches"))
    boards = models.PositiveIntegerField(_("boards"))

    class Meta:
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        ordering = ["unit_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="figures_one_per_year"),
            models.CheckConstraint(
                condition=Q(members__lte=F("population")),
                name="figures_members_within_population",
                violation_error_message=_("Members cannot outnumber the population."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="figures_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}"

    @property
    def ratio(self):
        """Members as a share of the population (0–1), None without population."""
        return self.members / self.population if self.population else None


class AuditEntry(models.Model):
    """Who changed what, when: written by every service that changes units or accounts."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # Who did it is the point of the trail: an account that acted is deactivated, never
    # deleted (units.services.update_account), so deleting it is refused rather than letting
    # the trail lose its author. Null only for the system's own changes (loading, the demo).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=50)
    # Units are never deleted (an ended unit gets a valid_to): one with a history cannot be.
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    target = models.CharField(_("object"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"
