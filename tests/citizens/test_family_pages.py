"""The family title's pages show the share of the household's adults who are learning
citizens, on the registration page and beside the adults' criterion of the scoring page."""

import pytest
from django.urls import reverse

from citizens import services
from models_learning import services as learning_services
from tests.citizens.builders import ALL_MET, THREE_MET, adults_of

pytestmark = pytest.mark.django_db


def test_the_registration_and_scoring_pages_show_the_household_s_learning_citizens(
    client, officer, village, citizen_criteria
):
    registration = learning_services.register_household(
        by=officer,
        year=2026,
        new_household={
            "village": village,
            "head_name": "Lò Văn Đôi",
            "head_birth_year": 1970,
            "members": [
                {"name": "Lò Văn Đôi", "birth_year": 1970, "relationship": "head"},
                {"name": "Lò Thị Hai", "birth_year": 1972, "relationship": "spouse"},
                {"name": "Lò Văn Ba", "birth_year": 2014, "relationship": "child"},
            ],
        },
        confirm_duplicate=True,
    )
    head, spouse = adults_of(registration.household)
    services.record_result(head, by=officer, year=2026, answers=ALL_MET, digital_skills=True)
    services.record_result(spouse, by=officer, year=2026, answers=THREE_MET, digital_skills=False)
    client.force_login(officer)
    expected = "Công dân học tập năm 2026: 1 trên 2 người lớn của hộ (50%)."
    page = client.get(reverse("models_learning:registration-detail", args=[registration.pk]))
    assert expected in page.content.decode()
    scoring = client.get(
        reverse("models_learning:registration-score", args=[registration.pk])
    ).content.decode()
    assert scoring.count('data-testid="household-fact"') == 1
    # beside criterion 2, adults' learning ("Học tập của người lớn")
    assert scoring.index("Học tập của người lớn") < scoring.index(expected)
    assert scoring.index(expected) < scoring.index("3. ")
