"""The funds' staff pages: thin — scoped fetch (another unit's row is a 404), form, service,
message, redirect. An action the user may not take is refused on its page (200, the reason in
place of the form); a page of a role the user holds nowhere answers 403."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lib.form_views import saved_or_none
from lib.storage import private_file_response
from lib.timeline import actor_name
from units.models import Role, Unit
from units.scoping import scope_of, under_paths

from . import documents, history, selectors, services, workflow
from .forms import (
    EntryForm,
    FundForm,
    NoteForm,
    PayForm,
    ProgrammeForm,
    ReasonForm,
    RecipientForm,
    ReverseForm,
)
from .models import YEAR_MAX, YEAR_MIN, Entry, EntryKind, Period, PeriodStatus

PAGE_SIZE = 50


def _posted(request, files=False):
    """The form's data on a POST (even an empty one: a confirmation), else unbound."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def fund_url(fund, year=None):
    url = reverse("funds:fund-detail", kwargs={"pk": fund.pk})
    return f"{url}?year={year}" if year else url


def _fund(request, pk):
    return get_object_or_404(selectors.funds_visible_to(request.user), pk=pk)


def _keeper_units(user):
    """The current units where `user` keeps funds (a superuser: every current unit)."""
    units = Unit.objects.filter(valid_to__isnull=True).order_by("path")
    if scope_of(user).is_superuser:
        return units
    paths = [unit.path for unit in scope_of(user).units_with(Role.TREASURER)]
    return units.filter(under_paths(paths))


@require_GET
def fund_list(request):
    funds = selectors.funds_visible_to(request.user).order_by("unit__path", "name")
    page = Paginator(funds, PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = (
        bool(scope_of(request.user).units_with(Role.TREASURER)) or request.user.is_superuser
    )
    return render(request, "funds/fund_list.html", {"page_obj": page, "can_create": can_create})


def fund_create(request):
    units = _keeper_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("Only a fund keeper opens a fund."))
    form = FundForm(*_posted(request), units=units)
    done = saved_or_none(
        request,
        form,
        lambda data: services.create_fund(data.pop("unit"), by=request.user, **data),
        _("The fund is open."),
        fund_url,
    )
    return done or render(request, "funds/form.html", {"form": form, "title": _("Open a fund")})


@require_GET
def fund_detail(request, pk):
    fund = _fund(request, pk)
    periods = list(fund.periods.order_by("-year"))
    years = [p.year for p in periods]
    default = years[0] if years else fund.first_year
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        year = default
    if not YEAR_MIN <= year <= YEAR_MAX:
        year = default
    entries = (
        fund.entries.filter(year=year).select_related("reverses").order_by("date", "kind", "number")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "funds/fund_detail.html",
        {
            "fund": fund,
            "periods": periods,
            "year": year,
            "page_obj": page,
            "summary": selectors.year_summary(fund.entries.filter(year=year)),
            "programmes": fund.programmes.order_by("-year", "name")[:50],
            "can_post": workflow.can(workflow.check_post_entry, request.user, fund),
        },
    )


def entry_create(request, pk):
    fund = _fund(request, pk)
    kind = request.GET.get("kind", EntryKind.RECEIPT)
    if kind not in EntryKind.values:
        kind = EntryKind.RECEIPT
    form = EntryForm(*_posted(request, files=True), receipt=kind == EntryKind.RECEIPT)

    def save(data):
        return services.post_entry(
            fund,
            by=request.user,
            kind=kind,
            evidence=data.pop("file"),
            named_publicly=data.pop("named_publicly", False),
            **data,
        )

    done = saved_or_none(
        request,
        form,
        save,
        lambda entry: _("Voucher %(voucher)s is posted.") % {"voucher": entry.voucher},
        lambda entry: reverse("funds:entry-detail", kwargs={"pk": entry.pk}),
    )
    title = (
        _("New receipt (phiếu thu)") if kind == EntryKind.RECEIPT else _("New payment (phiếu chi)")
    )
    return done or render(
        request,
        "funds/form.html",
        {
            "form": form,
            "title": title,
            "fund": fund,
            "multipart": True,
            "problem": workflow.check_post_entry(request.user, fund),
            "cancel_url": fund_url(fund),
        },
    )


