"""Staff pages of the units app: thin views over scoped reads and the services."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.errors import DomainError
from lib.form_views import saved_or_none
from lib.params import whole_number

from . import services
from .accounts import accounts_manageable_by
from .choice import QUERY_MAX, SCOPES, matching_units, top_units
from .forms import (
    AccountCreateForm,
    AccountSearchForm,
    AccountUpdateForm,
    BranchForm,
    FiguresForm,
    MembershipForm,
    TreeDateForm,
    VillageForm,
    VillageUpdateForm,
)
from .models import BOARD_KINDS, AuditEntry, Level, Membership, Unit, UnitYearFigures, Village
from .scoping import can_edit_unit, can_manage_accounts, scoped, units_visible_to
from .tree import (
    NODE_FIELDS,
    Node,
    ancestors_within,
    children_on,
    parent_path,
    roots_on,
    tree_units,
    with_counts,
)
from .unit_page import figures_years_of, unit_page, with_action_labels

ACCOUNTS_PER_PAGE = 50
ACCOUNT_ACTIONS = ["account.create", "account.update", "membership.add", "membership.remove"]


def _unit_url(unit):
    return reverse("units:unit-detail", kwargs={"pk": unit.pk})


def _editable_commune(request, pk):
    """A commune the user may read (else 404) and edit (else 403: e.g. history is read-only)."""
    commune = get_object_or_404(units_visible_to(request.user), pk=pk, level=Level.COMMUNE)
    if not can_edit_unit(request.user, commune):
        raise PermissionDenied
    return commune


def _tree_unit(request, pk, day):
    """A unit of the user's tree on `day`, else 404 (out of scope, a branch, not yet or no
    longer there, or not a number)."""
    pk = whole_number(str(pk))
    if pk is None:
        raise Http404
    return get_object_or_404(tree_units(request.user, day).only(*NODE_FIELDS), pk=pk)


def tree(request):
    """The user's top units, or the unit named by `open` with the path to it, and one page of
    children of the unit shown open; every other node opens on demand."""
    form = TreeDateForm(request.GET or None)
    day = form.day()
    on = request.GET.get("on", "") if form.is_valid() and form.cleaned_data["on"] else ""
    opened = request.GET.get("open")
    ancestors = []
    if opened:
        unit = _tree_unit(request, opened, day)
        nodes = with_counts(request.user, day, None, [Node(unit)], parent_path=parent_path(unit))
        ancestors = ancestors_within(request.user, unit, day)
    else:
        nodes = roots_on(request.user, day)
    children, page = [], None
    if len(nodes) == 1 and nodes[0].has_children:
        children, page = children_on(request.user, nodes[0].unit, day, request.GET.get("page"))
    return render(
        request,
        "units/unit_tree.html",
        {
            "form": form,
            "day": day,
            "on": on,
            "nodes": nodes,
            "children": children,
            "page": page,
            "ancestors": ancestors,
            "periods": TreeDateForm.PERIODS,
        },
    )


def tree_children(request, pk):
    """One page of a node's children, for htmx; without it, the tree opened at that node."""
    form = TreeDateForm(request.GET or None)
    day = form.day()
    on = request.GET.get("on", "") if form.is_valid() and form.cleaned_data["on"] else ""
    unit = _tree_unit(request, pk, day)
    if not request.htmx:
        query = {"open": unit.pk, "page": request.GET.get("page", "")}
        if on:
            query["on"] = on
        return redirect(f"{reverse('units:tree')}?{urlencode(query)}")
    children, page = children_on(request.user, unit, day, request.GET.get("page"))
    return render(
        request,
        "units/partials/tree_children.html",
        {"nodes": children, "page": page, "parent": unit, "on": on},
    )


def choose(request):
    """The options of a unit choice for the name typed (htmx, `units.choice`): the units the
    user may read whose name matches, at most CHOICES_SHOWN; with `?scope=`, those of that
    field's scope (`choice.register_scope`)."""
    # htmx sends the box under its own name, `<field>_q`; `q` is the plain name.
    typed = request.GET.get("q")
    if typed is None:
        typed = next((v for k, v in request.GET.items() if k.endswith("_q")), "")
    query = typed.strip()[:QUERY_MAX]
    scope = request.GET.get("scope") or ""
    if scope and scope not in SCOPES:
        return HttpResponseBadRequest(_("This list of units does not exist."))
    if scope:
        units = SCOPES[scope](request.user)
    else:
        units = units_visible_to(request.user).exclude(level=Level.BRANCH)
    found = matching_units(units, query) if query else top_units(units)
    return render(request, "units/widgets/unit_options.html", {"units": found, "query": query})


def unit_detail(request, pk):
    unit = get_object_or_404(units_visible_to(request.user).select_related("parent"), pk=pk)
    return render(
        request, "units/unit_detail.html", unit_page(request.user, unit, request.GET.get("page"))
    )


def village_create(request, pk):
    commune = _editable_commune(request, pk)
    form = VillageForm(request.POST or None)
    done = saved_or_none(
        request,
        form,
        lambda data: services.add_village(commune, by=request.user, **data),
        _("The village was added."),
        _unit_url(commune),
    )
    return done or render(
        request, "units/village_form.html", {"form": form, "commune": commune, "village": None}
    )


