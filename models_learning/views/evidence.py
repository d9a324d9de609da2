"""Evidence files: upload (checked by content in the service), scoped download, removal."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.errors import DomainError
from lib.form_views import saved_or_none
from lib.storage import private_file_response

from .. import pages, selectors, services, workflow
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
    """Remove a file; refused, the registration's page again (200) with the reason beside
    its evidence, and nothing changed."""
    evidence = get_object_or_404(selectors.evidence_visible_to(request.user), pk=pk)
    try:
        services.remove_evidence(evidence, by=request.user)
    except DomainError as error:
        registration = registration_or_404(request, evidence.registration_id, page=True)
        context = pages.registration_page(request.user, registration)
        return render(
            request,
            "models_learning/registration_detail.html",
            {**context, "problem": error.message},
        )
    messages.success(request, _("Removed: %(name)s.") % {"name": evidence.original_name})
    return redirect(registration_url(evidence.registration, "evidence"))
