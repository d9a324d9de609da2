"""Columns of the exports that have no import. Kinds that have one (households, clans, village
communities, centre reports and self-assessments) export with the import's own spec
(transfers.imports.specs), so that an export uploaded again changes nothing."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from centers.models import Premises, RatingStatus
from lib.sheets import Column, Kind, SheetSpec
from models_learning.models import ModelKind
from models_learning.workflow import Status
from units.models import Level

_EXPORT_ONLY = _(
    "An export of the portal, to read or print. It is not a template: the import refuses it."
)

# Columns that several exports show alike (same key, header, kind and width), made once.
_NAME = Column("subject_name", pgettext_lazy("sheet column", "Name"), width=30)
_TITLE = Column(
    "kind",
    pgettext_lazy("sheet column", "Title"),
    kind=Kind.CHOICE,
    choices=ModelKind.choices,
    width=22,
)
_YEAR = Column("year", pgettext_lazy("sheet column", "Year"), kind=Kind.YEAR, width=8)
_COMMUNE = Column("unit", pgettext_lazy("sheet column", "Commune"), width=24)
_DECISION_NUMBER = Column(
    "decision_number", pgettext_lazy("sheet column", "Decision number"), width=18
)
_CERTIFICATE_CODE = Column(
    "certificate_code", pgettext_lazy("sheet column", "Certificate code"), width=18
)
_VALID_FROM = Column(
    "valid_from", pgettext_lazy("sheet column", "Valid from"), kind=Kind.DATE, width=12
)
_VALID_UNTIL = Column(
    "valid_to", pgettext_lazy("sheet column", "Valid until"), kind=Kind.DATE, width=12
)

REGISTRATIONS = SheetSpec(
    name=_("Registrations"),
    kind_code="export-registrations",
    columns=[
        _NAME,
        _TITLE,
        _YEAR,
        _COMMUNE,
        Column("village", pgettext_lazy("sheet column", "Village"), width=22),
        Column(
            "head_birth_year",
            pgettext_lazy("sheet column", "Head's year of birth"),
            kind=Kind.YEAR,
            width=12,
        ),
        Column(
            "status",
            pgettext_lazy("sheet column", "Status"),
            kind=Kind.CHOICE,
            choices=Status.choices,
            width=18,
        ),
        Column("returned", pgettext_lazy("sheet column", "Returned for correction"), width=12),
        Column(
            "total_score", pgettext_lazy("sheet column", "Total score"), kind=Kind.DECIMAL, width=10
        ),
        _DECISION_NUMBER,
        _CERTIFICATE_CODE,
    ],
    instructions=[_EXPORT_ONLY],
)

RECOGNITIONS = SheetSpec(
    name=_("Recognitions"),
    kind_code="export-recognitions",
    columns=[
        _CERTIFICATE_CODE,
        _NAME,
        _TITLE,
        _YEAR,
        _COMMUNE,
        Column("issuing_unit", pgettext_lazy("sheet column", "Issued by"), width=24),
        _DECISION_NUMBER,
        Column(
            "decision_date",
            pgettext_lazy("sheet column", "Decision date"),
            kind=Kind.DATE,
            width=12,
        ),
        _VALID_FROM,
        _VALID_UNTIL,
        Column("revoked_at", pgettext_lazy("sheet column", "Revoked on"), kind=Kind.DATE, width=12),
        Column("revoke_reason", pgettext_lazy("sheet column", "Reason for revocation"), width=30),
    ],
    instructions=[_EXPORT_ONLY],
)

CENTERS = SheetSpec(
    name=_("Learning centres"),
    kind_code="export-centers",
    columns=[
        Column("name", pgettext_lazy("sheet column", "Learning centre"), width=34),
        Column("commune", pgettext_lazy("sheet column", "Commune"), width=24),
        Column("founding_decision", pgettext_lazy("sheet column", "Founding decision"), width=22),
        Column("founded_on", pgettext_lazy("sheet column", "Founded on"), kind=Kind.DATE, width=12),
        Column("director", pgettext_lazy("sheet column", "Director"), width=24),
        Column("phone", pgettext_lazy("sheet column", "Phone"), width=16),
        Column("email", pgettext_lazy("sheet column", "E-mail"), width=24),
        Column("address", pgettext_lazy("sheet column", "Address"), width=28),
        Column(
            "premises",
            pgettext_lazy("sheet column", "Premises"),
            kind=Kind.CHOICE,
            choices=Premises.choices,
        ),
        Column("full_time_staff", pgettext_lazy("sheet column", "Full-time staff"), kind=Kind.INT),
        Column(
            "seconded_teachers", pgettext_lazy("sheet column", "Seconded teachers"), kind=Kind.INT
        ),
        Column("volunteers", pgettext_lazy("sheet column", "Volunteers"), kind=Kind.INT),
        Column("valid_to", pgettext_lazy("sheet column", "Ended on"), kind=Kind.DATE, width=12),
        _YEAR,
        Column("report", pgettext_lazy("sheet column", "Report filed"), width=10),
        Column(
            "rating_status",
            pgettext_lazy("sheet column", "Rating status"),
            kind=Kind.CHOICE,
            choices=RatingStatus.choices,
            width=16,
        ),
        Column(
            "rating_total",
            pgettext_lazy("sheet column", "Total score"),
            kind=Kind.DECIMAL,
            width=10,
        ),
        Column("band", pgettext_lazy("sheet column", "Band"), width=12),
    ],
    instructions=[_EXPORT_ONLY],
)

UNITS = SheetSpec(
    name=_("Units and figures"),
    kind_code="export-units",
    columns=[
        Column("admin_code", pgettext_lazy("sheet column", "Official code"), width=10),
        Column("name", pgettext_lazy("sheet column", "Unit"), width=30),
        Column(
            "level",
            pgettext_lazy("sheet column", "Level"),
            kind=Kind.CHOICE,
            choices=Level.choices,
            width=12,
        ),
        Column("parent", pgettext_lazy("sheet column", "Parent unit"), width=26),
        _VALID_FROM,
        _VALID_UNTIL,
        _YEAR,
        Column("members", pgettext_lazy("sheet column", "Members"), kind=Kind.INT),
        Column("population", pgettext_lazy("sheet column", "Population"), kind=Kind.INT),
        Column("households", pgettext_lazy("sheet column", "Households"), kind=Kind.INT),
        Column("branches", pgettext_lazy("sheet column", "Branches"), kind=Kind.INT),
        Column("boards", pgettext_lazy("sheet column", "Boards"), kind=Kind.INT),
        Column(
            "ratio", pgettext_lazy("sheet column", "Members per 100 inhabitants"), kind=Kind.DECIMAL
        ),
    ],
    instructions=[
        _EXPORT_ONLY,
        _(
            "Figures are those each commune entered for the year; districts and the province "
            "add up their communes in the reports."
        ),
    ],
)
