"""The learning citizens among a registered household's adults, for the family title's
registration and scoring pages (models_learning.household_facts): criterion 2 of the family
sets, adults' learning, is where a reviewer wants it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from lib.text import normalise

from .selectors import household_adults

# Criteria about adults' learning, found by their title ("Học tập của người lớn").
ADULT_CRITERION_WORDS = "nguoi lon"


def citizens_fact(registration):
    adults = household_adults(registration.household, registration.year)
    if not adults:
        return None
    achieved = sum(1 for _member, result in adults if result is not None and result.achieved)
    criteria = [
        c.number
        for c in registration.criteria_set.criteria.all()
        if ADULT_CRITERION_WORDS in normalise(c.title)
    ]
    return {
        "text": _(
            "Learning citizens in %(year)s: %(achieved)s of the household's %(adults)s adults "
            "(%(share)s%%)."
        )
        % {
            "year": registration.year,
            "achieved": achieved,
            "adults": len(adults),
            "share": round(achieved * 100 / len(adults)),
        },
        "url": reverse("citizens:household", args=[registration.household_id])
        + f"?year={registration.year}",
        "criteria": criteria,
    }
