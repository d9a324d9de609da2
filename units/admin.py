from django.contrib import admin

from .models import AuditEntry, Membership, Unit, UnitChange, UnitYearFigures, Village


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "admin_code", "valid_from", "valid_to", "path"]
    list_filter = ["level", "kind"]
    search_fields = ["name", "admin_code"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path", "depth"]


@admin.register(UnitChange)
class UnitChangeAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "kind", "date", "legal_basis"]
    list_filter = ["kind", "date"]
    raw_id_fields = ["predecessor", "successor"]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune"]
    search_fields = ["name"]
    raw_id_fields = ["commune"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    raw_id_fields = ["user", "unit"]


@admin.register(UnitYearFigures)
class UnitYearFiguresAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "members", "population"]
    list_filter = ["year"]
    raw_id_fields = ["unit"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target"]
    list_filter = ["action"]
    readonly_fields = ["at", "actor", "action", "unit", "target", "changes"]
