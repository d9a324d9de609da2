"""A row of the learning citizens' sheet -> `citizens.services.record_result` (source:
imported), as the person importing. Kept apart and small: the engine that runs it is shared."""

from django.utils.translation import gettext as _

from citizens import services as citizen_services
from citizens.models import CitizenResult, Source
from lib.errors import DomainError
from lib.text import normalise
from models_learning.models import HouseholdMember

from .importers import Importer, Outcome


class CitizenImporter(Importer):
    """One adult of the commune's households (by the number the portal wrote, checked against
    the name) and their result of the row's year; an empty result is a person not assessed."""

    def apply(self, values):
        self.check_commune(values)
        member = (
            HouseholdMember.objects.select_related("household__commune")
            .filter(pk=values["member"], household__commune=self.unit)
            .first()
        )
        if member is None:
            raise DomainError(
                _(
                    "No person numbered %(number)s in the households of %(unit)s: keep the "
                    "number the portal wrote, or delete the row."
                )
                % {"number": values["member"], "unit": self.unit.name},
                "member",
            )
        if normalise(member.name) != normalise(values["name"]):
            raise DomainError(
                _("Person %(number)s is %(name)s in the portal, not “%(given)s”.")
                % {"number": member.pk, "name": member.name, "given": values["name"]},
                "name",
            )
        if values["achieved"] is None:
            return Outcome.UNCHANGED
        if values["digital"] is None:
            raise DomainError(_("Say whether the person has digital skills."), "digital")
        achieved, digital = values["achieved"] == "yes", values["digital"] == "yes"
        existing = CitizenResult.objects.filter(member=member, year=values["year"]).first()
        if existing is not None and (existing.achieved, existing.digital_skills) == (
            achieved,
            digital,
        ):
            return Outcome.UNCHANGED
        citizen_services.record_result(
            member,
            by=self.by,
            year=values["year"],
            achieved=achieved,
            digital_skills=digital,
            source=Source.IMPORTED,
        )
        return Outcome.NEW if existing is None else Outcome.UPDATED
