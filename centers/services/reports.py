"""A centre's yearly activity report: filed once per centre and year by its commune's
officer, then corrected; the commune of the year stays with the report."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lib.errors import DomainError
from lib.limits import integer_max
from lib.workflow import actor, guard
from units.services import audit

from .. import workflow
from ..models import FIGURE_FIELDS, LEARNER_FIELDS, TOPICS, CenterYearReport
from ._common import center_year, commune_of_year, lock_center, whole_number


def _column_max(name):
    return integer_max(CenterYearReport._meta.get_field(name))


def _clean_figures(figures):
    """The report's figures, each a whole number, classes held counted in participant-visits."""
    unknown = set(figures) - set(FIGURE_FIELDS)
    if unknown:
        raise ValueError(f"unknown report fields: {sorted(unknown)}")
    clean = {
        name: whole_number(figures.get(name, 0), name, _column_max(name)) for name in FIGURE_FIELDS
    }
    for key, label in TOPICS:
        if clean[f"{key}_classes"] > 0 and clean[f"{key}_participants"] == 0:
            raise DomainError(
                _("%(topic)s: classes were held, so count their participant-visits.")
                % {"topic": label},
                f"{key}_participants",
            )
    visits = sum(clean[f"{key}_participants"] for key, _label in TOPICS)
    for name in LEARNER_FIELDS:
        if clean[name] > visits:
            raise DomainError(
                _("A group of learners cannot outnumber the participant-visits (%(visits)s).")
                % {"visits": visits},
                name,
            )
    return clean


@transaction.atomic
def file_year_report(center, *, by, year, note="", **figures):
    """File a centre's activity report for a year (one per centre and year)."""
    center = lock_center(center)
    guard(workflow.check_file_report(by, center))
    year = center_year(year, center)
    if CenterYearReport.objects.filter(center=center, year=year).exists():
        raise DomainError(
            _("The report for %(year)s is already filed: open it to correct it.") % {"year": year},
            "year",
        )
    clean = _clean_figures(figures)
    try:
        with transaction.atomic():
            report = CenterYearReport.objects.create(
                center=center,
                year=year,
                commune=commune_of_year(center, year),
                note=note,
                filed_by=actor(by),
                **clean,
            )
    except IntegrityError:
        raise DomainError(
            _("The report for %(year)s is already filed: open it to correct it.") % {"year": year},
            "year",
        ) from None
    audit(by=by, action="center.report.file", target=report, unit=center.commune)
    return report


@transaction.atomic
def update_year_report(report, *, by, note=None, **figures):
    """Correct a filed report; the year and the commune of the year stay."""
    report = (
        CenterYearReport.objects.select_for_update()
        .select_related("center__commune")
        .get(pk=report.pk)
    )
    guard(workflow.check_file_report(by, report.center))
    clean = _clean_figures(
        {name: figures.get(name, getattr(report, name)) for name in FIGURE_FIELDS}
    )
    changes = {n: [getattr(report, n), v] for n, v in clean.items() if getattr(report, n) != v}
    for name, value in clean.items():
        setattr(report, name, value)
    if note is not None:
        report.note = note
    report.save(update_fields=[*FIGURE_FIELDS, "note", "updated_at"])
    audit(
        by=by,
        action="center.report.update",
        target=report,
        unit=report.center.commune,
        changes=changes,
    )
    return report