def _entry(request, pk):
    return get_object_or_404(
        selectors.entries_visible_to(request.user).select_related("reverses", "posted_by"), pk=pk
    )


@require_GET
def entry_detail(request, pk):
    entry = _entry(request, pk)
    reversal = Entry.objects.filter(reverses=entry).first()
    return render(
        request,
        "funds/entry_detail.html",
        {
            "entry": entry,
            "reversal": reversal,
            "posted_by": actor_name(entry.posted_by),
            "can_reverse": reversal is None
            and entry.reverses_id is None
            and workflow.can(workflow.check_post_entry, request.user, entry.fund),
        },
    )


def entry_reverse(request, pk):
    entry = _entry(request, pk)
    form = ReverseForm(*_posted(request))
    done = saved_or_none(
        request,
        form,
        lambda data: services.reverse_entry(entry, by=request.user, **data),
        lambda reversal: _("Voucher %(voucher)s reverses it.") % {"voucher": reversal.voucher},
        lambda reversal: reverse("funds:entry-detail", kwargs={"pk": reversal.pk}),
    )
    return done or render(
        request,
        "funds/form.html",
        {
            "form": form,
            "title": _("Reverse %(voucher)s") % {"voucher": entry.voucher},
            "fund": entry.fund,
            "problem": workflow.check_post_entry(request.user, entry.fund),
            "cancel_url": reverse("funds:entry-detail", kwargs={"pk": entry.pk}),
        },
    )


@require_GET
def entry_evidence(request, pk):
    entry = _entry(request, pk)
    if not entry.evidence:
        raise Http404
    return private_file_response(
        entry.evidence, filename=entry.evidence_name, content_type=entry.evidence_type
    )


