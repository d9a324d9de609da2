"""One row of a sheet -> the service calls the forms make, and what the row changed.

`apply(values)` takes a row's parsed values (column key -> value), calls the services of
models_learning or centers as the person importing (`by`), and returns NEW, UPDATED or
UNCHANGED. A broken rule raises DomainError (from the service, or from the checks here,
which only look up what a row refers to); the engine runs each call inside a savepoint, so a
refused row leaves nothing behind. A row that matches what the portal already holds calls no
service at all: importing the same file twice changes nothing.

An importer may also take the file in chunks (HouseholdImporter does; the engine asks
`hasattr(importer, "prepare")`): `prepare(rows, *, writing)` reads what the rules need for a
chunk's valid rows at once, `apply(values)` then decides a row without writing (the same
Outcome, or DomainError), `take_plan()` hands over what that row will write, `write(plans)`
writes many at once (inside the engine's savepoint) and `refusal(plan)` says why a plan that
failed to write is refused. Everything else keeps to `apply` alone.
"""

import contextlib
from enum import StrEnum

from django.db.models import F
from django.utils.translation import gettext as _

from centers import services as center_services
from centers.models import FIGURE_FIELDS, CenterRating, CenterYearReport
from lib.errors import DomainError
from lib.text import normalise
from models_learning import services as learning_services
from models_learning.models import Clan, Household, ModelKind, Registration
from units.models import bare_name

from .specs import criterion_key


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def same_commune(text, unit):
    """Does `text` name `unit`? Case, accents and the word "Xã"/"Phường" may differ."""
    return normalise(text) in {normalise(unit.name), normalise(bare_name(unit.name))}


class Importer:
    def __init__(self, context):
        self.context = context
        self.unit = context.unit
        self.by = context.user

    def check_commune(self, values):
        text = values.get("commune")
        if text and not same_commune(text, self.unit):
            raise DomainError(
                _(
                    "This row is for “%(other)s”, but the file is being imported into "
                    "%(unit)s: import it into its own commune, or delete the row."
                )
                % {"other": text, "unit": self.unit.name},
                "commune",
            )

    def apply(self, values):
        raise NotImplementedError


def _registered(kind, field, subject, year):
    return Registration.objects.filter(**{field: subject, "kind": kind, "year": year}).exists()


def _duplicate_message(warning):
    match = next((m for m in warning.matches if m.registration is not None), warning.matches[0])
    if match.registration is None:
        return str(match.message)
    return _(
        "Likely a duplicate of an existing registration (%(unit)s, %(year)s): %(reason)s "
        "Register it through the form if it really is another household."
    ) % {
        "unit": match.registration.unit.name,
        "year": match.registration.year,
        "reason": match.message,
    }


class ServiceFamilies:
    """Households one row at a time through the form's services (the engine runs each row in a
    savepoint): the path of a file read row by row, and the reference the chunks must match."""

    def __init__(self, by):
        self.by = by

    def row(self):
        return contextlib.nullcontext()

    def take_plan(self):
        return None

    def existing(self, *, village, head_name, head_birth_year):
        # The village is compared as an expression, not the indexed column, so that the
        # planner starts from the (name, year of birth) index: during a large import the
        # statistics still say the commune's villages are nearly empty, and a village index
        # scan would grow with every row the import adds.
        households = (
            Household.objects.filter(head_name_normalised=normalise(head_name))
            .alias(in_village=F("village_id") + 0)
            .filter(in_village=village.pk)
        )
        if head_birth_year is None:
            households = households.filter(head_birth_year__isnull=True)
        else:
            households = households.filter(head_birth_year=head_birth_year)
        return households.order_by("pk").first()

    def register_new(self, *, year, **new_household):
        learning_services.register_household(by=self.by, year=year, new_household=new_household)

    def update(self, household, changes):
        learning_services.update_household(household, by=self.by, **changes)

    def is_registered(self, household, year):
        return _registered(ModelKind.FAMILY, "household", household, year)

    def register(self, household, year):
        learning_services.register_household(by=self.by, year=year, household=household)


