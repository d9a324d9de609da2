"""Learning-model test data, made through the same services the portal uses."""

import itertools

import factory

from models_learning import services
from models_learning.models import Registration
from units.models import Village

_names = itertools.count(1)


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    name = factory.Sequence(lambda n: f"Bản Thử {n}")


def new_household(village, *, head_name=None, head_birth_year=1975, **fields):
    """Keyword arguments of create_household for a new household in `village`."""
    return {
        "village": village,
        "head_name": head_name or f"Lò Văn Thử {next(_names)}",
        "head_birth_year": head_birth_year,
        **fields,
    }


def register_family(officer, village, *, year=2026, **household):
    return services.register_household(
        by=officer,
        year=year,
        new_household=new_household(village, **household),
        confirm_duplicate=True,
    )


def full_marks(registration):
    return {c.pk: c.max_points for c in registration.criteria_set.criteria.all()}


def score(registration, officer, points=None):
    return services.save_scores(
        registration, by=officer, points=points if points is not None else full_marks(registration)
    )


def proposed_family(officer, village, *, year=2026, **household):
    """A family registered, scored with full marks and proposed by `officer`."""
    registration = register_family(officer, village, year=year, **household)
    score(registration, officer)
    return services.propose_registration(registration, by=officer)


def fresh(registration):
    return Registration.objects.get(pk=registration.pk)


def recognised_family(officer, approver, village, *, year=2026, **household):
    registration = proposed_family(officer, village, year=year, **household)
    return services.approve_registration(registration, by=approver)


def published_family(officer, approver, village, *, year=2026, **household):
    """A family recognised and its decision issued: what the public pages show."""
    registration = recognised_family(officer, approver, village, year=year, **household)
    services.issue_decision(registration, by=approver)
    return fresh(registration)


def in_status(status, *, officer, approver, village, year=2026, **household):
    """A family of `village` brought through the services to `status` (chain commune →
    province: `approver` decides at the province)."""
    from models_learning.workflow import Status

    if status == Status.REGISTERED:
        return register_family(officer, village, year=year, **household)
    if status == Status.SCORED:
        return score(register_family(officer, village, year=year, **household), officer)
    if status == Status.PROPOSED:
        return proposed_family(officer, village, year=year, **household)
    if status == Status.WITHDRAWN:
        registration = register_family(officer, village, year=year, **household)
        return services.withdraw_registration(registration, by=officer, reason="Chuyển đi")
    if status == Status.NOT_RECOGNIZED:
        registration = proposed_family(officer, village, year=year, **household)
        return services.reject_registration(registration, by=approver, reason="Thiếu minh chứng")
    registration = recognised_family(officer, approver, village, year=year, **household)
    if status == Status.REVOKED:
        services.revoke_recognition(registration, by=approver, reason="Kê khai sai")
        registration = fresh(registration)
    return registration


def bulk_registrations(count, *, unit, village, criteria_set, year=2026, status=None, **fields):
    """Many registrations at once for list and query-count tests (no workflow history)."""
    from lib.text import normalise
    from models_learning.models import Household
    from models_learning.workflow import Status

    households = Household.objects.bulk_create(
        Household(
            commune=unit,
            village=village,
            head_name=f"Quàng Văn Số {n}",
            head_name_normalised=normalise(f"Quàng Văn Số {n}"),
            head_birth_year=1960 + n % 30,
        )
        for n in range(count)
    )
    return Registration.objects.bulk_create(
        Registration(
            kind="family",
            year=year,
            unit=unit,
            household=household,
            criteria_set=criteria_set,
            status=status or Status.REGISTERED,
            subject_name=household.head_name,
            search_text=household.head_name_normalised,
            **fields,
        )
        for household in households
    )
