"""Report data for the small tree (tests/factories.py): registrations in chosen statuses,
yearly figures, centres with ratings and activity reports, written straight to the tables
(the figures are what is tested here, not the workflow: that is tested in models_learning).

Plain functions, so that the URL table (which sees only the global fixtures) can use them.
"""

import datetime
import itertools
from decimal import Decimal

from centers import services as center_services
from centers.models import CenterRating, CenterYearReport, LearningCenter, RatingStatus
from lib.text import normalise
from models_learning import services as learning_services
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
from models_learning.workflow import Status
from units.models import UnitYearFigures, Village

_serial = itertools.count(1)


def criteria_set(kind, year):
    """A current set of `kind` for `year` (the seeded ones, loaded once)."""
    if not CriteriaSet.objects.exists():
        learning_services.load_criteria_sets()
    found = (
        CriteriaSet.objects.filter(
            kind=kind, is_current=True, valid_from_year__lte=year, valid_to_year__gte=year
        )
        .order_by("pk")
        .first()
    )
    # The report does not look at the set: outside the seeded years any set of the title does.
    return found or CriteriaSet.objects.filter(kind=kind).order_by("pk").first()


def _village(unit):
    village, _created = Village.objects.get_or_create(commune=unit, name=f"Bản {unit.pk}")
    return village


def _subject(kind, unit):
    n = next(_serial)
    if kind == ModelKind.FAMILY:
        name = f"Lò Văn Thử {n}"
        household = Household.objects.create(
            commune=unit, village=_village(unit), head_name=name, head_birth_year=1970
        )
        return {"household": household}, name
    if kind == ModelKind.CLAN:
        clan = Clan.objects.create(commune=unit, surname="Quàng", branch=f"chi {n}")
        return {"clan": clan}, str(clan)
    if kind == ModelKind.COMMUNITY:
        village = Village.objects.create(commune=unit, name=f"Bản Cộng Đồng {n}")
        return {"village": village}, village.name
    organisation = Organisation.objects.create(
        commune=unit, name=f"Trường Tiểu học số {n}", kind=OrganisationKind.SCHOOL
    )
    return {"organisation": organisation}, organisation.name


def add_files(unit, year, kind=ModelKind.FAMILY, **counts):
    """Registrations of `unit` in `year` for `kind`, `counts` per status: add_files(unit,
    2024, recognized=7, registered=2). Recognised files get a Recognition."""
    made = []
    for status, count in counts.items():
        for _index in range(count):
            subject, name = _subject(kind, unit)
            registration = Registration.objects.create(
                kind=kind,
                year=year,
                unit=unit,
                criteria_set=criteria_set(kind, year),
                status=status,
                awaiting_unit=unit.parent if status == Status.PROPOSED else None,
                total_score=Decimal("85.0") if status != Status.REGISTERED else None,
                subject_name=name,
                search_text=normalise(name),
                **subject,
            )
            if status in (Status.RECOGNIZED, Status.REVOKED):
                number = next(_serial)
                Recognition.objects.create(
                    registration=registration,
                    issuing_unit=unit,
                    decision_number=f"{number}/QĐ-UBND",
                    decision_date=datetime.date(year, 12, 10),
                    valid_from=datetime.date(year, 12, 10),
                    valid_to=datetime.date(year + 1, 12, 9),
                    certificate_code=f"DB-{year}-T{number:05d}",
                    revoked_at=None
                    if status == Status.RECOGNIZED
                    else datetime.datetime.now(datetime.UTC),
                )
            made.append(registration)
    return made


def add_figures(unit, year, members, population, households=None):
    return UnitYearFigures.objects.create(
        unit=unit,
        year=year,
        members=members,
        population=population,
        households=households if households is not None else population // 4,
        branches=5,
        boards=1,
    )


def add_centre(unit, name=None):
    center_services.ensure_default_scheme()
    return LearningCenter.objects.create(
        commune=unit,
        name=name or f"Trung tâm học tập cộng đồng {unit.name}",
    )


def add_rating(center, year, band_code, status=RatingStatus.PUBLISHED, commune=None):
    scheme = center_services.ensure_default_scheme()
    band = scheme.bands.get(code=band_code)
    return CenterRating.objects.create(
        center=center,
        year=year,
        scheme=scheme,
        commune=commune or center.commune,
        status=status,
        total=band.min_total,
        band=band,
    )


def add_activity(center, year, participants, commune=None):
    """A yearly activity report: `participants` split over two topics, 2 + 1 classes."""
    return CenterYearReport.objects.create(
        center=center,
        year=year,
        commune=commune or center.commune,
        literacy_classes=2,
        literacy_participants=participants - participants // 3,
        law_classes=1,
        law_participants=participants // 3,
    )
