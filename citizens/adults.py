"""Who counts as an adult in a year, for the learning-citizen shares (QĐ 677/QĐ-TTg counts
"người lớn" in families and communities).

PROVISIONAL: the programme does not define the age; the portal counts members aged 18 or more
in the year (year − year of birth ≥ 18). A member whose year of birth is unknown counts when
the household lists them as its head, the head's spouse or a parent, as those are adults.
"""

from django.db.models import Q

from models_learning.models import Relationship

ADULT_AGE = 18
ADULT_RELATIONSHIPS = (Relationship.HEAD, Relationship.SPOUSE, Relationship.PARENT)


def adult_condition(year, prefix=""):
    """A Q on HouseholdMember (or on `prefix` + its fields) for the adults of `year`."""
    return Q(**{f"{prefix}birth_year__lte": year - ADULT_AGE}) | Q(
        **{f"{prefix}birth_year__isnull": True, f"{prefix}relationship__in": ADULT_RELATIONSHIPS}
    )


def is_adult(member, year):
    if member.birth_year is None:
        return member.relationship in ADULT_RELATIONSHIPS
    return year - member.birth_year >= ADULT_AGE
