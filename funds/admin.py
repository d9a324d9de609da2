"""Read-only admin: a posted entry is never changed or deleted, anywhere (funds.services)."""

from django.contrib import admin

from lib.admin import ReadOnlyAdmin

from .models import AwardProgramme, Entry, Fund, Period, PeriodEvent, Recipient


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "kind", "balance", "ended_on", "demo"]
    list_select_related = ["unit"]
    search_fields = ["name"]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["voucher", "fund", "date", "kind", "category", "amount", "counterparty"]
    list_filter = ["kind", "year", "category"]
    list_select_related = ["fund"]
    # Not the file itself: private files have no URL (funds:entry-evidence serves them).
    exclude = ["evidence"]


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ["fund", "year", "status", "opening_balance", "closing_balance"]
    list_filter = ["status", "year"]
    list_select_related = ["fund"]


@admin.register(PeriodEvent)
class PeriodEventAdmin(ReadOnlyAdmin):
    list_display = ["period", "action", "from_status", "to_status", "actor", "at"]


@admin.register(AwardProgramme)
class AwardProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["name", "fund", "year", "status"]


@admin.register(Recipient)
class RecipientAdmin(ReadOnlyAdmin):
    list_display = ["name", "programme", "amount"]
