"""Subjects of registrations: households (with members), clans and organisations.

The fourth subject, the village community, is a `units.Village`.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.text import nfc, normalise
from units.models import Unit, Village


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
            # On the folded name, as officers search and type it: "Trường Tiểu học Nà Nhạn" and
            # "Truong tieu hoc Na Nhan" are one school.
            models.UniqueConstraint(
                fields=["commune", "name_normalised"],
                name="ml_organisation_unique_normalised_name",
                violation_error_message=_("This commune already has an organisation of that name."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.name_normalised = normalise(self.name)
        super().save(*args, **kwargs)
