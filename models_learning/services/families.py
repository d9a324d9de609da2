"""Registering many households at once (a chunk of an import), with the rules of the forms.

`register_household` and `update_household` take one household a call: a dozen queries and a
savepoint each. A `FamilyChunk` reads in a few queries what the rules need for a whole chunk of
rows (the households of its heads by name and year of birth, in any village; the
registrations the rules look at, by those households' ids: already registered, likely
duplicates; the criteria set of each year), decides each row in
Python with the SAME rule functions the services call (workflow.check_register,
check_new_household, DuplicateLookup.matches, new_household, change_household,
registration_year, check_criteria_set, already_registered, new_registration,
registration_started), and writes the chunk at once (lib.bulk_insert: COPY on PostgreSQL,
bulk_create elsewhere; bulk_update for changed households), the history events included.

A row is decided inside `row()`: a broken rule raises DomainError and leaves nothing of the row
behind (neither its plan nor its changes to a household another row may use). Rows decided in
one chunk see each other, as rows written one after another would: a household entered by one
row is found by a later row of another year.
"""

import contextlib
import functools
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from lib.bulk_insert import insert_many
from lib.errors import DomainError
from lib.text import normalise

from .. import workflow
from ..models import Household, ModelKind, Registration, RegistrationEvent
from ._common import guard
from .registrations import (
    already_registered,
    check_criteria_set,
    check_new_household,
    freeze_criteria_sets,
    new_registration,
    registration_started,
    registration_year,
)
from .subjects import DuplicateLookup, change_household, new_household

UPDATED_FIELDS = ("address", "phone")


@dataclass
class FamilyPlan:
    """What one row writes: a new or changed household, and perhaps its registration."""

    household: Household
    new: bool = False
    changed: bool = False
    registration: Registration | None = None
    event: RegistrationEvent | None = None


def _person(head_name, head_birth_year, village):
    return (normalise(head_name), head_birth_year, village.pk)


