"""`python manage.py generate_bench_data --registrations N`: synthetic provinces, communes,
registrations, yearly figures and centres for measuring the yearly report and the dashboard at
scale (see the README, "Yearly report at scale").

Default: 3 provinces ("Tỉnh Thử nghiệm 1…3", official codes BN1…BN3) holding 3,300 communes,
each with 3 villages; every subject registers every year for 10 years (this year and the nine
before), 1,000,000 registrations in all (about 94% families, then one clan, one village
community and one organisation per commune and year; exactly N when N is a multiple of the
years); past years closed (recognised, not
recognised, withdrawn, revoked), this year at every step of the cycle. Per commune and year:
the members' figures, one learning centre with its rating and activity report.

Units are made with correct materialised paths (`bulk_create`, then the path from the new
id); everything else with `bulk_create` in batches, one transaction per batch, straight to the
tables (no events, scores or recognitions): scratch databases only. It refuses to run twice on
the same database.
"""

import random
import time
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from centers import services as center_services
from centers.models import CenterRating, CenterYearReport, LearningCenter, RatingStatus
from lib.dates import this_year
from lib.text import normalise
from models_learning import services
from models_learning.models import (
    Clan,
    CriteriaSet,
    Household,
    ModelKind,
    Organisation,
    OrganisationKind,
    Registration,
)
from models_learning.workflow import Status
from units import services as unit_services
from units.models import Level, Unit, UnitYearFigures, Village, VillageKind, unplaced_path

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
        subjects = self._subjects(units, families, extra)
        made = self._registrations(subjects)
        self._figures_and_centres(units)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
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
        organisation; each registers every year."""
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
            by_commune.setdefault(village.commune_id, []).append(village)
        subjects = []  # (commune, kind, subject field, subject, name)
        pending = []
        for index, unit in enumerate(units):
            count = families + (1 if index < extra else 0)
            for n in range(count):
                village = by_commune[unit.pk][n % VILLAGES_PER_COMMUNE]
                name = f"{self.rng.choice(SURNAMES)} {self.rng.choice(GIVEN)} {n}"
                pending.append(
                    (
                        unit,
                        Household(
                            commune=unit,
                            village=village,
                            head_name=name,
                            head_name_normalised=normalise(name),
                            head_birth_year=self.rng.randint(1950, 1995),
                        ),
                    )
                )
            if len(pending) >= self.batch_size or index == len(units) - 1:
                with transaction.atomic():
                    households = Household.objects.bulk_create(
                        [h for _u, h in pending], batch_size=self.batch_size
                    )
                for (commune, _h), household in zip(pending, households, strict=True):
                    subjects.append(
                        (commune, ModelKind.FAMILY, "household", household, household.head_name)
                    )
                pending = []
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
        for unit, clan, organisation in zip(units, clans, organisations, strict=True):
            subjects.append((unit, ModelKind.CLAN, "clan", clan, f"Dòng họ Lò (chi {unit.pk})"))
            village = by_commune[unit.pk][0]
            subjects.append((unit, ModelKind.COMMUNITY, "village", village, village.name))
            subjects.append(
                (unit, ModelKind.ORGANISATION, "organisation", organisation, organisation.name)
            )
        self.stdout.write(f"  {len(subjects):,} subjects")
        return subjects

    # --- registrations --------------------------------------------------------------------

    def _status(self, year):
        table = CURRENT if year == self.this_year else PAST
        return self.rng.choices([s for s, _w in table], [w for _s, w in table])[0]

    def _registrations(self, subjects):
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
        made, batch = 0, []
        for year in self.years:
            for commune, kind, field, subject, name in subjects:
                status = self._status(year)
                batch.append(
                    Registration(
                        kind=kind,
                        year=year,
                        unit=commune,
                        criteria_set=sets[kind, year],
                        status=status,
                        awaiting_unit_id=commune.parent_id if status == Status.PROPOSED else None,
                        total_score=None
                        if status == Status.REGISTERED
                        else Decimal(self.rng.randint(140, 200)) / 2,
                        subject_name=name,
                        search_text=normalise(name),
                        **{field: subject},
                    )
                )
                if len(batch) >= self.batch_size:
                    made += self._write(batch)
                    batch = []
                    if made % (10 * self.batch_size) == 0:
                        self.stdout.write(f"  {made:,} registrations")
        return made + self._write(batch)

    def _write(self, batch):
        with transaction.atomic():
            Registration.objects.bulk_create(batch, batch_size=self.batch_size)
        return len(batch)

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
