"""Staff pages of the learning centres (under /portal/centers/): scoped fetch → form →
service → message → redirect.

Every action page answers the same way as the learning models' steps: another unit's row
is a 404; an action the user may not take now answers 200, its page showing the reason (the
predicate's, from `centers.workflow`) in place of the form or button, and nothing changes.
"""

from .centers import (
    carry_over,
    center_create,
    center_detail,
    center_edit,
    center_list,
    center_merge,
)
from .ratings import (
    evidence_add,
    evidence_download,
    rating_detail,
    rating_publish,
    rating_rate,
    rating_return,
    rating_self_assess,
    rating_submit,
)
from .reports import report_create, report_edit, report_totals
from .schemes import scheme_create, scheme_edit, scheme_list

__all__ = [
    "carry_over",
    "center_create",
    "center_detail",
    "center_edit",
    "center_list",
    "center_merge",
    "evidence_add",
    "evidence_download",
    "rating_detail",
    "rating_publish",
    "rating_rate",
    "rating_return",
    "rating_self_assess",
    "rating_submit",
    "report_create",
    "report_edit",
    "report_totals",
    "scheme_create",
    "scheme_edit",
    "scheme_list",
]