class FamilyChunk:
    """The households of one chunk of rows, all of the commune `unit`, registered by `by`.

    `people` are the rows' (head_name, head_birth_year, village, year). Reading costs at most
    two queries (the households of the rows' heads, anywhere; the registrations the rules look
    at, by the households' ids), plus two per year the chunk registers in (the criteria set,
    read once per year): a number that does not grow with the rows.
    """

    def __init__(self, *, by, unit, people, writing=True):
        self.by = by
        self.unit = unit
        # A check decides and writes nothing: the rows to write are not even built.
        self.writing = writing
        people = list(people)
        villages = {village.pk: village for _name, _birth, village, _year in people}
        for village in villages.values():
            if village.commune_id == unit.pk:
                village.commune = unit  # the rules read it; no query per village
        names = {normalise(name) for name, _birth, _village, _year in people} - {""}
        births = {birth for _name, birth, _village, _year in people}
        years = {year for _name, _birth, _village, year in people if isinstance(year, int)}
        # Everything below is read by the households' ids, never by joining registrations to
        # households by name: a join the planner may start from the year's registrations, a
        # scan that grows with the table (with the import's own rows among them).
        households, elsewhere = self._read_households(names, births, villages)
        self.households = {}
        for household in households:
            household.village = villages[household.village_id]
            if household.commune_id == unit.pk:
                household.commune = unit
            self.households.setdefault(
                (household.head_name_normalised, household.head_birth_year, household.village_id),
                household,
            )
        registrations = self._read_registrations(households, elsewhere, years)
        self.registered = {
            (registration.household_id, registration.year) for registration in registrations
        }
        self.duplicates = DuplicateLookup(registrations, households)
        self.criteria_sets = {}
        self.entered = {}  # households entered by rows of this chunk, by person
        self.last_plan = None
        self._plan = None
        self._undo = None

    @staticmethod
    def _read_households(names, births, villages):
        """The households of the chunk's heads (name and year of birth): those of the chunk's
        villages, and the ids of the others (only the duplicate rule looks at them, when they
        were registered the year before: they are made objects then)."""
        if not names:
            return [], {}
        born = Q(head_birth_year__in=sorted(birth for birth in births if birth is not None))
        if None in births:
            born |= Q(head_birth_year__isnull=True)
        fields = [field.attname for field in Household._meta.concrete_fields]
        rows = (
            Household.objects.filter(born, head_name_normalised__in=sorted(names))
            .order_by("pk")
            .values_list(*fields)
        )
        pk_at, village_at = fields.index(Household._meta.pk.attname), fields.index("village_id")
        db = rows.db
        households, elsewhere = [], {}
        for row in rows:
            if row[village_at] in villages:
                households.append(Household.from_db(db, fields, row))
            else:
                elsewhere[row[pk_at]] = functools.partial(Household.from_db, db, fields, row)
        return households, elsewhere

    @staticmethod
    def _read_registrations(households, elsewhere, years):
        """The family registrations the rules look at: of the households of the chunk's
        villages in the chunk's years (registered already; likely duplicates in the same
        village), of those and the others (`elsewhere`) in the years before (registered last
        year in another commune)."""
        if not (households or elsewhere) or not years:
            return []
        ids = [household.pk for household in households]
        last_years = [year - 1 for year in years]
        # By the id column itself: a relation's lookup prepares each of thousands of values.
        wanted = Q(household_id__in=[*ids, *elsewhere], year__in=last_years)
        if ids:
            wanted |= Q(household_id__in=ids, year__in=sorted(years))
        # Only what the rules and their messages read (a file imported again finds a
        # registration for most of its rows).
        registrations = list(
            Registration.objects.filter(wanted, kind=ModelKind.FAMILY)
            .select_related("unit")
            .only("household_id", "year", "kind", "unit__name")
        )
        by_pk = {household.pk: household for household in households}
        for registration in registrations:
            pk = registration.household_id
            if pk not in by_pk:
                by_pk[pk] = elsewhere[pk]()
            registration.household = by_pk[pk]
        return registrations

    # --- one row ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def row(self):
        """Decide one row: its plan (`take_plan`) is kept when the block ends; when a rule
        raises DomainError, it is dropped with every change the row made."""
        self._plan, self._undo, self.last_plan = None, [], None
        try:
            yield
        except DomainError:
            for undo in reversed(self._undo):
                undo()
            raise
        else:
            self.last_plan = self._plan
        finally:
            self._plan, self._undo = None, None

    def take_plan(self):
        """The plan of the row just decided (None if it writes nothing)."""
        plan, self.last_plan = self.last_plan, None
        return plan

    def _plan_for(self, household):
        if self._plan is None:
            self._plan = FamilyPlan(household=household)
        return self._plan

    # --- the rules, as register_household and update_household apply them ------------------

    def existing(self, *, village, head_name, head_birth_year):
        """The household the row names: entered by an earlier row of the chunk, or found."""
        key = _person(head_name, head_birth_year, village)
        return self.entered.get(key) or self.households.get(key)

    def register_new(self, *, year, village, head_name, head_birth_year, address, phone):
        """register_household(new_household=…): the household and its registration."""
        fields = {
            "village": village,
            "head_name": head_name,
            "head_birth_year": head_birth_year,
            "address": address,
            "phone": phone,
        }
        unit, year = check_new_household(
            by=self.by, year=year, new_household=fields, lookup=self.duplicates
        )
        household = new_household(**fields)
        plan = self._plan_for(household)
        plan.new = True
        self._register(plan, unit, year)
        key = _person(head_name, head_birth_year, village)
        self.entered[key] = household
        self._undo.append(lambda: self.entered.pop(key, None))

    def update(self, household, changes):
        """update_household(household, **changes), for the address and the phone."""
        guard(workflow.check_register(self.by, household.commune))
        before = {name: getattr(household, name) for name in changes}
        self._undo.append(lambda: [setattr(household, n, v) for n, v in before.items()])
        if change_household(household, changes):
            self._plan_for(household).changed = True

    def is_registered(self, household, year):
        return (self._key(household), year) in self.registered

    def register(self, household, year):
        """register_household(household=…): a household already entered, for a new year."""
        guard(workflow.check_register(self.by, household.commune))
        self._register(self._plan_for(household), household.commune, year)

    def _key(self, household):
        return household.pk if household.pk is not None else id(household)

    def _criteria_set(self, kind, year, unit):
        """check_criteria_set(None, …), read once per year of the chunk (its answer or its
        refusal)."""
        if (kind, year) not in self.criteria_sets:
            try:
                self.criteria_sets[kind, year] = check_criteria_set(None, kind, year, unit)
            except DomainError as error:
                self.criteria_sets[kind, year] = error
        answer = self.criteria_sets[kind, year]
        if isinstance(answer, DomainError):
            raise answer
        return answer

    def _register(self, plan, unit, year):
        """add_registration: the year, the criteria set, once per subject and year."""
        kind, household = ModelKind.FAMILY, plan.household
        year = registration_year(unit, year)
        criteria_set = self._criteria_set(kind, year, unit)
        key = (self._key(household), year)
        if key in self.registered:
            raise already_registered(household, kind, year)
        if self.writing:
            plan.registration = new_registration(
                by=self.by, kind=kind, year=year, unit=unit, subject=household,
                criteria_set=criteria_set,
            )  # fmt: skip
            plan.event = registration_started(plan.registration, by=self.by)
        self.registered.add(key)
        self._undo.append(lambda: self.registered.discard(key))

    # --- writing ----------------------------------------------------------------------------

    def write(self, plans):
        """Write `plans` (rows decided by this chunk): new households, changed ones, the
        registrations and their first events; a few statements, whatever their number.
        Run it inside a transaction (or a savepoint): an IntegrityError (someone registered
        the same household meanwhile) leaves the plans as they were, to write again without
        the row that failed."""
        try:
            self._write(plans)
        except Exception:
            # Rolled back: what bulk_create numbered does not exist.
            self._unsaved(plans)
            raise

    def _unsaved(self, plans):
        for plan in plans:
            for obj in (plan.household if plan.new else None, plan.registration, plan.event):
                if obj is not None:
                    obj.pk = None
                    obj._state.adding = True

    def _write(self, plans):
        self._unsaved(plans)
        insert_many(Household, [plan.household for plan in plans if plan.new])
        changed = [plan.household for plan in plans if plan.changed and not plan.new]
        if changed:
            now = timezone.now()
            for household in changed:
                household.updated_at = now  # bulk_update skips auto_now
            Household.objects.bulk_update(changed, [*UPDATED_FIELDS, "updated_at"])
        registered = [plan for plan in plans if plan.registration is not None]
        for plan in registered:
            plan.registration.household = plan.household
        insert_many(Registration, [plan.registration for plan in registered])
        freeze_criteria_sets(
            list({plan.registration.criteria_set_id: plan.registration.criteria_set
                  for plan in registered}.values())
        )  # fmt: skip
        for plan in registered:
            plan.event.registration = plan.registration
        insert_many(RegistrationEvent, [plan.event for plan in registered], ids=False)

    def refusal(self, plan):
        """What to tell about a row whose plan could not be written (the constraint held)."""
        if plan.registration is not None:
            return already_registered(plan.household, ModelKind.FAMILY, plan.registration.year)
        return None
