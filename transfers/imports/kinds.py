"""What can be imported, and by whom where.

Each kind has its sheet (`spec_for(context)`), its importer, the columns that make two rows of
one file the same thing (a row repeating another is refused, not imported twice), and the
name of its template file.

Who imports where: the same rule as the forms, since the rows go through the same services.
Each kind names the roles that may import it (`roles`): the officer for registrations,
centres and learning citizens, the fund keeper for the funds' receipts and award lists. One
imports into the current communes of the subtree where one holds such a role (a commune
officer into their commune; province staff holding it anywhere in the province); the
services check it again for every row.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from units.models import Level, Role, Unit
from units.scoping import scope_of, under_paths

from . import citizen_importer, citizen_spec, fund_sheets, importers, specs, staff_sheet


@dataclass(frozen=True)
class ImportKind:
    code: str
    label: Any
    description: Any
    spec_for: Any  # context -> SheetSpec
    importer: type
    key_columns: tuple  # a row repeating these columns of an earlier row is a duplicate
    filename: str
    roles: tuple = (Role.OFFICER,)  # who may import it (in the communes of their subtree)

    def spec(self, context):
        return self.spec_for(context)


KINDS = {
    kind.code: kind
    for kind in (
        ImportKind(
            code="households",
            label=_("Learning families"),
            description=_("Households and their registration for a year."),
            spec_for=lambda context: specs.HOUSEHOLDS,
            importer=importers.HouseholdImporter,
            key_columns=("head_name", "head_birth_year", "village", "year"),
            filename="gia-dinh-hoc-tap",
        ),
        ImportKind(
            code="clans",
            label=_("Learning clans"),
            description=_("Clans (or clan branches) and their registration for a year."),
            spec_for=lambda context: specs.CLANS,
            importer=importers.ClanImporter,
            key_columns=("surname", "branch", "year"),
            filename="dong-ho-hoc-tap",
        ),
        ImportKind(
            code="communities",
            label=_("Learning communities"),
            description=_("Villages registering as learning communities for a year."),
            spec_for=lambda context: specs.COMMUNITIES,
            importer=importers.CommunityImporter,
            key_columns=("village", "year"),
            filename="cong-dong-hoc-tap",
        ),
        ImportKind(
            code="center-reports",
            label=_("Centre activity reports"),
            description=_("The yearly figures of the commune's learning centres."),
            spec_for=lambda context: specs.CENTER_REPORTS,
            importer=importers.CenterReportImporter,
            key_columns=("center", "year"),
            filename="bao-cao-tthtcd",
        ),
        ImportKind(
            code="center-scores",
            label=_("Centre self-assessments"),
            description=_("The commune's own scores of its learning centres for a year."),
            spec_for=lambda context: specs.center_scores_spec(context.scheme),
            importer=importers.CenterScoresImporter,
            key_columns=("center", "year"),
            filename="tu-danh-gia-tthtcd",
        ),
        ImportKind(
            code="fund-receipts",
            label=_("Fund receipts"),
            description=_("Receipts (phiếu thu) of the commune's study-promotion funds."),
            spec_for=lambda context: fund_sheets.RECEIPTS,
            importer=fund_sheets.ReceiptImporter,
            key_columns=("fund", "voucher"),
            filename="phieu-thu-quy-khuyen-hoc",
            roles=(Role.TREASURER,),
        ),
        ImportKind(
            code="fund-recipients",
            label=_("Award recipients"),
            description=_("Pupils, students and teachers on an award or scholarship list."),
            spec_for=lambda context: fund_sheets.RECIPIENTS,
            importer=fund_sheets.RecipientImporter,
            key_columns=("programme", "name", "school"),
            filename="danh-sach-khen-thuong",
            roles=(Role.TREASURER,),
        ),
        ImportKind(
            code="citizens",
            label=_("Learning citizens"),
            description=_("Results of a village's adults, on the sheet the portal wrote."),
            spec_for=lambda context: citizen_spec.CITIZENS,
            importer=citizen_importer.CitizenImporter,
            key_columns=("member", "year"),
            filename="cong-dan-hoc-tap",
        ),
        ImportKind(
            code="staff",
            label=_("Staff of organisations"),
            description=_("The staff lists of the commune's organisations."),
            spec_for=lambda context: staff_sheet.STAFF,
            importer=staff_sheet.StaffImporter,
            key_columns=("organisation", "name", "birth_year"),
            filename="nhan-su-don-vi",
        ),
    )
}


def kind_choices():
    return [(kind.code, kind.label) for kind in KINDS.values()]


def importable_communes(user, kind=None):
    """Current communes `user` may import `kind` into (any kind when None): those of the
    subtrees where they hold one of its roles."""
    if kind in KINDS:
        roles = set(KINDS[kind].roles)
    else:
        roles = {role for import_kind in KINDS.values() for role in import_kind.roles}
    communes = Unit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True)
    scope = scope_of(user)
    if not scope.is_superuser:
        paths = [m.unit.path for m in scope.memberships if m.role in roles]
        if not paths:
            return communes.none()
        communes = communes.filter(under_paths(paths))
    return communes.order_by("name", "pk")


def may_import(user, unit, kind=None):
    return importable_communes(user, kind).filter(pk=unit.pk).exists()
