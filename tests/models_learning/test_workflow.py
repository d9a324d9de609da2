"""The workflow table and its rules, without the database."""

import pytest

from models_learning.workflow import (
    FINAL,
    MOVES,
    OPEN,
    Action,
    Status,
    allows,
    check_approval_levels,
    target,
)


def test_nothing_leaves_a_final_status():
    for action, (sources, _target) in MOVES.items():
        assert not sources & FINAL, action


def test_withdraw_is_possible_from_every_open_status_only():
    assert {s for s in Status if allows(Action.WITHDRAW, s)} == OPEN


def test_approve_return_and_reject_start_only_from_proposed():
    for action in (Action.APPROVE, Action.RECOGNIZE, Action.RETURN, Action.REJECT):
        assert {s for s in Status if allows(action, s)} == {Status.PROPOSED}


def test_a_return_sends_the_file_back_to_scored():
    assert target(Action.RETURN, Status.PROPOSED) == Status.SCORED


def test_record_only_actions_keep_the_status():
    assert target(Action.ATTACH_EVIDENCE, Status.SCORED) == Status.SCORED
    assert target(Action.EDIT_DECISION, Status.RECOGNIZED) == Status.RECOGNIZED


@pytest.mark.parametrize(
    ("levels", "ok"),
    [
        (["commune", "province"], True),
        (["commune", "district", "province"], True),
        (["commune", "district"], True),
        (["commune"], False),
        (["province", "commune"], False),
        (["commune", "province", "district"], False),
        (["commune", "commune", "province"], False),
        (["commune", "branch"], False),
        ("commune,province", False),
    ],
)
def test_an_approval_chain_starts_at_the_commune_and_climbs(levels, ok):
    assert (check_approval_levels(levels) is None) is ok
