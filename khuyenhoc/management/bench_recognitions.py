"""`python manage.py generate_bench_data --recognitions N`: recognitions over the portal
province's units, for the public search (README, "Public search at a million recognitions").

Realistic but invented: Vietnamese names with every diacritic (Kinh, Thái and Hmong names as
found in Điện Biên), spread over the communes valid in each year (2014–2019: 130, 2020–2025:
129, today: 45) and over the years, mostly families, some clans, village communities and
organisations, about 1% revoked. Written with bulk_create in batches, one transaction per
batch, straight to the tables (no events, no scores): never run it on a real database.
Needs the unit tree (`load_units`); loads the criteria sets if there are none. Certificate
codes start with "BN-" and never collide with real ones or with an earlier run's.
"""

import datetime
import random
import time
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from lib.dates import local_today
from lib.text import normalise
from models_learning import services
from models_learning.models import (
    SUBJECT_FIELDS,
    Clan,
    CriteriaSet,
    Household,
    ModelKind,
    Organisation,
    Recognition,
    Registration,
)
from models_learning.services.recognitions import CODE_ALPHABET, CODE_LENGTH, validity
from models_learning.workflow import Status
from units.models import Level, Unit, Village, VillageKind
from units.selectors import portal_province

from .bench_copy import Writer, restore_indexes, set_aside_indexes
from .bench_names import ORGANISATION_NAMES, VILLAGE_NAMES, NameMaker

CODE_PREFIX = "BN"
# A multiplier prime to the alphabet's size spreads consecutive numbers over the code space:
# n -> n * MULTIPLIER mod 31**6 is one-to-one, so codes are unique without looking them up.
CODE_SPACE = len(CODE_ALPHABET) ** CODE_LENGTH
MULTIPLIER = 387_420_489

FIRST_YEAR = 2014
KIND_WEIGHTS = [
    (ModelKind.FAMILY, 940),
    (ModelKind.CLAN, 30),
    (ModelKind.COMMUNITY, 20),
    (ModelKind.ORGANISATION, 10),
]
# On PostgreSQL, from this many rows the secondary indexes are dropped and rebuilt at the end.
DEFER_INDEXES_FROM = 50_000
BIG_TABLES = (
    "models_learning_household",
    "models_learning_clan",
    "models_learning_organisation",
    "models_learning_registration",
    "models_learning_recognition",
)
KINDS = [kind for kind, _weight in KIND_WEIGHTS]
KIND_WEIGHT_VALUES = [weight for _kind, weight in KIND_WEIGHTS]
VILLAGES_PER_COMMUNE = 12


# (surname, weight, naming style): Kinh and Thái names take Văn/Thị middle names, Hmong
# names take A/Seo for men (Giàng A Páo) and Thị for women.
def certificate_code(number, year):
    value = (number * MULTIPLIER) % CODE_SPACE
    letters = []
    for _position in range(CODE_LENGTH):
        value, digit = divmod(value, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[digit])
    return f"{CODE_PREFIX}-{year}-{''.join(letters)}"


