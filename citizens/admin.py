"""Learning citizens in the admin: read only (every write goes through citizens.services)."""

from django.contrib import admin

from lib.admin import ReadOnlyAdmin

from .models import CitizenResult, SelfAssessment, StaffMember, VillageLink


@admin.register(CitizenResult)
class CitizenResultAdmin(ReadOnlyAdmin):
    list_display = (
        "member",
        "staff_member",
        "year",
        "commune",
        "village",
        "achieved",
        "digital_skills",
        "source",
    )
    list_filter = ("year", "achieved", "digital_skills", "source")
    list_select_related = ("member", "staff_member", "commune", "village")
    search_fields = ("member__name", "staff_member__name")
    raw_id_fields = ("member", "staff_member")


@admin.register(StaffMember)
class StaffMemberAdmin(ReadOnlyAdmin):
    list_display = ("name", "organisation", "position", "first_year", "last_year")
    list_select_related = ("organisation",)
    search_fields = ("name",)
    raw_id_fields = ("organisation",)


@admin.register(VillageLink)
class VillageLinkAdmin(ReadOnlyAdmin):
    list_display = ("village", "commune", "year", "created_at", "closed_at")
    list_select_related = ("village", "commune")
    exclude = ("token",)


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "birth_year", "commune", "status", "received_at")
    list_filter = ("status",)
    list_select_related = ("commune",)
