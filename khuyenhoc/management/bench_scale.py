"""`python manage.py generate_bench_data --registrations N`: synthetic provinces, communes,
registrations, yearly figures and centres for measuring the yearly report and the dashboard at
scale (see the README, "Yearly report at scale").

Default: 3 provinces ("Tỉnh Thử nghiệm 1…3", official codes BN1…BN3) holding 3,300 communes,
each with 3 villages; every subject registers every year for 10 years (this year and the nine
before), 1,000,000 registrations in all (about 94% families, then one clan, one village
community and one organisation per commune and year; exactly N when N is a multiple of the
years); past years closed (recognised, not recognised, withdrawn, revoked), this year at every
step of the cycle. Per commune and year: the members' figures, one learning centre with its
rating and activity report.

Units are made with correct materialised paths (`bulk_create`, then the path from the new
id); everything else with `bulk_create` in batches, one transaction per batch, straight to the
tables (no events, scores or recognitions): scratch databases only; never twice on a database.
"""

import datetime
import random
import time
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from centers import services as center_services
from centers.models import CenterRating, CenterYearReport, LearningCenter, RatingStatus
from lib.dates import local_today, this_year
from lib.text import normalise
from models_learning import services, tally
from models_learning.models import (
    Clan,
    CriteriaSet,
    Household,
    ModelKind,
    Organisation,
    OrganisationKind,
    Recognition,
    Registration,
)
from models_learning.services.recognitions import validity
from models_learning.workflow import Status
from units import services as unit_services
from units.models import Level, Unit, UnitYearFigures, Village, VillageKind, unplaced_path

from .bench_copy import Writer, restore_indexes, set_aside_indexes
from .bench_recognitions import certificate_code

CODE_PREFIX = "BN"
VILLAGES_PER_COMMUNE = 3
# Besides families, each commune registers one clan, one village community, one organisation.
OTHER_SUBJECTS = 3
SURNAMES = ["Nguyễn", "Lò", "Quàng", "Giàng", "Sùng", "Cà", "Lường", "Đặng", "Thào", "Vừ"]
GIVEN = ["Văn An", "Thị Hoa", "A Páo", "Văn Ơn", "Thị Ún", "Seo Chứ", "Đức Minh", "Thị Mỷ"]
# Past years: the cycle is closed. This year: files at every step.
PAST = [
    (Status.RECOGNIZED, 72),
    (Status.NOT_RECOGNIZED, 16),
    (Status.WITHDRAWN, 8),
    (Status.REVOKED, 4),
]
CURRENT = [
    (Status.REGISTERED, 30),
    (Status.SCORED, 25),
    (Status.PROPOSED, 20),
    (Status.RECOGNIZED, 20),
    (Status.WITHDRAWN, 5),
]
BANDS = [("tot", 25), ("kha", 45), ("trung-binh", 25), ("chua-dat", 5)]
FAMILY_NAMES = [(f"{s} {g}", normalise(f"{s} {g}")) for s in SURNAMES for g in GIVEN]
# From this many registrations, on PostgreSQL, the secondary indexes of the big tables are set
# aside while loading and built once at the end.
DEFER_INDEXES_FROM = 50_000
BIG_TABLES = (
    "models_learning_household",
    "models_learning_registration",
    "models_learning_recognition",
)
HOUSEHOLD_COLUMNS = (
    "id",
    "commune_id",
    "village_id",
    "head_name",
    "head_name_normalised",
    "head_birth_year",
    "address",
    "phone",
    "created_at",
    "updated_at",
)
REGISTRATION_COLUMNS = (
    "id",
    "kind",
    "year",
    "unit_id",
    "household_id",
    "clan_id",
    "village_id",
    "organisation_id",
    "criteria_set_id",
    "status",
    "current_level",
    "awaiting_unit_id",
    "is_returned",
    "total_score",
    "subject_name",
    "search_text",
    "entered_by_id",
    "created_at",
    "updated_at",
)
RECOGNITION_COLUMNS = (
    "id",
    "registration_id",
    "issuing_unit_id",
    "decision_number",
    "decision_date",
    "valid_from",
    "valid_to",
    "certificate_code",
    "issued_at",
    "revoked_at",
    "revoke_reason",
    "created_at",
)


def family_name(commune_pk, n):
    """The name of household `n` of a commune, and its search text: the same every time."""
    name, normalised = FAMILY_NAMES[(commune_pk * 31 + n * 7) % len(FAMILY_NAMES)]
    return f"{name} {n}", f"{normalised} {n}"


