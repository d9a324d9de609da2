"""Admin for superusers. Units, villages and lineage links are added and changed through
units.services, like in the portal (checked, placed in the tree, audited); the rest is
read-only, its changes made on the portal's pages. Nothing is deleted here."""

from django.contrib import admin

from lib.admin import ReadOnlyAdmin, ServiceAdmin

from . import services
from .models import AuditEntry, Membership, Unit, UnitChange, UnitYearFigures, Village

UNIT_FIELDS = [
    "name",
    "level",
    "kind",
    "division_type",
    "admin_code",
    "admin_code_is_local",
    "parent",
    "valid_from",
    "valid_to",
    "note",
]


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    list_display = ["name", "level", "admin_code", "valid_from", "valid_to", "path"]
    list_filter = ["level", "kind"]
    search_fields = ["name", "admin_code"]
    raw_id_fields = ["parent"]
    fields = [*UNIT_FIELDS, "path", "depth"]
    readonly_fields = ["path", "depth"]

    def get_readonly_fields(self, request, obj=None):
        # A unit's level decides what may sit under it: it is set once, when it is added.
        return [*self.readonly_fields, "level"] if obj is not None else self.readonly_fields

    def create(self, request, data):
        return services.create_unit(by=request.user, **data)

    def update(self, request, obj, data):
        return services.update_unit(obj, by=request.user, **data)


@admin.register(UnitChange)
class UnitChangeAdmin(ServiceAdmin):
    list_display = ["predecessor", "successor", "kind", "date", "legal_basis"]
    list_filter = ["kind", "date"]
    raw_id_fields = ["predecessor", "successor"]
    fields = ["predecessor", "successor", "kind", "date", "legal_basis", "note"]

    def create(self, request, data):
        return services.record_change(by=request.user, **data)


@admin.register(Village)
class VillageAdmin(ServiceAdmin):
    list_display = ["name", "kind", "commune", "valid_to"]
    search_fields = ["name"]
    raw_id_fields = ["commune"]
    fields = ["commune", "name", "kind", "valid_to"]

    def get_readonly_fields(self, request, obj=None):
        return ["commune"] if obj is not None else []

    def create(self, request, data):
        return services.add_village(
            data["commune"], by=request.user, name=data["name"], kind=data["kind"]
        )

    def update(self, request, obj, data):
        return services.update_village(
            obj, by=request.user, name=data["name"], kind=data["kind"], valid_to=data["valid_to"]
        )


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]


@admin.register(UnitYearFigures)
class UnitYearFiguresAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "members", "population"]
    list_filter = ["year"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "target"]
    list_filter = ["action"]
    search_fields = ["target"]
