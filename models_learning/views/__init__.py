"""Staff pages of the learning-models app (under /portal/): thin views over the selectors,
the workflow predicates and the services."""

from .actions import (
    approve,
    bulk_approve,
    decision,
    propose,
    reject,
    return_for_correction,
    revoke,
    score,
    withdraw,
)
from .criteria import criteria_create, criteria_edit, criteria_list
from .evidence import evidence_add, evidence_download, evidence_remove
from .registrations import carry_over, registration_create, registration_detail, registration_list

__all__ = [
    "approve",
    "bulk_approve",
    "carry_over",
    "criteria_create",
    "criteria_edit",
    "criteria_list",
    "decision",
    "evidence_add",
    "evidence_download",
    "evidence_remove",
    "propose",
    "registration_create",
    "registration_detail",
    "registration_list",
    "reject",
    "return_for_correction",
    "revoke",
    "score",
    "withdraw",
]
