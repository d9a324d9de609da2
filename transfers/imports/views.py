"""Staff pages of imports: templates, upload, the check of every row, then the import."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.errors import DomainError
from lib.sheets import template_response
from transfers.models import ImportMode, ImportStatus

from . import services
from .context import ImportContext
from .forms import CommuneForm, ImportForm, UploadForm
from .kinds import KINDS, importable_communes

BATCHES_PER_PAGE = 25
# Where the imported rows are listed: (URL name, filters).
LISTS = {
    "households": ("models_learning:registration-list", {"kind": "family"}),
    "clans": ("models_learning:registration-list", {"kind": "clan"}),
    "communities": ("models_learning:registration-list", {"kind": "community"}),
    "center-reports": ("centers:center-list", {}),
    "center-scores": ("centers:center-list", {}),
}


def _list_url(batch):
    name, filters = LISTS[batch.kind]
    return f"{reverse(name)}?{urlencode({**filters, 'unit': batch.unit_id})}"


def _communes(user):
    """The communes `user` imports into, and the only one when there is one (one query of
    at most two rows: thousands of communes at country scale are never all read)."""
    communes = importable_communes(user)
    first_two = list(communes[:2])
    return communes, bool(first_two), first_two[0] if len(first_two) == 1 else None


def _index_context(request, form=None):
    communes, any_commune, only = _communes(request.user)
    chooser = CommuneForm(request.GET or None, communes=communes)
    unit = chooser.selected(only)
    if form is None:
        initial = {"kind": request.GET.get("kind") or "households"}
        if unit is not None:
            initial["unit"] = unit.pk
        form = UploadForm(communes=communes, only=only, initial=initial)
    batches = Paginator(services.batches_of(request.user), BATCHES_PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "any_commune": any_commune,
        "several_communes": any_commune and only is None,
        "chooser": chooser,
        "unit": unit,
        "kinds": KINDS.values(),
        "form": form,
        "page_obj": batches.get_page(request.GET.get("page")),
        "querystring": query.urlencode(),
    }


def index(request):
    return render(request, "transfers/imports/index.html", _index_context(request))


def template(request, kind):
    """The empty template of `kind`, with the lists (villages, centres, years) of the commune."""
    if kind not in KINDS:
        raise Http404
    communes, _any, only = _communes(request.user)
    chooser = CommuneForm(request.GET or None, communes=communes)
    unit = chooser.selected(only)
    if unit is None:
        if request.GET.get("unit"):
            raise Http404
        messages.info(request, _("Choose the commune first: its villages fill the template."))
        return redirect(reverse("imports:index") + f"?kind={kind}")
    import_kind = KINDS[kind]
    context = ImportContext(unit, request.user)
    return template_response(
        import_kind.spec(context),
        f"mau-{import_kind.filename}.xlsx",
        choices_context=context,
    )


@require_POST
def upload(request):
    communes, _any, only = _communes(request.user)
    form = UploadForm(request.POST, request.FILES, communes=communes, only=only)
    if form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.check_upload(
                by=request.user, kind=data["kind"], unit=data["unit"], upload=data["file"]
            )
        except DomainError as error:
            error.add_to_form(form)
        else:
            return redirect("imports:batch-detail", pk=batch.pk)
    return render(
        request, "transfers/imports/index.html", _index_context(request, form), status=200
    )


def batch_detail(request, pk):
    batch = get_object_or_404(services.batches_of(request.user), pk=pk)
    kind = KINDS.get(batch.kind)
    communes, _any, only = _communes(request.user)
    again = UploadForm(
        communes=communes, only=only, initial={"kind": batch.kind, "unit": batch.unit_id}
    )
    modes = services.import_modes(batch, request.user)
    return render(
        request,
        "transfers/imports/batch_detail.html",
        {
            "batch": batch,
            "kind": kind,
            "again": again,
            "can_import_all": ImportMode.ALL in modes,
            "can_import_valid": ImportMode.VALID in modes,
            "valid_rows": batch.count("total") - batch.count("invalid"),
            "more_problems": max(batch.problem_count - len(batch.problems), 0),
            "modes": ImportMode,
            "list_url": _list_url(batch) if batch.kind in LISTS else None,
            "can_retry": services.can_retry(batch, request.user),
        },
    )


@require_POST
def batch_retry(request, pk):
    """Check or import again, from the start, a file whose check or import was interrupted."""
    batch = get_object_or_404(services.batches_of(request.user), pk=pk)
    try:
        batch = services.retry_batch(batch, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if batch.status == ImportStatus.IMPORTED:
            messages.success(request, _("The file was imported."))
    return redirect("imports:batch-detail", pk=batch.pk)


@require_POST
def batch_import(request, pk):
    batch = get_object_or_404(services.batches_of(request.user), pk=pk)
    form = ImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose which rows to import."))
        return redirect("imports:batch-detail", pk=batch.pk)
    try:
        batch = services.import_batch(batch, by=request.user, mode=form.cleaned_data["mode"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("imports:batch-detail", pk=batch.pk)
    if batch.status == ImportStatus.IMPORTED:
        messages.success(request, _("The file was imported."))
    elif batch.status == ImportStatus.FAILED:
        messages.error(request, _("Nothing was imported."))
    return redirect("imports:batch-detail", pk=batch.pk)
