"""Evidence files: upload (checked by content in the service), scoped download, removal."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.errors import DomainError
from lib.form_views import saved_or_none
from lib.storage import private_file_response

from .. import selectors, services, workflow
from ..forms import EvidenceForm
from ._common import posted, registration_or_404, registration_url


def evidence_add(request, pk):
    registration = registration_or_404(request, pk)
    form = EvidenceForm(posted(request), posted(request, files=True))
    done = saved_or_none(
        request,
        form,
        lambda data: services.attach_evidence(
            registration, by=request.user, file=data["file"], description=data["description"]
        ),
        lambda evidence: _("Attached: %(name)s.") % {"name": evidence.original_name},
        registration_url(registration, "evidence"),
    )
    return done or render(
        request,
        "models_learning/evidence_form.html",
        {
            "registration": registration,
            "form": form,
            "problem": workflow.check_attach_evidence(request.user, registration),
        },
    )


def evidence_download(request, pk):
    """The file, only for a viewer whose units hold its registration (else 404)."""
    evidence = get_object_or_404(selectors.evidence_visible_to(request.user), pk=pk)
    return private_file_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


@require_POST
def evidence_remove(request, pk):
    evidence = get_object_or_404(selectors.evidence_visible_to(request.user), pk=pk)
    registration = evidence.registration
    try:
        services.remove_evidence(evidence, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed: %(name)s.") % {"name": evidence.original_name})
    return redirect(registration_url(registration, "evidence"))
