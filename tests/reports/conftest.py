import pytest

from models_learning.models import ModelKind
from models_learning.workflow import Status

from .builders import add_activity, add_centre, add_figures, add_files, add_rating


@pytest.fixture
def report_data(tree):
    """Files, figures and centres on both sides of the 2025 merger.

    2024: old Xã Nà Nhạn (under the historic district): families 7 recognised, 2 registered,
    1 revoked, 1 withdrawn (10 counted, 7 holding); clans 1 recognised, 1 scored; members 500
    of 2,000; its centre rated tốt, 300 participant-visits.
    2026: today's Xã Mường Phăng: families 1 at each step (registered, scored, proposed,
    recognised); Phường Mường Thanh: families 2 recognised, one community recognised; members
    800 of 3,000 and 1,000 of 4,000; Mường Phăng's centre khá (600 visits), Mường Thanh's
    trung bình, only self-assessed (not counted).
    """
    old, commune, sibling = tree["old_commune"], tree["commune"], tree["sibling"]
    add_files(old, 2024, recognized=7, registered=2, revoked=1, withdrawn=1)
    add_files(old, 2024, ModelKind.CLAN, recognized=1, scored=1)
    add_figures(old, 2024, 500, 2000)
    centre = add_centre(commune, "Trung tâm học tập cộng đồng xã Mường Phăng")
    add_rating(centre, 2024, "tot", commune=old)
    add_activity(centre, 2024, 300, commune=old)

    for status in (Status.REGISTERED, Status.SCORED, Status.PROPOSED, Status.RECOGNIZED):
        add_files(commune, 2026, **{status: 1})
    add_files(sibling, 2026, recognized=2)
    add_files(sibling, 2026, ModelKind.COMMUNITY, recognized=1)
    add_figures(commune, 2026, 800, 3000)
    add_figures(sibling, 2026, 1000, 4000)
    add_rating(centre, 2026, "kha")
    add_activity(centre, 2026, 600)
    sibling_centre = add_centre(sibling)
    add_rating(sibling_centre, 2026, "trung-binh", status="self_assessed")
    return tree
