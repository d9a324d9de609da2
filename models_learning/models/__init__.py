"""Learning models: criteria sets, subjects, registrations, scores, history and recognitions.

Glossary: Registration = hồ sơ đăng ký, Recognition = công nhận, CriteriaSet = bộ tiêu chí,
Household = hộ gia đình, Clan = dòng họ, the community is a `units.Village` (thôn/bản),
Organisation = đơn vị (cơ quan, trường học, doanh nghiệp). Every write goes through
`models_learning.services`; the status moves are in `models_learning.workflow`.

One module per part: criteria (sets and criteria), subjects (households, clans,
organisations), registrations (files, scores, history, evidence), recognitions. Import from
here: `from models_learning.models import Registration`.
"""

from .criteria import (
    SUBJECT_FIELDS,
    CriteriaKind,
    CriteriaSet,
    Criterion,
    ModelKind,
    default_approval_levels,
)
from .recognitions import DecisionCounter, Recognition
from .registrations import PUBLIC_STATUSES, Evidence, Registration, RegistrationEvent, Score
from .subjects import (
    Clan,
    Household,
    HouseholdMember,
    Organisation,
    OrganisationKind,
    Relationship,
    Schooling,
)
from .tallies import RegistrationTally

__all__ = [
    "PUBLIC_STATUSES",
    "SUBJECT_FIELDS",
    "Clan",
    "CriteriaKind",
    "CriteriaSet",
    "Criterion",
    "DecisionCounter",
    "Evidence",
    "Household",
    "HouseholdMember",
    "ModelKind",
    "Organisation",
    "OrganisationKind",
    "Recognition",
    "Registration",
    "RegistrationEvent",
    "RegistrationTally",
    "Relationship",
    "Schooling",
    "Score",
    "default_approval_levels",
]
