"""Forms of the learning-model staff pages: they read input; the services decide the rules.

Points, reasons, decision numbers and files are checked again by the services (a forged post
meets the same checks as the form), so the forms only shape what the user typed.
"""

from .criteria import CriteriaSetForm, CriterionForm, CriterionFormSet, criteria_of
from .registrations import (
    CarryOverForm,
    ClanForm,
    CommuneChoiceForm,
    CommunityForm,
    ExistingHouseholdForm,
    HouseholdForm,
    MemberForm,
    MemberFormSet,
    OrganisationForm,
    RegistrationFilterForm,
    StartForm,
    members_of,
)
from .workflow import (
    ApproveForm,
    BulkApproveForm,
    DecisionForm,
    EvidenceForm,
    NoteForm,
    ReasonForm,
    ReturnForm,
    ScoreForm,
    WithdrawForm,
)

__all__ = [
    "ApproveForm",
    "BulkApproveForm",
    "CarryOverForm",
    "ClanForm",
    "CommuneChoiceForm",
    "CommunityForm",
    "CriteriaSetForm",
    "CriterionForm",
    "CriterionFormSet",
    "DecisionForm",
    "EvidenceForm",
    "ExistingHouseholdForm",
    "HouseholdForm",
    "MemberForm",
    "MemberFormSet",
    "NoteForm",
    "OrganisationForm",
    "ReasonForm",
    "RegistrationFilterForm",
    "ReturnForm",
    "ScoreForm",
    "StartForm",
    "WithdrawForm",
    "criteria_of",
    "members_of",
]
