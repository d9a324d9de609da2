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
