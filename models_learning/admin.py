"""Admin for superusers: reading and repairing data. Workflow changes go through the portal."""

from django.contrib import admin

from .models import (
    Clan,
    CriteriaSet,
    Criterion,
    Evidence,
    Household,
    HouseholdMember,
    Organisation,
    Recognition,
    Registration,
    RegistrationEvent,
    Score,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["number", "title", "max_points", "required", "min_points", "provisional"]


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "valid_from_year", "valid_to_year", "version", "is_current"]
    list_filter = ["kind", "is_current", "provisional", "is_frozen"]
    search_fields = ["name", "code"]
    readonly_fields = ["is_frozen", "version", "previous_version"]
    inlines = [CriterionInline]


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["head_name", "head_birth_year", "village", "commune"]
    search_fields = ["head_name_normalised", "head_name"]
    raw_id_fields = ["commune", "village"]
    inlines = [HouseholdMemberInline]


@admin.register(Clan)
class ClanAdmin(admin.ModelAdmin):
    list_display = ["surname", "branch", "representative", "commune"]
    search_fields = ["name_normalised"]
    raw_id_fields = ["commune", "communes"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune"]
    list_filter = ["kind"]
    search_fields = ["name_normalised"]
    raw_id_fields = ["commune"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ScoreInline(ReadOnlyInline):
    model = Score


class EventInline(ReadOnlyInline):
    model = RegistrationEvent
    fields = ["at", "action", "from_status", "to_status", "level", "actor", "reason"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-only: statuses move only through the services, which log every step."""

    list_display = ["subject_name", "kind", "year", "unit", "status", "total_score"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["search_text"]
    inlines = [ScoreInline, EventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ["certificate_code", "decision_number", "decision_date", "issuing_unit"]
    search_fields = ["certificate_code", "decision_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "size", "registration", "uploaded_at"]
    raw_id_fields = ["registration"]
    readonly_fields = ["file", "content_type", "size"]
