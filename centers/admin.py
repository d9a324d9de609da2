"""Read-only admin: every change goes through centers.services (the portal's own pages)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lib.admin import ReadOnlyAdmin

from .models import (
    CenterChange,
    CenterEvidence,
    CenterRating,
    CenterRatingEvent,
    CenterYearReport,
    LearningCenter,
    RatingScheme,
)


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
    # Not the file field itself: private files have no URL, so the admin's usual link to it
    # would fail; the download goes through the portal's view, which checks scope.
    fields = ["rating", "download", "content_type", "size", "description", "uploaded_by"]
    readonly_fields = ["download"]

    @admin.display(description=_("file"))
    def download(self, evidence):
        url = reverse("centers:evidence-download", args=[evidence.pk])
        return format_html('<a href="{}">{}</a>', url, evidence.original_name)
