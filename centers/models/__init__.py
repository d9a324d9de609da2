"""Community learning centres (TTHTCĐ): the registry, yearly reports, rating schemes, ratings.

One module per part: centres (the registry and its mergers), reports (yearly activity
reports), ratings (schemes, ratings, their scores, history and evidence). Import from here:
`from centers.models import LearningCenter`.
"""

from .centres import YEAR_MAX, YEAR_MIN, CenterChange, LearningCenter, Premises
from .ratings import (
    ALLOWED_EVIDENCE_TYPES,
    CenterEvidence,
    CenterRating,
    CenterRatingEvent,
    CenterScore,
    RatingBand,
    RatingCriterion,
    RatingScheme,
    RatingStatus,
    evidence_path,
)
from .reports import (
    CLASS_FIELDS,
    FIGURE_FIELDS,
    FUND_FIELDS,
    FUND_SOURCES,
    LEARNER_FIELDS,
    LEARNER_GROUPS,
    PARTICIPANT_FIELDS,
    TOPICS,
    CenterYearReport,
)

__all__ = [
    "ALLOWED_EVIDENCE_TYPES",
    "CLASS_FIELDS",
    "FIGURE_FIELDS",
    "FUND_FIELDS",
    "FUND_SOURCES",
    "LEARNER_FIELDS",
    "LEARNER_GROUPS",
    "PARTICIPANT_FIELDS",
    "TOPICS",
    "YEAR_MAX",
    "YEAR_MIN",
    "CenterChange",
    "CenterEvidence",
    "CenterRating",
    "CenterRatingEvent",
    "CenterScore",
    "CenterYearReport",
    "LearningCenter",
    "Premises",
    "RatingBand",
    "RatingCriterion",
    "RatingScheme",
    "RatingStatus",
    "evidence_path",
]
