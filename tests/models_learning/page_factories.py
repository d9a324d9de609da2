"""Data for the staff-page tests, made through the services (on top of factories.py)."""

import io

from models_learning import services
from models_learning.workflow import Status
from units.models import Village

from .factories import fresh, proposed_family, register_family, score

# The smallest valid PNG: 1×1 pixel.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def village_of(commune, name="Bản Co Muông"):
    return Village.objects.get_or_create(commune=commune, name=name)[0]


def family_in(status, *, officer, approver, village, year=2026, **household):
    """A family of `village` brought through the services to `status`."""
    if status == Status.REGISTERED:
        return register_family(officer, village, year=year, **household)
    if status == Status.SCORED:
        return fresh(score(register_family(officer, village, year=year, **household), officer))
    registration = proposed_family(officer, village, year=year, **household)
    if status == Status.PROPOSED:
        return fresh(registration)
    if status == Status.NOT_RECOGNIZED:
        services.reject_registration(registration, by=approver, reason="Thiếu minh chứng")
        return fresh(registration)
    services.approve_registration(registration, by=approver)
    if status == Status.REVOKED:
        services.revoke_recognition(registration, by=approver, reason="Kê khai sai")
    return fresh(registration)


def png_file(name="bien-ban.png"):
    handle = io.BytesIO(PNG)
    handle.name = name
    return handle


def attach_png(registration, officer, name="bien-ban.png"):
    return services.attach_evidence(registration, by=officer, file=png_file(name))


SURNAMES = ("Lò", "Quàng", "Cà", "Lường", "Nguyễn", "Đỗ", "Vì", "Tòng")
GIVEN = ("Văn Piềng", "Thị Xuân", "Văn Đức", "Thị Hương", "Văn Thắng", "Văn An")


def many_families(count, *, village, year=2026, awaiting=None):
    """`count` registered families of `village` in every open status, made in bulk (lists
    and the inbox are measured with hundreds of rows; the services make one at a time)."""
    from lib.text import normalise
    from models_learning.models import Household, ModelKind, Registration
    from models_learning.services import criteria_set_for

    commune = village.commune
    criteria_set = criteria_set_for(ModelKind.FAMILY, year, commune)
    households = Household.objects.bulk_create(
        Household(
            commune=commune,
            village=village,
            head_name=f"{SURNAMES[i % len(SURNAMES)]} {GIVEN[i % len(GIVEN)]} {i}",
            head_name_normalised=normalise(
                f"{SURNAMES[i % len(SURNAMES)]} {GIVEN[i % len(GIVEN)]} {i}"
            ),
            head_birth_year=1960 + i % 40,
        )
        for i in range(count)
    )
    statuses = (Status.REGISTERED, Status.SCORED, Status.PROPOSED, Status.RECOGNIZED)
    rows = []
    for i, household in enumerate(households):
        status = statuses[i % len(statuses)]
        rows.append(
            Registration(
                kind=ModelKind.FAMILY,
                year=year,
                unit=commune,
                household=household,
                criteria_set=criteria_set,
                status=status,
                current_level=1 if status == Status.PROPOSED else 0,
                awaiting_unit=awaiting if status == Status.PROPOSED else None,
                is_returned=status == Status.SCORED and i % 8 == 1,
                total_score=90 if status in (Status.PROPOSED, Status.RECOGNIZED) else None,
                subject_name=household.head_name,
                search_text=normalise(f"{household.head_name} {village.name}"),
            )
        )
    return Registration.objects.bulk_create(rows)