class HouseholdImporter(Importer):
    """A household (found by head's name, year of birth and village, or created) and its
    registration as a learning family for the row's year.

    Row by row, `apply` calls the services (ServiceFamilies). In chunks, the engine calls
    `prepare` with the chunk's rows first: `apply` then decides each row in Python with the
    same rules (models_learning's FamilyChunk) and `write` saves the decided rows at once.
    Both paths run the one `apply` below.
    """

    def __init__(self, context):
        super().__init__(context)
        self.families = ServiceFamilies(self.by)

    def prepare(self, rows, *, writing=True):
        """Read what the rules need for these rows (the valid rows of a chunk); `writing`
        False for a check, which builds nothing to write."""
        people = [
            (
                values["head_name"],
                values["head_birth_year"],
                self.context.village_by_pk[values["village"]],
                values["year"],
            )
            for values in rows
        ]
        self.families = learning_services.FamilyChunk(
            by=self.by, unit=self.unit, people=people, writing=writing
        )

    def take_plan(self):
        """What the row just decided writes (chunks only)."""
        return self.families.take_plan()

    def write(self, plans):
        self.families.write(plans)

    def refusal(self, plan):
        """Why a decided row could not be written, or None (chunks only)."""
        return self.families.refusal(plan)

    def apply(self, values):
        self.check_commune(values)
        village = self.context.village_by_pk[values["village"]]
        year = values["year"]
        families = self.families
        person = {
            "village": village,
            "head_name": values["head_name"],
            "head_birth_year": values["head_birth_year"],
        }
        with families.row():
            household = families.existing(**person)
            if household is None:
                try:
                    families.register_new(
                        year=year,
                        **person,
                        address=values["address"] or "",
                        phone=values["phone"] or "",
                    )
                except learning_services.DuplicateWarning as warning:
                    raise DomainError(_duplicate_message(warning), "head_name") from None
                return Outcome.NEW
            changes = {
                name: values[name]
                for name in ("address", "phone")
                if values[name] and values[name] != getattr(household, name)
            }
            if changes:
                families.update(household, changes)
            if families.is_registered(household, year):
                return Outcome.UPDATED if changes else Outcome.UNCHANGED
            families.register(household, year)
            return Outcome.NEW


class ClanImporter(Importer):
    """A clan of the commune (found by surname and branch, or created) and its registration."""

    def apply(self, values):
        self.check_commune(values)
        surname, branch = values["surname"], values["branch"] or ""
        representative = values["representative"] or ""
        year = values["year"]
        clan = (
            Clan.objects.filter(commune=self.unit, name_normalised=normalise(f"{surname} {branch}"))
            .order_by("pk")
            .first()
        )
        if clan is None:
            clan = learning_services.create_clan(
                by=self.by,
                commune=self.unit,
                surname=surname,
                branch=branch,
                representative=representative,
            )
            learning_services.register_subject(by=self.by, year=year, subject=clan)
            return Outcome.NEW
        if representative and normalise(representative) != normalise(clan.representative):
            raise DomainError(
                _(
                    "This clan is already in the portal with “%(name)s” as its representative; "
                    "an import does not change it. Write “%(name)s” or leave the cell empty."
                )
                % {"name": clan.representative or "-"},
                "representative",
            )
        if _registered(ModelKind.CLAN, "clan", clan, year):
            return Outcome.UNCHANGED
        learning_services.register_subject(by=self.by, year=year, subject=clan)
        return Outcome.NEW


class CommunityImporter(Importer):
    """A village of the commune registered as a learning community."""

    def apply(self, values):
        self.check_commune(values)
        village = self.context.village_by_pk[values["village"]]
        if _registered(ModelKind.COMMUNITY, "village", village, values["year"]):
            return Outcome.UNCHANGED
        learning_services.register_subject(by=self.by, year=values["year"], subject=village)
        return Outcome.NEW


class CenterReportImporter(Importer):
    """A centre's activity report of a year: filed, or corrected when the figures differ."""

    def apply(self, values):
        self.check_commune(values)
        center = self.context.center_by_pk[values["center"]]
        year = values["year"]
        figures = {name: values[name] or 0 for name in FIGURE_FIELDS}
        note = values["note"] or ""
        report = CenterYearReport.objects.filter(center=center, year=year).first()
        if report is None:
            center_services.file_year_report(center, by=self.by, year=year, note=note, **figures)
            return Outcome.NEW
        same = all(getattr(report, name) == value for name, value in figures.items())
        if same and (not note or note == report.note):
            return Outcome.UNCHANGED
        center_services.update_year_report(report, by=self.by, note=note or None, **figures)
        return Outcome.UPDATED


class CenterScoresImporter(Importer):
    """A centre's self-assessment of a year: saved, or corrected while not yet submitted."""

    def __init__(self, context):
        super().__init__(context)
        self.scheme = context.scheme
        self.criteria = list(self.scheme.criteria.order_by("number")) if self.scheme else []
        self._schemes = {}

    def _scheme_of(self, year):
        if year not in self._schemes:
            self._schemes[year] = center_services.scheme_for_year(year)
        return self._schemes[year]

    def apply(self, values):
        self.check_commune(values)
        center = self.context.center_by_pk[values["center"]]
        year = values["year"]
        points = {c.number: values[criterion_key(c.number)] for c in self.criteria}
        rating = CenterRating.objects.filter(center=center, year=year).first()
        scheme = rating.scheme if rating is not None else self._scheme_of(year)
        if scheme is None or self.scheme is None or scheme.pk != self.scheme.pk:
            raise DomainError(
                _(
                    "The rating of %(year)s uses another rating scheme than this file's "
                    "(%(scheme)s): enter it on the centre's page."
                )
                % {"year": year, "scheme": self.scheme.name if self.scheme else "-"},
                "year",
            )
        if rating is not None:
            saved = dict(rating.scores.values_list("criterion__number", "self_points"))
            if saved == points:
                return Outcome.UNCHANGED
        center_services.save_self_assessment(center, by=self.by, year=year, scores=points)
        return Outcome.NEW if rating is None else Outcome.UPDATED
