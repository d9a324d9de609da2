"""The learning citizens' export: a commune's adults (or one village's) with their result of
a year, on the import's own sheet, so that the file is the village's template too (fill in
the results, import it back) and, with the official commune code, what a national upload
needs to find each person without an ID-card number (the portal keeps none): name, year of
birth, household head, village and commune code."""

from django.db.models import F, FilteredRelation, Q
from django.http import Http404

from citizens.adults import adult_condition
from citizens.models import Source
from lib.dates import this_year
from lib.params import whole_number
from models_learning.models import HouseholdMember
from transfers.imports.citizen_spec import CITIZENS
from units.models import Level, Village
from units.scoping import scoped, units_visible_to

CHUNK = 2000


def _commune(request):
    """The commune of `?unit=` among those the user may read (None: every one they may)."""
    raw = request.GET.get("unit", "")
    if not raw:
        return None
    pk = whole_number(raw)
    if pk is None:
        raise Http404
    commune = units_visible_to(request.user).filter(level=Level.COMMUNE, pk=pk).first()
    if commune is None:
        raise Http404
    return commune


def _year(raw):
    raw = (raw or "").strip()
    if raw.isascii() and raw.isdigit() and len(raw) == 4 and 2021 <= int(raw) <= this_year():
        return int(raw)
    return this_year()


def citizens(request):
    """(spec, rows, filename) of a commune's adults (`?unit=`, else every commune the user
    may read) and their result of `?year=`; `?village=` keeps one village (its template).
    Another commune's or village's is a 404."""
    commune = _commune(request)
    year = _year(request.GET.get("year"))
    members = scoped(HouseholdMember.objects.all(), request.user, "household__commune__path")
    members = members.filter(adult_condition(year))
    if commune is not None:
        members = members.filter(household__commune=commune)
    code = (commune.admin_code or commune.pk) if commune is not None else "tat-ca"
    stem = f"cong-dan-hoc-tap-{code}-{year}"
    raw_village = request.GET.get("village", "")
    if raw_village:
        villages = scoped(Village.objects.all(), request.user, "commune__path")
        village_pk = whole_number(raw_village)
        village = villages.filter(pk=village_pk).first() if village_pk is not None else None
        if village is None or (commune is not None and village.commune_id != commune.pk):
            raise Http404
        members = members.filter(household__village=village)
        stem += f"-thon-{village.pk}"
    rows = (
        members.annotate(
            result=FilteredRelation("citizen_results", condition=Q(citizen_results__year=year))
        )
        .order_by(
            "household__commune__name",
            "household__village__name",
            "household__head_name_normalised",
            "position",
            "pk",
        )
        .values(
            "pk",
            "name",
            "birth_year",
            "household__head_name",
            "household__village__name",
            "household__commune__name",
            "household__commune__admin_code",
            achieved=F("result__achieved"),
            digital=F("result__digital_skills"),
            source=F("result__source"),
            assessed_on=F("result__assessed_on"),
        )
    )
    return CITIZENS, _rows(rows, year), stem


def _rows(rows, year):
    sources = dict(Source.choices)
    for row in rows.iterator(chunk_size=CHUNK):
        assessed = row["achieved"] is not None
        yield {
            "member": row["pk"],
            "name": row["name"],
            "birth_year": row["birth_year"],
            "head_name": row["household__head_name"],
            "village": row["household__village__name"],
            "year": year,
            "achieved": ("yes" if row["achieved"] else "no") if assessed else None,
            "digital": ("yes" if row["digital"] else "no") if assessed else None,
            "commune": row["household__commune__name"],
            "commune_code": row["household__commune__admin_code"] or "",
            "source": str(sources.get(row["source"], "")) if assessed else "",
            "assessed_on": row["assessed_on"],
        }
