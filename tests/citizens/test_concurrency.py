"""Two people saving one person's result at the same moment end with one row (the database's
constraint), the later values kept, and no error for either."""

import pytest
from django.db import connection

from citizens import services
from citizens.models import CitizenResult
from tests.citizens.builders import ALL_MET, THREE_MET, adults_of
from tests.races import second_writer_outcome


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_officers_saving_one_person_at_once_leave_one_result(household, officer):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    head = adults_of(household)[0]
    outcome = second_writer_outcome(
        lambda: services.record_result(
            head, by=officer, year=2026, answers=ALL_MET, digital_skills=True
        ),
        lambda: services.record_result(
            head, by=officer, year=2026, answers=THREE_MET, digital_skills=False
        ),
    )
    assert outcome[0] == "ok"
    result = CitizenResult.objects.get()
    assert (result.achieved, result.digital_skills) == (False, False)