class RecognitionData:
    """Writes the recognitions; `run` once per command."""

    def __init__(self, stdout, style):
        self.stdout, self.style = stdout, style

    def run(self, recognitions, seed, batch_size, *, first_year, last_year, keep_indexes):
        if recognitions < 1:
            raise CommandError("--recognitions must be at least 1.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        today = local_today()
        last_year = last_year or today.year
        if not 1990 <= first_year <= last_year <= 2100:
            raise CommandError("The years must run forwards between 1990 and 2100.")
        province = portal_province()
        if province is None:
            raise CommandError("No units: run `python manage.py load_units` first.")
        if not CriteriaSet.objects.exists():
            services.load_criteria_sets()
        started = time.monotonic()
        self.rng = random.Random(seed)
        self.names = NameMaker(self.rng)
        self.today = today
        self.province = province
        self._prepare_years(first_year, last_year)
        self.code_offset = Recognition.objects.filter(
            certificate_code__startswith=f"{CODE_PREFIX}-"
        ).count()
        self.decision_numbers = {}
        self.organisation_number = Organisation.objects.filter(name__endswith="(BN)").count()
        self.writer = Writer()
        self.used_communities = set(
            Registration.objects.filter(kind=ModelKind.COMMUNITY).values_list("village_id", "year")
        )
        deferred = []
        if (
            connection.vendor == "postgresql"
            and recognitions >= DEFER_INDEXES_FROM
            and not keep_indexes
        ):
            deferred = set_aside_indexes(BIG_TABLES, self.stdout)
        totals = dict.fromkeys(ModelKind, 0)
        done = 0
        try:
            while done < recognitions:
                size = min(batch_size, recognitions - done)
                for kind, count in self._batch(size, done).items():
                    totals[kind] += count
                done += size
                if recognitions >= 10 * batch_size and done % (10 * batch_size) == 0:
                    self.stdout.write(f"  {done:,} / {recognitions:,}")
        finally:
            restore_indexes(deferred, self.stdout)
        if connection.vendor == "postgresql":
            # VACUUM sets the visibility map, so that the ordered indexes answer from the index
            # alone (autovacuum would do it later); inside a transaction (tests) only ANALYZE.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for table in BIG_TABLES:
                    cursor.execute(f"{command} {table}")
        seconds = time.monotonic() - started
        summary = ", ".join(f"{kind.label}: {count:,}" for kind, count in totals.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {recognitions:,} recognitions in {seconds:.1f} s ({summary})."
            )
        )

    # --- setup ----------------------------------------------------------------------------

    def _prepare_years(self, first_year, last_year):
        """Per year: the communes valid at its end, their villages, and the criteria set per
        title (the set fits the chain of the time: with a district before July 2025)."""
        self.years = list(range(first_year, last_year + 1))
        # More files in recent years, as the movement grew.
        self.year_weights = [1 + (year - first_year) * 0.15 for year in self.years]
        self.communes = {}
        for year in self.years:
            day = datetime.date(year, 12, 31)
            communes = list(
                Unit.objects.valid_on(day)
                .filter(level=Level.COMMUNE, path__startswith=self.province.path)
                .order_by("pk")
            )
            if not communes:
                raise CommandError(f"No commune was valid at the end of {year}: run load_units.")
            self.communes[year] = communes
        all_communes = {c.pk: c for communes in self.communes.values() for c in communes}
        self.villages = self._villages(all_communes)
        self.sets = {}
        for year in self.years:
            sample = self.communes[year][0]
            for kind in ModelKind:
                self.sets[kind, year] = services.criteria_set_for(kind, year, sample)

    @transaction.atomic
    def _villages(self, communes):
        """{commune id: [Village]}: each commune gets VILLAGES_PER_COMMUNE villages at least."""
        existing = {}
        for village in Village.objects.filter(commune_id__in=list(communes)).order_by("pk"):
            existing.setdefault(village.commune_id, []).append(village)
        missing = []
        for commune_id in communes:
            have = existing.get(commune_id, [])
            names = {v.name for v in have}
            need = VILLAGES_PER_COMMUNE - len(have)
            for name in VILLAGE_NAMES:
                if need <= 0:
                    break
                if name not in names:
                    missing.append(Village(commune_id=commune_id, name=name, kind=VillageKind.BAN))
                    need -= 1
        Village.objects.bulk_create(missing, batch_size=1000)
        result = {}
        for village in Village.objects.filter(commune_id__in=list(communes)).order_by("pk"):
            result.setdefault(village.commune_id, []).append(village)
        return result

    # --- one batch ------------------------------------------------------------------------

    def _kind(self):
        return self.rng.choices(KINDS, KIND_WEIGHT_VALUES)[0]

    def _subject(self, kind, year, commune, now):
        """(model, row, display name, search text) of a new subject of `kind` in `commune`
        (model None: an existing village, the community), or None when every village of the
        commune already has its community file for the year.

        Name and search text are built as services.registrations.subject_texts builds them
        (a test holds the two together).
        """
        villages = self.villages[commune.pk]
        if kind == ModelKind.FAMILY:
            village = self.rng.choice(villages)
            name = self.names.person()
            birth_year = self.rng.randint(1945, 1998)
            row = {
                "commune_id": commune.pk,
                "village_id": village.pk,
                "head_name": name,
                "head_name_normalised": normalise(name),
                "head_birth_year": birth_year,
                "address": "",
                "phone": f"09{self.rng.randint(0, 99_999_999):08d}"
                if self.rng.random() < 0.5
                else "",
                "created_at": now,
                "updated_at": now,
            }
            return Household, row, name, normalise(f"{name} {village.name} {birth_year}")
        if kind == ModelKind.CLAN:
            surname = self.names.surname()
            branch = f"chi {self.rng.choice(villages).name}"
            representative = self.names.person()
            row = {
                "commune_id": commune.pk,
                "surname": surname,
                "branch": branch,
                "representative": representative,
                "name_normalised": normalise(f"{surname} {branch}"),
                "created_at": now,
            }
            name = f"{surname} ({branch})"
            return Clan, row, name, normalise(f"{name} {representative}")
        if kind == ModelKind.COMMUNITY:
            free = [v for v in villages if (v.pk, year) not in self.used_communities]
            if not free:
                return None
            village = self.rng.choice(free)
            self.used_communities.add((village.pk, year))
            return None, {"id": village.pk}, village.name, normalise(village.name)
        self.organisation_number += 1
        label, org_kind = self.rng.choice(ORGANISATION_NAMES)
        name = f"{label} số {self.organisation_number} – {commune.name} (BN)"
        row = {
            "commune_id": commune.pk,
            "name": name,
            "kind": org_kind.value,
            "name_normalised": normalise(name),
            "created_at": now,
        }
        return Organisation, row, name, normalise(name)

    def _decision(self, year):
        number = self.decision_numbers.get(year, 0) + 1
        self.decision_numbers[year] = number
        if year >= self.today.year:
            day = self.rng.randint(1, max(1, min(28, self.today.day - 1)))
            month = self.today.month if self.today.day > 1 else max(1, self.today.month - 1)
            decision_date = datetime.date(year, month, day)
        else:
            decision_date = datetime.date(year, 12, self.rng.randint(1, 28))
        return f"{number}/QĐ-HKH", decision_date

    @transaction.atomic
    def _batch(self, size, done):
        now = timezone.now()
        plan = []
        for _index in range(size):
            year = self.rng.choices(self.years, self.year_weights)[0]
            commune = self.rng.choice(self.communes[year])
            kind = self._kind()
            subject = self._subject(kind, year, commune, now)
            if subject is None:  # no free village left for a community: a family instead
                kind = ModelKind.FAMILY
                subject = self._subject(kind, year, commune, now)
            plan.append((kind, year, commune, *subject))
        for model in (Household, Clan, Organisation):
            rows = [row for _k, _y, _c, m, row, _n, _s in plan if m is model]
            for row, pk in zip(rows, self.writer.reserve(model, len(rows)), strict=True):
                row["id"] = pk
            self.writer.write(model, rows)
        registration_ids = self.writer.reserve(Registration, size)
        recognition_ids = self.writer.reserve(Recognition, size)
        registrations, recognitions = [], []
        counts = dict.fromkeys(ModelKind, 0)
        for index, (kind, year, commune, _model, subject, name, search) in enumerate(plan):
            counts[kind] += 1
            criteria_set = self.sets[kind, year]
            revoked = self.rng.random() < 0.01
            registration_id = registration_ids[index]
            registrations.append(
                {
                    "id": registration_id,
                    "kind": kind.value,
                    "year": year,
                    "unit_id": commune.pk,
                    **{f"{f}_id": None for f in SUBJECT_FIELDS.values()},
                    f"{SUBJECT_FIELDS[kind]}_id": subject["id"],
                    "criteria_set_id": criteria_set.pk,
                    "status": (Status.REVOKED if revoked else Status.RECOGNIZED).value,
                    "current_level": len(criteria_set.approval_levels) - 1,
                    "awaiting_unit_id": None,
                    "is_returned": False,
                    "total_score": Decimal(self.rng.randint(160, 200)) / 2,
                    "subject_name": name[:255],
                    "search_text": search[:500],
                    "entered_by_id": None,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            decision_number, decision_date = self._decision(year)
            valid_from, valid_to = validity(decision_date, criteria_set.validity_years)
            issued = timezone.make_aware(
                datetime.datetime.combine(decision_date, datetime.time(9, 0))
            )
            recognitions.append(
                {
                    "id": recognition_ids[index],
                    "registration_id": registration_id,
                    "issuing_unit_id": self.province.pk,
                    "decision_number": decision_number,
                    "decision_date": decision_date,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "certificate_code": certificate_code(self.code_offset + done + index, year),
                    "issued_at": issued,
                    "revoked_at": min(issued + datetime.timedelta(days=30), now)
                    if revoked
                    else None,
                    "revoke_reason": "Dữ liệu thử (bench)" if revoked else "",
                    "created_at": now,
                }
            )
        self.writer.write(Registration, registrations)
        self.writer.write(Recognition, recognitions)
        return counts
