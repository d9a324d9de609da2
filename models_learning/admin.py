"""Admin for superusers: reading the data. Households are changed through
models_learning.services (so their registrations' copies follow); everything else is
read-only, its changes made on the portal's pages, where each is checked and logged. Nothing
is deleted here: registrations are withdrawn, history stays."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lib.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin

from . import services
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
from .services.subjects import HOUSEHOLD_FIELDS


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ["number", "title", "max_points", "required", "min_points", "provisional"]


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnlyAdmin):
    """Read-only: a set used by a registration is frozen; the portal's criteria pages make a
    new version instead of changing it (models_learning.services.update_criteria_set)."""

    list_display = ["name", "kind", "valid_from_year", "valid_to_year", "version", "is_current"]
    list_filter = ["kind", "is_current", "provisional", "is_frozen"]
    search_fields = ["name", "code"]
    inlines = [CriterionInline]


class HouseholdMemberInline(ReadOnlyInline):
    model = HouseholdMember


@admin.register(Household)
class HouseholdAdmin(ServiceAdmin):
    list_display = ["head_name", "head_birth_year", "village", "commune"]
    list_select_related = ["village", "commune"]
    search_fields = ["head_name_normalised", "head_name"]
    raw_id_fields = ["village"]
    fields = ["commune", *HOUSEHOLD_FIELDS]
    readonly_fields = ["commune"]
    inlines = [HouseholdMemberInline]

    def update(self, request, obj, data):
        return services.update_household(obj, by=request.user, **data)


@admin.register(Clan)
class ClanAdmin(ReadOnlyAdmin):
    list_display = ["surname", "branch", "representative", "commune"]
    list_select_related = ["commune"]
    search_fields = ["name_normalised"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "commune"]
    list_select_related = ["commune"]
    list_filter = ["kind"]
    search_fields = ["name_normalised"]


class ScoreInline(ReadOnlyInline):
    model = Score


class EventInline(ReadOnlyInline):
    model = RegistrationEvent
    fields = ["at", "action", "from_status", "to_status", "level", "actor", "reason"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    """Read-only: statuses move only through the services, which log every step."""

    list_display = ["subject_name", "kind", "year", "unit", "status", "total_score"]
    list_select_related = ["unit"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["search_text"]
    inlines = [ScoreInline, EventInline]


@admin.register(RegistrationEvent)
class RegistrationEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "registration", "action", "from_status", "to_status", "actor"]
    list_select_related = ["registration", "actor"]
    list_filter = ["action"]


@admin.register(Recognition)
class RecognitionAdmin(ReadOnlyAdmin):
    list_display = ["certificate_code", "decision_number", "decision_date", "issuing_unit"]
    list_select_related = ["issuing_unit"]
    search_fields = ["certificate_code", "decision_number"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "content_type", "size", "registration", "uploaded_at"]
    list_select_related = ["registration"]
    # Not the file field itself: private files have no URL, so the admin's usual link to it
    # would fail; the download goes through the portal's view, which checks scope.
    fields = [
        "registration",
        "download",
        "content_type",
        "size",
        "description",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = ["download", "uploaded_at"]

    @admin.display(description=_("file"))
    def download(self, evidence):
        url = reverse("models_learning:evidence-download", args=[evidence.pk])
        return format_html('<a href="{}">{}</a>', url, evidence.original_name)
