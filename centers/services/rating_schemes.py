"""Rating schemes: versioned like criteria sets (a scheme already used is frozen, and a
change makes its next version); the scheme a new rating of a year takes."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from lib.errors import DomainError
from lib.workflow import actor, guard
from units.services import audit

from .. import workflow
from ..models import YEAR_MAX, YEAR_MIN, RatingBand, RatingCriterion, RatingScheme
from ..schemes import DEFAULT_SCHEME
from ._common import decimal_number, whole_number


def scheme_for_year(year):
    """The scheme a new rating of `year` uses: the newest active version covering the year."""
    return (
        RatingScheme.objects.filter(is_active=True, year_from__lte=year)
        .filter(Q(year_to__isnull=True) | Q(year_to__gte=year))
        .order_by("-year_from", "-version", "-pk")
        .first()
    )


def _check_scheme_parts(criteria, bands):
    if not criteria:
        raise DomainError(_("A scheme needs at least one criterion."))
    numbers, total = set(), Decimal(0)
    clean_criteria = []
    for row in criteria:
        number = whole_number(row.get("number"), None)
        if number in numbers:
            raise DomainError(_("Criterion number %(n)s appears twice.") % {"n": number})
        numbers.add(number)
        title = (row.get("title") or "").strip()
        if not title:
            raise DomainError(_("Criterion %(n)s needs a title.") % {"n": number})
        max_points = decimal_number(row.get("max_points"), None)
        if max_points <= 0 or max_points >= 1000:
            raise DomainError(
                _("Criterion %(n)s: the maximum must be more than 0 and less than 1000.")
                % {"n": number}
            )
        total += max_points
        clean_criteria.append(
            {
                "number": number,
                "title": title,
                "guidance": (row.get("guidance") or "").strip(),
                "max_points": max_points,
            }
        )
    if not bands:
        raise DomainError(_("A scheme needs at least one band."))
    codes, thresholds, clean_bands = set(), set(), []
    for row in bands:
        code = (row.get("code") or "").strip()
        name = (row.get("name") or "").strip()
        if not code or not name:
            raise DomainError(_("Each band needs a code and a name."))
        threshold = decimal_number(row.get("min_total"), None)
        if code in codes:
            raise DomainError(_("Band code “%(code)s” appears twice.") % {"code": code})
        if threshold in thresholds:
            raise DomainError(_("Two bands start at the same total %(t)s.") % {"t": threshold})
        if threshold < 0 or threshold > total:
            raise DomainError(
                _("Band “%(name)s” starts at %(t)s, outside 0 to the maximum total %(max)s.")
                % {"name": name, "t": threshold, "max": total}
            )
        codes.add(code)
        thresholds.add(threshold)
        clean_bands.append({"code": code, "name": name, "min_total": threshold})
    if Decimal(0) not in thresholds:
        raise DomainError(_("One band must start at 0, so that every total earns a band."))
    return clean_criteria, clean_bands


def _check_scheme_fields(fields):
    if not (fields.get("name") or "").strip():
        raise DomainError(_("Give the scheme a name."), "name")
    year_from, year_to = fields.get("year_from"), fields.get("year_to")
    if year_from is None or not YEAR_MIN <= year_from <= YEAR_MAX:
        raise DomainError(_("Enter a year."), "year_from")
    if year_to is not None and year_to < year_from:
        raise DomainError(_("The last year must not come before the first."), "year_to")


SCHEME_DEFAULTS = {"legal_basis": "", "year_to": None, "provisional": False}
SCHEME_FIELDS = ("name", "legal_basis", "year_from", "year_to", "provisional")


def _scheme_values(fields):
    values = {n: fields.get(n, SCHEME_DEFAULTS.get(n)) for n in SCHEME_FIELDS}
    values["legal_basis"] = values["legal_basis"] or ""
    return values


def _fill_scheme(scheme, criteria, bands):
    RatingCriterion.objects.bulk_create(RatingCriterion(scheme=scheme, **row) for row in criteria)
    RatingBand.objects.bulk_create(RatingBand(scheme=scheme, **row) for row in bands)


@transaction.atomic
def create_scheme(*, by, key, criteria, bands, **fields):
    """Create a rating scheme (version 1 of a new key) with its criteria and bands."""
    guard(workflow.check_manage_schemes(by))
    key = (key or "").strip()
    if not key:
        raise DomainError(_("Give the scheme a key."), "key")
    if RatingScheme.objects.filter(key=key).exists():
        raise DomainError(_("This key is already used by another scheme."), "key")
    _check_scheme_fields(fields)
    criteria, bands = _check_scheme_parts(criteria, bands)
    scheme = RatingScheme.objects.create(
        key=key, version=1, created_by=actor(by), **_scheme_values(fields)
    )
    _fill_scheme(scheme, criteria, bands)
    audit(by=by, action="center.scheme.create", target=scheme, changes={"key": key})
    return scheme


@transaction.atomic
def edit_scheme(scheme, *, by, criteria, bands, **fields):
    """Change a scheme. One already used is frozen: the change becomes its next version.

    Ratings keep the version they were made with; new ratings take the newest version.
    """
    guard(workflow.check_manage_schemes(by))
    scheme = RatingScheme.objects.select_for_update().get(pk=scheme.pk)
    if not scheme.is_active:
        raise DomainError(_("A newer version of this scheme exists: edit that one."))
    _check_scheme_fields(fields)
    criteria, bands = _check_scheme_parts(criteria, bands)
    values = _scheme_values(fields)
    if scheme.is_frozen:
        latest = RatingScheme.objects.filter(key=scheme.key).aggregate(v=Max("version"))["v"]
        new = RatingScheme.objects.create(
            key=scheme.key,
            version=latest + 1,
            replaces=scheme,
            created_by=actor(by),
            **values,
        )
        scheme.is_active = False
        scheme.save(update_fields=["is_active"])
        _fill_scheme(new, criteria, bands)
        audit(
            by=by,
            action="center.scheme.version",
            target=new,
            changes={"replaces": str(scheme), "version": new.version},
        )
        return new
    for name, value in values.items():
        setattr(scheme, name, value)
    scheme.save(update_fields=list(values))
    scheme.criteria.all().delete()
    scheme.bands.all().delete()
    _fill_scheme(scheme, criteria, bands)
    audit(by=by, action="center.scheme.update", target=scheme)
    return scheme


@transaction.atomic
def ensure_default_scheme():
    """The default (provisional) scheme, created if missing: migrations and demo data call it."""
    existing = RatingScheme.objects.filter(key=DEFAULT_SCHEME["key"]).order_by("-version").first()
    if existing is not None:
        return existing
    scheme = RatingScheme.objects.create(
        key=DEFAULT_SCHEME["key"],
        version=1,
        **{n: DEFAULT_SCHEME[n] for n in ("name", "legal_basis", "year_from", "provisional")},
    )
    _fill_scheme(scheme, DEFAULT_SCHEME["criteria"], DEFAULT_SCHEME["bands"])
    return scheme
