"""Read-only admin: every change goes through centers.services (the portal's own pages)."""

from django.contrib import admin

from .models import (
    CenterChange,
    CenterEvidence,
    CenterRating,
    CenterRatingEvent,
    CenterYearReport,
    LearningCenter,
    RatingScheme,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LearningCenter)
class LearningCenterAdmin(ReadOnlyAdmin):
    list_display = ["name", "commune", "valid_from", "valid_to"]
    search_fields = ["name"]
    list_select_related = ["commune"]


@admin.register(CenterChange)
class CenterChangeAdmin(ReadOnlyAdmin):
    list_display = ["predecessor", "successor", "date"]


@admin.register(CenterYearReport)
class CenterYearReportAdmin(ReadOnlyAdmin):
    list_display = ["center", "year", "commune"]
    list_filter = ["year"]
    list_select_related = ["center", "commune"]


@admin.register(RatingScheme)
class RatingSchemeAdmin(ReadOnlyAdmin):
    list_display = ["name", "key", "version", "year_from", "year_to", "provisional", "is_active"]


@admin.register(CenterRating)
class CenterRatingAdmin(ReadOnlyAdmin):
    list_display = ["center", "year", "status", "total", "band"]
    list_filter = ["year", "status"]
    list_select_related = ["center", "band"]


@admin.register(CenterRatingEvent)
class CenterRatingEventAdmin(ReadOnlyAdmin):
    list_display = ["rating", "action", "from_status", "to_status", "actor", "at"]


@admin.register(CenterEvidence)
class CenterEvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "rating", "content_type", "size", "uploaded_at"]
