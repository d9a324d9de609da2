"""A count past what the report's column holds is an error next to its field, never a 500
(PostgreSQL: "integer out of range"; SQLite: past 64 bits), on the new and the edit form and
through the service that imports call."""

import pytest
from django.urls import reverse

from centers import services
from centers.models import FIGURE_FIELDS, CenterYearReport
from tests.helpers import refused

from .builders import REPORT_FIGURES, this_year

TOO_MANY = 2**31
TOO_MUCH_MONEY = 2**63


def report_data(**overrides):
    return dict.fromkeys(FIGURE_FIELDS, 0) | REPORT_FIGURES | {"year": this_year() - 1} | overrides


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("law_participants", TOO_MANY),
        ("literacy_classes", TOO_MANY),
        ("learners_women", 10**40),
        ("funds_state_budget", TOO_MUCH_MONEY),
    ],
)
def test_the_new_report_form_refuses_a_number_past_its_column(
    client, officer, center, field, value
):
    client.force_login(officer)
    response = client.post(
        reverse("centers:report-create", args=[center.pk]), report_data(**{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CenterYearReport.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("law_participants", TOO_MANY), ("funds_other", TOO_MUCH_MONEY)]
)
def test_the_edit_form_refuses_a_number_past_its_column_and_keeps_the_report(
    client, officer, report, field, value
):
    client.force_login(officer)
    data = report_data(**{field: value})
    data.pop("year")
    response = client.post(reverse("centers:report-edit", args=[report.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    report.refresh_from_db()
    assert report.law_participants == REPORT_FIGURES["law_participants"]
    assert report.funds_other == REPORT_FIGURES.get("funds_other", 0)


def test_the_largest_count_a_column_holds_is_kept(client, officer, center):
    client.force_login(officer)
    response = client.post(
        reverse("centers:report-create", args=[center.pk]),
        report_data(law_participants=TOO_MANY - 1, funds_social=TOO_MUCH_MONEY - 1),
    )
    assert response.status_code == 302
    report = CenterYearReport.objects.get()
    assert (report.law_participants, report.funds_social) == (TOO_MANY - 1, TOO_MUCH_MONEY - 1)


def test_the_service_refuses_it_too_for_imports(officer, center, report, english):
    figures = REPORT_FIGURES | {"law_participants": TOO_MANY}
    refused(
        lambda: services.file_year_report(center, by=officer, year=this_year(), **figures),
        field="law_participants",
        contains="at most",
    )
    refused(
        lambda: services.update_year_report(report, by=officer, law_participants=str(TOO_MANY)),
        field="law_participants",
    )
    assert CenterYearReport.objects.count() == 1
