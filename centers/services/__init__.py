"""Every write to learning centres, their reports, rating schemes and ratings: one function each.

Each takes the actor as keyword-only `by` (None is the system: demo data, commands), is
atomic, locks the rows it changes (select_for_update, a no-op on SQLite), guards with one
predicate of `centers.workflow`, and leaves a trace: a rating's step goes through
`lib.workflow.transition` (the table of moves, save(update_fields=…), one CenterRatingEvent:
the shape registrations share), the rest writes an AuditEntry. A broken rule raises
`lib.errors.DomainError(message, field)` and changes nothing. Import from here:
`from centers import services`.

API
---
Registry (registry.py)
  create_center(*, by, commune, **fields)                                  -> LearningCenter
  update_center(center, *, by, **fields)                                   -> LearningCenter
      fields among CENTER_FIELDS
  carry_centers_over(*, by, day=None)                        -> (moved, left without successor)
  merge_centers(successor, predecessors, *, by, date, legal_basis="", note="") -> LearningCenter

Yearly reports (reports.py)
  file_year_report(center, *, by, year, note="", **figures)             -> CenterYearReport
  update_year_report(report, *, by, note=None, **figures)               -> CenterYearReport

Rating schemes (rating_schemes.py)
  scheme_for_year(year)                                                 -> RatingScheme | None
  create_scheme(*, by, key, criteria, bands, **fields)                  -> RatingScheme
  edit_scheme(scheme, *, by, criteria, bands, **fields)   -> RatingScheme (a new version if used)
  ensure_default_scheme()                                               -> RatingScheme

Ratings (ratings.py; statuses and the table of moves: centers.workflow)
  save_self_assessment(center, *, by, year, scores, note="")            -> CenterRating
  submit_rating(rating, *, by)                                          -> CenterRating
  rate_center(rating, *, by, scores, reasons=None, note="")             -> CenterRating
  return_rating(rating, *, by, reason)                                  -> CenterRating
  publish_rating(rating, *, by)                                         -> CenterRating
  add_evidence(rating, upload, *, by, description="")                   -> CenterEvidence
"""

from .rating_schemes import create_scheme, edit_scheme, ensure_default_scheme, scheme_for_year
from .ratings import (
    add_evidence,
    publish_rating,
    rate_center,
    return_rating,
    save_self_assessment,
    submit_rating,
)
from .registry import CENTER_FIELDS, carry_centers_over, create_center, merge_centers, update_center
from .reports import file_year_report, update_year_report

__all__ = [
    "CENTER_FIELDS",
    "add_evidence",
    "carry_centers_over",
    "create_center",
    "create_scheme",
    "edit_scheme",
    "ensure_default_scheme",
    "file_year_report",
    "merge_centers",
    "publish_rating",
    "rate_center",
    "return_rating",
    "save_self_assessment",
    "scheme_for_year",
    "submit_rating",
    "update_center",
    "update_year_report",
]
