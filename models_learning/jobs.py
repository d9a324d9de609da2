"""Background runners of the learning-models app (found by jobs.runner by kind).

Each runner reads its selection again through the requester's scope at run time: a person
who lost access to a commune between asking and running gets nothing of it.
"""

from django.utils.translation import gettext as _

from jobs import runner
from lib.errors import DomainError

from . import certificates


def _selection(job):
    """(unit, recognitions) of a batch job, as its requester may see them now."""
    user = job.requested_by
    params = job.params
    unit = certificates.unit_by_id(user, params.get("unit"))
    if unit is None:
        raise DomainError(_("You may no longer print for this commune."))
    recognitions = list(
        certificates.batch_recognitions(
            user,
            unit=unit,
            year=params["year"],
            kind=params.get("kind", ""),
            decision_number=params.get("decision_number", ""),
        )
    )
    if not recognitions:
        raise DomainError(_("No recognition of that commune and year matches any more."))
    return unit, recognitions


@runner.register("certificates-batch")
def certificates_batch(job, progress):
    """Every certificate of a commune and year as one PDF, one page each."""
    unit, recognitions = _selection(job)
    progress(0, len(recognitions))
    content = certificates.render_certificates(recognitions, progress=progress)
    name = certificates.file_stem("giay cong nhan", unit, job.params["year"]) + ".pdf"
    return runner.Result(name, content, {"certificates": len(recognitions)})


@runner.register("decision-list")
def decision_list(job, progress):
    """The list attached to a decision (STT, name, village, title, decision, code)."""
    unit, recognitions = _selection(job)
    progress(0, len(recognitions))
    options = {
        "unit": unit,
        "year": job.params["year"],
        "kind": job.params.get("kind", ""),
        "decision_number": job.params.get("decision_number", ""),
    }
    if job.params.get("format") == "xlsx":
        content = certificates.decision_list_workbook(recognitions, **options)
        extension = "xlsx"
    else:
        content = certificates.render_decision_list_pdf(recognitions, **options)
        extension = "pdf"
    progress(len(recognitions), len(recognitions))
    name = f"{certificates.file_stem('danh sach', unit, job.params['year'])}.{extension}"
    return runner.Result(name, content, {"rows": len(recognitions)})
