"""The second yearly report: per commune, the subjects recognised in a year, as listed with
the recognition decision (one query), and, above a commune, which communes have such a list."""

from django.db.models import Case, Count, IntegerField, Value, When
from django.db.models.functions import Coalesce

from models_learning.models import ModelKind, Registration
from models_learning.selectors import registrations_visible_to
from models_learning.workflow import Status
from units.scoping import scoped

from .yearly import KINDS

KIND_ORDER = Case(
    *[When(kind=kind.value, then=Value(index)) for index, kind in enumerate(KINDS)],
    output_field=IntegerField(),
)


def recognised_listing(user, commune, year):
    """The recognised files of `commune` in `year` that `user` may read: title order, then
    village and name. {"unit", "year", "items": [{"title", "name", "village", "score",
    "decision_number", "decision_date", "code"}], "counts": [{"label", "count"}]}."""
    registrations = (
        registrations_visible_to(user)
        .filter(unit=commune, year=year, status=Status.RECOGNIZED)
        .annotate(
            kind_order=KIND_ORDER,
            village_name=Coalesce("household__village__name", "village__name", Value("")),
        )
        .order_by("kind_order", "village_name", "subject_name", "pk")
        .values(
            "kind",
            "subject_name",
            "village_name",
            "total_score",
            "recognition__decision_number",
            "recognition__decision_date",
            "recognition__certificate_code",
        )
    )
    items, counts = [], dict.fromkeys(KINDS, 0)
    for row in registrations:
        kind = ModelKind(row["kind"])
        counts[kind] += 1
        items.append(
            {
                "kind": kind.value,
                "title": kind.label,
                "name": row["subject_name"],
                "village": row["village_name"],
                "score": row["total_score"],
                "decision_number": row["recognition__decision_number"] or "",
                "decision_date": row["recognition__decision_date"],
                "code": row["recognition__certificate_code"] or "",
            }
        )
    return {
        "unit": commune,
        "year": year,
        "items": items,
        "counts": [{"label": kind.label, "count": n} for kind, n in counts.items()],
    }


def communes_with_recognitions(user, unit, year):
    """The communes under `unit` with recognitions in `year`, and how many: one GROUP BY."""
    rows = (
        scoped(Registration.objects.all(), user, "unit__path")
        .filter(unit__path__startswith=unit.path, year=year, status=Status.RECOGNIZED)
        .values("unit_id", "unit__name")
        .annotate(count=Count("id"))
        .order_by("unit__name", "unit_id")
    )
    return [
        {"unit_id": row["unit_id"], "name": row["unit__name"], "count": row["count"]}
        for row in rows
    ]