def _known_year(year):
    """A year in the URL outside the books' range is a 404 (never a database overflow)."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404


def _period(request, pk, year):
    _known_year(year)
    fund = _fund(request, pk)
    period = Period.objects.filter(fund=fund, year=year).first()
    if period is None:
        raise Http404
    period.fund = fund
    return period


@require_GET
def period_detail(request, pk, year):
    period = _period(request, pk, year)
    user = request.user
    opening, receipts, payments = (
        (period.opening_balance, period.receipts, period.payments)
        if period.status in (PeriodStatus.CLOSED, PeriodStatus.APPROVED)
        else services.year_figures(period.fund, period.year)
    )
    return render(
        request,
        "funds/period_detail.html",
        {
            "period": period,
            "fund": period.fund,
            "figures": {
                "opening": opening,
                "receipts": receipts,
                "payments": payments,
                "closing": opening + receipts - payments,
            },
            "summary": selectors.year_summary(period.fund.entries.filter(year=period.year)),
            "timeline": history.timeline(period.events.select_related("actor")),
            "can_close": workflow.can(workflow.check_close, user, period),
            "can_approve": workflow.can(workflow.check_approve, user, period),
        },
    )


def _period_step(request, period, form, step, message, title, problem):
    done = saved_or_none(
        request,
        form,
        step,
        message,
        reverse("funds:period-detail", kwargs={"pk": period.fund.pk, "year": period.year}),
    )
    return done or render(
        request,
        "funds/form.html",
        {
            "form": form,
            "title": title,
            "fund": period.fund,
            "problem": problem,
            "submit_label": title,
            "cancel_url": reverse(
                "funds:period-detail", kwargs={"pk": period.fund.pk, "year": period.year}
            ),
        },
    )


def period_close(request, pk, year):
    _known_year(year)
    fund = _fund(request, pk)
    period = Period.objects.filter(fund=fund, year=year).first() or Period(fund=fund, year=year)
    if period.pk is None and not fund.first_year <= year:
        raise Http404
    return _period_step(
        request,
        period,
        NoteForm(*_posted(request)),
        lambda data: services.close_year(fund, year, by=request.user),
        _("The year is closed and sent for approval."),
        _("Close the year %(year)s (khóa sổ)") % {"year": year},
        workflow.check_close(request.user, period),
    )


def period_approve(request, pk, year):
    period = _period(request, pk, year)
    return _period_step(
        request,
        period,
        NoteForm(*_posted(request)),
        lambda data: services.approve_closing(period, by=request.user, note=data["note"]),
        _("The closing is approved."),
        _("Approve the closing of %(year)s") % {"year": year},
        workflow.check_approve(request.user, period),
    )


def period_return(request, pk, year):
    period = _period(request, pk, year)
    return _period_step(
        request,
        period,
        ReasonForm(*_posted(request)),
        lambda data: services.return_closing(period, by=request.user, reason=data["reason"]),
        _("The closing is returned to the fund keeper."),
        _("Return the closing of %(year)s") % {"year": year},
        workflow.check_return(request.user, period),
    )


def programme_create(request, pk):
    fund = _fund(request, pk)
    form = ProgrammeForm(*_posted(request))
    done = saved_or_none(
        request,
        form,
        lambda data: services.create_programme(fund, by=request.user, **data),
        _("The programme is created: add its recipients."),
        lambda programme: reverse("funds:programme-detail", kwargs={"pk": programme.pk}),
    )
    return done or render(
        request,
        "funds/form.html",
        {
            "form": form,
            "title": _("New award or scholarship programme"),
            "fund": fund,
            "problem": workflow.check_post_entry(request.user, fund),
            "cancel_url": fund_url(fund),
        },
    )


def _programme(request, pk):
    return get_object_or_404(selectors.programmes_visible_to(request.user), pk=pk)


def programme_detail(request, pk):
    programme = _programme(request, pk)
    form = RecipientForm(*_posted(request))
    url = reverse("funds:programme-detail", kwargs={"pk": programme.pk})
    done = saved_or_none(
        request,
        form,
        lambda data: services.add_recipient(programme, by=request.user, **data),
        _("The recipient is on the list."),
        url,
    )
    recipients = list(programme.recipients.select_related("entry"))
    return done or render(
        request,
        "funds/programme_detail.html",
        {
            "programme": programme,
            "fund": programme.fund,
            "recipients": recipients,
            "total": sum(r.amount for r in recipients),
            "form": form,
            "problem": workflow.check_edit_programme(request.user, programme),
            "pay_form": PayForm(),
        },
    )


def programme_pay(request, pk):
    programme = _programme(request, pk)
    form = PayForm(*_posted(request))
    url = reverse("funds:programme-detail", kwargs={"pk": programme.pk})
    done = saved_or_none(
        request,
        form,
        lambda data: services.pay_programme(programme, by=request.user, **data),
        _("The list is paid: one payment voucher per recipient."),
        url,
    )
    return done or render(
        request,
        "funds/form.html",
        {
            "form": form,
            "title": _("Pay the list: %(name)s") % {"name": programme.name},
            "fund": programme.fund,
            "problem": workflow.check_edit_programme(request.user, programme),
            "cancel_url": url,
            "submit_label": _("Pay the whole list"),
        },
    )


def _pdf(content, filename):
    response = HttpResponse(content, content_type=documents.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def programme_signatures(request, pk):
    programme = _programme(request, pk)
    recipients = list(programme.recipients.select_related("entry"))
    return _pdf(documents.signature_list(programme, recipients), f"ky-nhan-{programme.pk}.pdf")


@require_GET
def programme_certificates(request, pk):
    programme = _programme(request, pk)
    recipients = list(programme.recipients.all())
    if not recipients:
        raise Http404
    return _pdf(documents.certificates(programme, recipients), f"giay-khen-{programme.pk}.pdf")