def village_update(request, pk):
    village = get_object_or_404(
        scoped(Village.objects.select_related("commune"), request.user, "commune__path"), pk=pk
    )
    if not can_edit_unit(request.user, village.commune):
        raise PermissionDenied
    initial = {"name": village.name, "kind": village.kind, "valid_to": village.valid_to}
    form = VillageUpdateForm(request.POST or None, initial=initial)
    done = saved_or_none(
        request,
        form,
        lambda data: services.update_village(village, by=request.user, **data),
        _("The village was saved."),
        _unit_url(village.commune),
    )
    return done or render(
        request,
        "units/village_form.html",
        {"form": form, "commune": village.commune, "village": village},
    )


def branch_create(request, pk):
    commune = _editable_commune(request, pk)
    form = BranchForm(request.POST or None)
    done = saved_or_none(
        request,
        form,
        lambda data: services.create_branch(commune, by=request.user, **data),
        _("The branch was added."),
        _unit_url(commune),
    )
    return done or render(
        request, "units/branch_form.html", {"form": form, "commune": commune, "branch": None}
    )


def branch_update(request, pk):
    branch = get_object_or_404(
        units_visible_to(request.user).select_related("parent"), pk=pk, level=Level.BRANCH
    )
    if not can_edit_unit(request.user, branch.parent):
        raise PermissionDenied
    fields = ("name", "kind", "valid_from", "valid_to")
    form = BranchForm(request.POST or None, initial={f: getattr(branch, f) for f in fields})
    done = saved_or_none(
        request,
        form,
        lambda data: services.update_branch(branch, by=request.user, **data),
        _("The branch was saved."),
        _unit_url(branch),
    )
    return done or render(
        request,
        "units/branch_form.html",
        {"form": form, "commune": branch.parent, "branch": branch},
    )


def _figures_initial(commune, year):
    figures = UnitYearFigures.objects.filter(unit=commune, year=year).first()
    if figures is not None:
        return {name: getattr(figures, name) for name in services.FIGURE_FIELDS}
    # A first entry starts from the branches and boards recorded in the portal.
    counts = (
        Unit.objects.current()
        .filter(parent=commune, level=Level.BRANCH)
        .aggregate(boards=Count("id", filter=Q(kind__in=BOARD_KINDS)), total=Count("id"))
    )
    return {"branches": counts["total"] - counts["boards"], "boards": counts["boards"]}


def figures_edit(request, pk, year):
    commune = _editable_commune(request, pk)
    if year not in figures_years_of(commune):
        raise Http404
    form = FiguresForm(request.POST or None, initial=_figures_initial(commune, year))
    done = saved_or_none(
        request,
        form,
        lambda data: services.set_year_figures(commune, year, by=request.user, **data),
        _("The figures of %(year)s were saved.") % {"year": year},
        _unit_url(commune),
    )
    return done or render(
        request, "units/figures_form.html", {"form": form, "commune": commune, "year": year}
    )


def _require_manager(request):
    if not can_manage_accounts(request.user):
        raise PermissionDenied


def _account_or_404(request, pk):
    _require_manager(request)
    return get_object_or_404(accounts_manageable_by(request.user), pk=pk)


def _account_url(user):
    return reverse("units:account-update", kwargs={"pk": user.pk})


def account_list(request):
    _require_manager(request)
    search = AccountSearchForm(request.GET or None)
    accounts = accounts_manageable_by(request.user).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("unit"))
    )
    if search.is_valid() and search.cleaned_data["q"]:
        q = search.cleaned_data["q"]
        accounts = accounts.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    page = Paginator(accounts.order_by("username"), ACCOUNTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    querystring = urlencode({"q": search.cleaned_data["q"]}) if search.is_valid() else ""
    return render(
        request,
        "units/account_list.html",
        {"search": search, "page_obj": page, "querystring": querystring},
    )


def account_create(request):
    _require_manager(request)
    form = AccountCreateForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password_again"}
        try:
            account, _membership = services.create_account(by=request.user, **data)
        except DomainError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("The account was created."))
            return redirect(_account_url(account))
    return render(request, "units/account_create.html", {"form": form})


def account_update(request, pk):
    account = _account_or_404(request, pk)
    initial = {
        "full_name": account.get_full_name(),
        "email": account.email,
        "is_active": account.is_active,
    }
    form = AccountUpdateForm(request.POST or None, initial=initial)
    done = saved_or_none(
        request,
        form,
        lambda data: services.update_account(account, by=request.user, **data),
        _("The account was saved."),
        _account_url(account),
    )
    memberships = account.memberships.select_related("unit").order_by("unit__path", "role")
    history = with_action_labels(
        AuditEntry.objects.filter(
            target=account.username, action__in=ACCOUNT_ACTIONS
        ).select_related("actor", "unit")[:20]
    )
    return done or render(
        request,
        "units/account_update.html",
        {"form": form, "account": account, "memberships": memberships, "history": history},
    )


def membership_add(request, pk):
    account = _account_or_404(request, pk)
    form = MembershipForm(request.POST or None, manager=request.user)
    done = saved_or_none(
        request,
        form,
        lambda data: services.add_membership(account, by=request.user, **data),
        _("The role was given."),
        _account_url(account),
    )
    return done or render(request, "units/membership_form.html", {"form": form, "account": account})


@require_POST
def membership_remove(request, pk):
    _require_manager(request)
    membership = get_object_or_404(
        Membership.objects.filter(user__in=accounts_manageable_by(request.user)), pk=pk
    )
    try:
        services.remove_membership(membership, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The role was removed."))
    return redirect(_account_url(membership.user))
