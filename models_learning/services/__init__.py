"""Every write of the learning-models app: one function per change, named verb_object.

Each takes the actor as keyword-only `by`, runs in one transaction, locks the registration
row (select_for_update, a no-op on SQLite), checks one predicate of `workflow`, takes its step
through `lib.workflow.transition` (the table of moves, `save(update_fields=…)`, one
`RegistrationEvent`: the shape centre ratings share), and raises
`lib.errors.DomainError(message, field)` with a translated message when a rule is broken
(then nothing has changed). Import from here: `from models_learning import services`.

API (what views, commands, the demo and tests call)
---------------------------------------------------
Subjects
  create_household(*, by, village, head_name, head_birth_year=None, address="", phone="",
                   members=())                                              -> Household
      members: [{"name", "birth_year", "relationship", "schooling"}, …] (Relationship, Schooling)
  update_household(household, *, by, members=None, **fields)                 -> Household
      fields among village, head_name, head_birth_year, address, phone
  create_clan(*, by, commune, surname, branch="", representative="", communes=()) -> Clan
  create_organisation(*, by, commune, name, kind)                           -> Organisation
  find_duplicates(*, head_name, head_birth_year, village, year, lookup=None) -> [DuplicateMatch]
      DuplicateMatch(reason, household, registration|None).message; reasons: DuplicateReason

Registration
  register_household(*, by, year, household=None, new_household=None, criteria_set=None,
                     confirm_duplicate=False)                              -> Registration
      new_household: create_household kwargs. Likely duplicates raise DuplicateWarning (a
      DomainError with .matches) unless confirm_duplicate=True.
  register_subject(*, by, year, subject, criteria_set=None)                -> Registration
      subject: Clan | units.Village (community) | Organisation | Household
  carry_over_registrations(*, by, unit, year, registration_ids=None)       -> [ItemResult]
      last year's files of `unit` and of the communes it was formed from; per item
      ItemResult(source_id, ok, message, registration)
  criteria_set_for(kind, year, unit)                                       -> CriteriaSet
  FamilyChunk(*, by, unit, people)  households registered many at once (an import's chunk):
      reads what the rules need in a few queries; existing / register_new / update /
      is_registered / register decide one row (inside `row()`) with the services' rules;
      take_plan() -> FamilyPlan; write(plans) bulk-writes them, events included

Workflow (statuses and the table of moves: models_learning.workflow)
  save_scores(registration, *, by, points, notes=None)                     -> Registration
      points/notes: {criterion or id: value}; errors name the field "criterion_<id>"
  propose_registration(registration, *, by, note="")                       -> Registration
  approve_registration(registration, *, by, note="", decision_number=None,
                       decision_date=None)                                 -> Registration
  return_registration(registration, *, by, reason, criterion_notes=None)   -> Registration
  reject_registration(registration, *, by, reason)                         -> Registration
  withdraw_registration(registration, *, by, reason="")                    -> Registration
  bulk_approve(registration_ids, *, by, decision_date=None, one_decision=False) -> [ItemResult]

Recognition
  revoke_recognition(recognition_or_registration, *, by, reason)           -> Recognition
  update_decision(recognition_or_registration, *, by, decision_number, decision_date)
                                                                           -> Recognition
  issue_decision(recognition_or_registration, *, by)                       -> Recognition

Evidence
  attach_evidence(registration, *, by, file, description="")               -> Evidence
  remove_evidence(evidence, *, by)                                         -> Registration

Criteria sets (province staff: workflow.can_manage_criteria)
  create_criteria_set(*, by, code, kind, criteria, name, valid_from_year, valid_to_year,
                      max_score, pass_mark, legal_basis="", note="", half_points=False,
                      bands=(), approval_levels=[...], validity_years=1, provisional=True)
      criteria: [{"number", "title", "guidance", "sub_items", "max_points", "required",
                  "min_points", "provisional"}, …], adding up to max_score
  update_criteria_set(criteria_set, *, by, criteria=None, **fields)        -> CriteriaSet
      returns a NEW version when the set is frozen (used by a registration)
  load_criteria_sets(*, by=None)                                           -> int created

Reads live in models_learning.selectors (registrations_visible_to, registration_page_queryset,
inbox_for, search_registrations, score_sheet, evidence_visible_to, recognitions_visible_to);
who may do what in models_learning.workflow (can_* / check_* / allowed_actions); score
arithmetic in models_learning.scoring (assess, assess_registration).
"""

from ._common import ItemResult
from .carry_over import carry_over_registrations
from .criteria import create_criteria_set, criteria_set_for, load_criteria_sets, update_criteria_set
from .evidence import attach_evidence, remove_evidence
from .families import FamilyChunk, FamilyPlan
from .recognitions import issue_decision, revoke_recognition, update_decision
from .registrations import register_household, register_subject
from .steps import (
    approve_registration,
    bulk_approve,
    pass_on_from_ended_levels,
    propose_registration,
    reject_registration,
    return_registration,
    save_scores,
    withdraw_registration,
)
from .subjects import (
    DuplicateMatch,
    DuplicateReason,
    DuplicateWarning,
    create_clan,
    create_household,
    create_organisation,
    find_duplicates,
    update_household,
)

__all__ = [
    "DuplicateMatch",
    "DuplicateReason",
    "DuplicateWarning",
    "FamilyChunk",
    "FamilyPlan",
    "ItemResult",
    "approve_registration",
    "attach_evidence",
    "bulk_approve",
    "carry_over_registrations",
    "create_clan",
    "create_criteria_set",
    "create_household",
    "create_organisation",
    "criteria_set_for",
    "find_duplicates",
    "issue_decision",
    "load_criteria_sets",
    "pass_on_from_ended_levels",
    "propose_registration",
    "register_household",
    "register_subject",
    "reject_registration",
    "remove_evidence",
    "return_registration",
    "revoke_recognition",
    "save_scores",
    "update_criteria_set",
    "update_decision",
    "update_household",
    "withdraw_registration",
]
