"""The public pages show the learning citizens' counts and shares, never a person."""

import pytest

from citizens.models import CitizenResult, SelfAssessment
from tests.reports.builders import add_files

pytestmark = pytest.mark.django_db


def _names():
    results = CitizenResult.objects.select_related("member", "staff_member")
    return {(r.member or r.staff_member).name for r in results} | set(
        SelfAssessment.objects.values_list("name", flat=True)
    )


def test_stats_show_the_commune_s_share_against_the_target_and_no_name(client, citizen_data):
    add_files(citizen_data["old_commune"], 2024, recognized=1)  # /stats/ offers 2024
    page = client.get("/stats/", {"year": 2024, "view": "today"}).content.decode()
    assert 'data-testid="stats-citizens"' in page
    assert "3 trên 11 người lớn" in page  # 3 of 11 adults
    assert "33,3% (40%)" in page  # Xã Mường Phăng: 3 of 9
    assert "Xã Mường Phăng" in page
    for name in _names():
        assert name not in page


def test_the_home_page_shows_the_newest_year_s_share_and_no_name(client, citizen_data):
    page = client.get("/").content.decode()
    assert 'data-testid="home-citizens"' in page
    assert "2026" in page and "2 trên 11 người lớn" in page
    for name in _names():
        assert name not in page


def test_the_dashboard_shows_the_share_of_the_officer_s_commune(client, citizen_data, officer):
    client.force_login(officer)
    page = client.get("/portal/").content.decode()
    assert 'data-testid="dashboard-citizens"' in page


def test_a_new_result_drops_the_cached_figures_of_its_year(
    client, citizen_data, django_capture_on_commit_callbacks
):
    from django.db import connection

    from citizens import services
    from tests.citizens.builders import ALL_MET, adults_of, household_of, village_of
    from tests.factories import UserFactory

    # The fixture's rows "commit": their pending bumps run, as at the end of their request (a
    # bump is scheduled once per year and transaction, and the test's transaction never ends).
    for _savepoints, callback, _robust in connection.run_on_commit:
        callback()
    connection.run_on_commit = []
    assert "2 trên 11 người lớn" in client.get("/").content.decode()  # cached now
    member = adults_of(
        household_of(village_of(citizen_data["commune"], "Bản Mới"), head="Lò Văn Năm", adults=1)
    )[0]
    admin = UserFactory(username="root2", is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_result(member, by=admin, year=2026, answers=ALL_MET, digital_skills=True)
    assert "3 trên 12 người lớn" in client.get("/").content.decode()


def test_stats_offer_a_year_that_has_only_learning_citizen_results(client, citizen_data):
    page = client.get("/stats/", {"year": 2024, "view": "as_was"})
    assert page.status_code == 200
    assert 'data-testid="stats-citizens"' in page.content.decode()


def test_the_home_page_shows_the_staff_share_beside_the_adults_and_no_name(client, citizen_data):
    from citizens import staff as staff_services
    from tests.citizens.builders import ALL_MET, organisation_of, staff_of
    from tests.factories import UserFactory

    school = organisation_of(citizen_data["commune"], "Trường Tiểu học Mường Phăng", kind="school")
    teachers = staff_of(school, 4, prefix="Giáo viên")
    admin = UserFactory(username="root-home", is_superuser=True)
    staff_services.record_staff_result(
        teachers[0], by=admin, year=2026, answers=ALL_MET, digital_skills=True
    )
    page = client.get("/").content.decode()
    assert 'data-testid="home-citizens-staff"' in page
    assert "1 trên 4 nhân sự các đơn vị đạt Công dân học tập: 25,0%" in page
    assert "2 trên 11 người lớn" in page
    for name in [*_names(), *(t.name for t in teachers)]:
        assert name not in page
