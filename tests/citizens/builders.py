"""Learning-citizen test data, through the portal's own services (plain functions, so that
the URL table, which sees only the global fixtures, can use them)."""

from citizens.models import StaffMember
from models_learning import services as learning_services
from models_learning.models import CriteriaSet, Household, HouseholdMember, Organisation
from units.models import Village

ALL_MET = {str(n): True for n in range(1, 6)}
FOUR_MET = {**ALL_MET, "5": False}
THREE_MET = {**ALL_MET, "4": False, "5": False}


def citizen_sets():
    if not CriteriaSet.objects.filter(kind="citizen").exists():
        learning_services.load_criteria_sets()


def village_of(commune, name="Bản Co Muông"):
    village, _created = Village.objects.get_or_create(commune=commune, name=name)
    return village


def household_of(village, *, head="Lò Văn Đôi", adults=3, children=1):
    """A household with `adults` adults (the head, born 1970, then others) and children born
    2014; written straight to the tables (subjects are tested in models_learning)."""
    household = Household.objects.create(
        commune=village.commune, village=village, head_name=head, head_birth_year=1970
    )
    people = [HouseholdMember(name=head, birth_year=1970, relationship="head")]
    relations = ["spouse", "child", "parent", "sibling", "other"]
    for n in range(adults - 1):
        people.append(
            HouseholdMember(
                name=f"{head} người {n + 2}",
                birth_year=1972 + n,
                relationship=relations[n % len(relations)],
            )
        )
    for n in range(children):
        people.append(
            HouseholdMember(name=f"{head} con {n + 1}", birth_year=2014, relationship="child")
        )
    for position, person in enumerate(people, start=1):
        person.household = household
        person.position = position
    HouseholdMember.objects.bulk_create(people)
    return household


def adults_of(household):
    return list(household.members.filter(birth_year__lt=2000).order_by("position"))


def organisation_of(commune, name="UBND xã Mường Phăng", kind="agency"):
    """An organisation of `commune`, written straight to the table (subjects are tested in
    models_learning)."""
    organisation, _created = Organisation.objects.get_or_create(
        commune=commune, name=name, defaults={"kind": kind}
    )
    return organisation


def staff_of(organisation, count=3, *, first_year=2022, last_year=None, prefix="Cán bộ"):
    """`count` staff members of `organisation`, on the staff from `first_year`."""
    return [
        StaffMember.objects.create(
            organisation=organisation,
            name=f"{prefix} {n + 1}",
            birth_year=1980 + n,
            position="Công chức",
            first_year=first_year,
            last_year=last_year,
        )
        for n in range(count)
    ]
