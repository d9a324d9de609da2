"""The staff list of a commune's organisations (nhân sự các đơn vị, for the learning-citizen
shares of QĐ 677/QĐ-TTg): the sheet, and its rows -> `citizens.staff` (add or correct), as
the person importing. Kept apart and small: the engine that runs it is shared."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from citizens import staff as staff_services
from citizens.models import StaffMember
from lib.dates import this_year
from lib.errors import DomainError
from lib.sheets import Column, Kind, SheetSpec
from lib.text import nfc, normalise
from models_learning.models import Organisation

from .importers import Importer, Outcome
from .specs import COMMUNE

STAFF = SheetSpec(
    name=gettext_lazy("Staff of organisations"),
    kind_code="staff",
    columns=[
        Column(
            "organisation",
            pgettext_lazy("sheet column", "Organisation"),
            required=True,
            max_length=255,
            help_text=gettext_lazy(
                "The organisation's name as in the portal (entered when it registered)."
            ),
            width=30,
        ),
        Column(
            "name", pgettext_lazy("sheet column", "Full name"), required=True, max_length=200,
            width=26,
        ),
        Column(
            "birth_year",
            pgettext_lazy("sheet column", "Year of birth"),
            kind=Kind.YEAR,
            min_value=1900,
            max_value=this_year,
            width=10,
        ),
        Column("position", pgettext_lazy("sheet column", "Position"), max_length=120, width=20),
        Column(
            "first_year",
            pgettext_lazy("sheet column", "On the staff since"),
            kind=Kind.YEAR,
            required=True,
            min_value=1950,
            max_value=this_year,
            width=12,
        ),
        Column(
            "last_year",
            pgettext_lazy("sheet column", "Left in"),
            kind=Kind.YEAR,
            min_value=1950,
            max_value=this_year,
            help_text=gettext_lazy("Empty while the person is on the staff."),
            width=10,
        ),
        COMMUNE,
    ],
)  # fmt: skip

FIELDS = ("birth_year", "position", "first_year", "last_year")


class StaffImporter(Importer):
    """One person of an organisation of the commune: found by the folded name and the year of
    birth, corrected when a detail differs, added when not found. Importing the same file again
    changes nothing."""

    def apply(self, values):
        self.check_commune(values)
        wanted = normalise(values["organisation"])
        organisation = Organisation.objects.filter(
            commune=self.unit, name_normalised=wanted
        ).first()
        if organisation is None:
            raise DomainError(
                _(
                    "%(unit)s has no organisation named “%(name)s”: write it as in the portal, "
                    "or register it first."
                )
                % {"unit": self.unit.name, "name": values["organisation"]},
                "organisation",
            )
        details = {
            "name": values["name"],
            "birth_year": values["birth_year"],
            "position": values["position"] or "",
            "first_year": values["first_year"],
            "last_year": values["last_year"],
        }
        existing = StaffMember.objects.filter(
            organisation=organisation,
            name_normalised=normalise(values["name"]),
            birth_year=values["birth_year"],
        ).first()
        if existing is None:
            staff_services.add_staff_member(organisation, by=self.by, **details)
            return Outcome.NEW
        same_name = existing.name == nfc(details["name"] or "").strip()  # as the service keeps it
        if same_name and all(getattr(existing, field) == details[field] for field in FIELDS):
            return Outcome.UNCHANGED
        staff_services.update_staff_member(existing, by=self.by, **details)
        return Outcome.UPDATED