class ScaleData:
    """Writes the data; `generate_bench_data --registrations` runs it with its own output."""

    def __init__(self, stdout, style):
        self.stdout = stdout
        self.style = style

    def run(self, *, registrations, communes, provinces, years, batch_size, seed):
        if not (1 <= provinces <= communes) or years < 1 or batch_size < 1:
            raise CommandError("Need 1 ≤ provinces ≤ communes, years ≥ 1, batch size ≥ 1.")
        per_year = registrations // (communes * years)
        if per_year <= OTHER_SUBJECTS:
            raise CommandError(
                f"{registrations:,} registrations over {communes:,} communes and {years} years "
                f"leave fewer than {OTHER_SUBJECTS + 1} per commune and year."
            )
        if Unit.objects.filter(admin_code__startswith=CODE_PREFIX, level=Level.PROVINCE).exists():
            raise CommandError("The bench data is already here: use a fresh scratch database.")
        started = time.monotonic()
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.now = timezone.now()
        self.today = local_today()
        self.writer = Writer()
        last = this_year()
        self.years = list(range(last - years + 1, last + 1))
        self.this_year = last
        if not CriteriaSet.objects.exists():
            services.load_criteria_sets()
        self.scheme = center_services.ensure_default_scheme()
        self.bands = {band.code: band for band in self.scheme.bands.all()}

        units = self._units(provinces, communes)
        # Families per commune and year; the first `extra` communes get one more, so that the
        # total is exactly `registrations`.
        families = per_year - OTHER_SUBJECTS
        extra = (registrations - communes * years * per_year) // years
        deferred = []
        big = registrations >= DEFER_INDEXES_FROM and connection.vendor == "postgresql"
        if big:
            deferred = set_aside_indexes(BIG_TABLES, self.stdout)
            # Consistent rows by construction: the foreign keys' triggers (a look-up per key per
            # row) and the tally's are skipped, as a restore does (the tally is recounted
            # after); a scratch session's commits skip the WAL flush.
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica; SET synchronous_commit = 0")
        try:
            subjects = self._subjects(units, families, extra)
            made = self._registrations(subjects)
        finally:
            if big:
                with connection.cursor() as cursor:
                    cursor.execute("RESET session_replication_role; RESET synchronous_commit")
                tally.rebuild()
            restore_indexes(deferred, self.stdout)
        self._figures_and_centres(units)
        if connection.vendor == "postgresql":
            # VACUUM sets the visibility map (index-only scans); in a transaction only ANALYZE.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{provinces} provinces, {len(units):,} communes, {made:,} registrations "
                f"({self.years[0]}–{self.years[-1]}), {len(units) * len(self.years):,} centre "
                f"ratings and reports in {seconds:.0f} s."
            )
        )

    # --- units ----------------------------------------------------------------------------

    def _units(self, provinces, communes):
        """The provinces (through the service) and their communes (bulk, then their paths)."""
        made = []
        for number in range(1, provinces + 1):
            province = unit_services.create_unit(
                by=None,
                name=f"Tỉnh Thử nghiệm {number}",
                level=Level.PROVINCE,
                admin_code=f"{CODE_PREFIX}{number}",
                admin_code_is_local=True,
            )
            count = communes // provinces + (1 if number <= communes % provinces else 0)
            with transaction.atomic():
                rows = Unit.objects.bulk_create(
                    [
                        Unit(
                            name=f"Xã Thử {number}-{n:04d}",
                            level=Level.COMMUNE,
                            division_type="Xã",
                            admin_code=f"{CODE_PREFIX}{number}-{n:04d}",
                            admin_code_is_local=True,
                            parent=province,
                            path=unplaced_path(province),
                            depth=province.depth + 1,
                        )
                        for n in range(1, count + 1)
                    ],
                    batch_size=self.batch_size,
                )
                for unit in rows:
                    unit.path = f"{province.path}{unit.pk}/"
                Unit.objects.bulk_update(rows, ["path"], batch_size=self.batch_size)
            made.extend(rows)
        self.stdout.write(f"  {provinces} provinces, {len(made):,} communes")
        return made

    # --- subjects -------------------------------------------------------------------------

    def _subjects(self, units, families, extra):
        """Per commune: its households, one clan, one village (the community), one
        organisation; each registers every year. Returns per commune (unit, first household
        id, households, clan id, village id, organisation id): the households' names are made
        again from their number (`family_name`), so that millions of them are never held."""
        villages = Village.objects.bulk_create(
            [
                Village(commune=unit, name=f"Bản Thử {n}", kind=VillageKind.BAN)
                for unit in units
                for n in range(1, VILLAGES_PER_COMMUNE + 1)
            ],
            batch_size=self.batch_size,
        )
        by_commune = {}
        for village in villages:
            by_commune.setdefault(village.commune_id, []).append(village.pk)
        counts = [families + (1 if index < extra else 0) for index in range(len(units))]
        firsts, rows, made = [], [], 0
        all_ids, position = self.writer.reserve(Household, sum(counts)), 0
        for unit, count in zip(units, counts, strict=True):
            ids = all_ids[position : position + count]
            position += count
            firsts.append(ids[0])
            for n, pk in enumerate(ids):
                name, normalised = family_name(unit.pk, n)
                rows.append(
                    (
                        pk,
                        unit.pk,
                        by_commune[unit.pk][n % VILLAGES_PER_COMMUNE],
                        name,
                        normalised,
                        1950 + (pk * 7) % 46,
                        "",
                        "",
                        self.now,
                        self.now,
                    )
                )
            if len(rows) >= self.batch_size:
                made += self._flush(Household, HOUSEHOLD_COLUMNS, rows)
        made += self._flush(Household, HOUSEHOLD_COLUMNS, rows)
        clans = Clan.objects.bulk_create(
            [
                Clan(
                    commune=unit,
                    surname="Lò",
                    branch=f"chi {unit.pk}",
                    name_normalised=normalise(f"Lò chi {unit.pk}"),
                )
                for unit in units
            ],
            batch_size=self.batch_size,
        )
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    commune=unit,
                    name=f"Trường Tiểu học {unit.name}",
                    name_normalised=normalise(f"Trường Tiểu học {unit.name}"),
                    kind=OrganisationKind.SCHOOL,
                )
                for unit in units
            ],
            batch_size=self.batch_size,
        )
        self.clan_names = {
            unit.pk: (f"Dòng họ Lò (chi {unit.pk})", normalise(f"Dòng họ Lò (chi {unit.pk})"))
            for unit in units
        }
        self.stdout.write(f"  {made:,} households, {len(units):,} clans, villages, organisations")
        return [
            (unit, first, count, clan.pk, by_commune[unit.pk][0], organisation)
            for unit, first, count, clan, organisation in zip(
                units, firsts, counts, clans, organisations, strict=True
            )
        ]

    def _flush(self, model, columns, rows):
        made = len(rows)
        with transaction.atomic():
            self.writer.write_tuples(model, columns, rows)
        rows.clear()
        return made

    # --- registrations --------------------------------------------------------------------

    def _registrations(self, subjects):
        """Year by year (as files come in), commune by commune; the recognised and revoked
        files get their recognition (decision, certificate code), as the services give them."""
        sets = {}
        for kind in ModelKind:
            for year in self.years:
                sets[kind, year] = (
                    CriteriaSet.objects.filter(
                        kind=kind,
                        is_current=True,
                        valid_from_year__lte=year,
                        valid_to_year__gte=year,
                    )
                    .order_by("-valid_from_year", "pk")
                    .first()
                    or CriteriaSet.objects.filter(kind=kind).order_by("pk").first()
                )
        made, recognised, rows, recognitions = 0, 0, [], []
        for year in self.years:
            table = CURRENT if year == self.this_year else PAST
            statuses = [status.value for status, _w in table]
            weights = [weight for _s, weight in table]
            decision_date = datetime.date(year, 12, 15) if year < self.this_year else self.today
            valid_from, valid_to = validity(decision_date, 1)
            issued = timezone.make_aware(datetime.datetime.combine(decision_date, datetime.time(9)))
            # One reservation of ids per year: a round trip per commune was most of the time.
            year_ids = self.writer.reserve(
                Registration, sum(s[2] for s in subjects) + OTHER_SUBJECTS * len(subjects)
            )
            position = 0
            for unit, first, count, clan, village, organisation in subjects:
                drawn = self.rng.choices(statuses, weights, k=count + OTHER_SUBJECTS)
                ids = year_ids[position : position + count + OTHER_SUBJECTS]
                position += len(ids)
                files = [
                    (ModelKind.FAMILY, (first + n, None, None, None), *family_name(unit.pk, n))
                    for n in range(count)
                ]
                files += [
                    (ModelKind.CLAN, (None, clan, None, None), *self.clan_names[unit.pk]),
                    (ModelKind.COMMUNITY, (None, None, village, None), "Bản Thử 1", "ban thu 1"),
                    (
                        ModelKind.ORGANISATION,
                        (None, None, None, organisation.pk),
                        organisation.name,
                        organisation.name_normalised,
                    ),
                ]
                for pk, status, (kind, subject, name, search) in zip(
                    ids, drawn, files, strict=True
                ):
                    criteria_set = sets[kind, year]
                    rows.append(
                        (
                            pk,
                            kind.value,
                            year,
                            unit.pk,
                            *subject,
                            criteria_set.pk,
                            status,
                            0,
                            unit.parent_id if status == Status.PROPOSED else None,
                            False,
                            None if status == Status.REGISTERED else 70 + pk % 31,
                            name,
                            search,
                            None,
                            self.now,
                            self.now,
                        )
                    )
                    if status in (Status.RECOGNIZED, Status.REVOKED):
                        recognised += 1
                        revoked = status == Status.REVOKED
                        recognitions.append(
                            (
                                pk,
                                unit.parent_id,
                                f"{unit.pk}/QĐ-HKH",
                                decision_date,
                                valid_from,
                                valid_to,
                                certificate_code(pk, year),
                                issued,
                                issued if revoked else None,
                                "Dữ liệu thử (bench)" if revoked else "",
                                self.now,
                            )
                        )
                if len(rows) >= self.batch_size:
                    written = self._write(rows, recognitions)
                    made += written
                    if made // (10 * self.batch_size) != (made - written) // (10 * self.batch_size):
                        self.stdout.write(f"  {made:,} registrations")
        made += self._write(rows, recognitions)
        self.stdout.write(f"  {made:,} registrations, {recognised:,} recognitions")
        return made

    def _write(self, rows, recognitions):
        made = len(rows)
        ids = self.writer.reserve(Recognition, len(recognitions))
        with transaction.atomic():
            self.writer.write_tuples(Registration, REGISTRATION_COLUMNS, rows)
            self.writer.write_tuples(
                Recognition,
                RECOGNITION_COLUMNS,
                [(pk, *row) for pk, row in zip(ids, recognitions, strict=True)],
            )
        rows.clear()
        recognitions.clear()
        return made

    # --- figures and centres --------------------------------------------------------------

    def _figures_and_centres(self, units):
        centres = LearningCenter.objects.bulk_create(
            [
                LearningCenter(commune=unit, name=f"Trung tâm học tập cộng đồng {unit.name}")
                for unit in units
            ],
            batch_size=self.batch_size,
        )
        codes = [code for code, _w in BANDS]
        weights = [w for _code, w in BANDS]
        figures, ratings, reports = [], [], []
        for unit, centre in zip(units, centres, strict=True):
            population = self.rng.randint(4_000, 20_000)
            for year in self.years:
                members = int(population * self.rng.uniform(0.2, 0.3))
                figures.append(
                    UnitYearFigures(
                        unit=unit,
                        year=year,
                        members=members,
                        population=population,
                        households=population // 4,
                        branches=self.rng.randint(5, 15),
                        boards=self.rng.randint(0, 5),
                    )
                )
                band = self.bands[self.rng.choices(codes, weights)[0]]
                ratings.append(
                    CenterRating(
                        center=centre,
                        year=year,
                        scheme=self.scheme,
                        commune=unit,
                        status=RatingStatus.PUBLISHED,
                        total=band.min_total + Decimal(self.rng.randint(0, 9)),
                        band=band,
                    )
                )
                participants = self.rng.randint(300, 3_000)
                reports.append(
                    CenterYearReport(
                        center=centre,
                        year=year,
                        commune=unit,
                        literacy_classes=2,
                        literacy_participants=participants // 3,
                        law_classes=3,
                        law_participants=participants - participants // 3,
                    )
                )
        with transaction.atomic():
            UnitYearFigures.objects.bulk_create(figures, batch_size=self.batch_size)
            CenterRating.objects.bulk_create(ratings, batch_size=self.batch_size)
            CenterYearReport.objects.bulk_create(reports, batch_size=self.batch_size)
        self.stdout.write(f"  {len(centres):,} centres, {len(ratings):,} ratings and reports")
