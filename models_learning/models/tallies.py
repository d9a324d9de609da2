"""The registrations counted ahead (RegistrationTally): how many files a year, commune,
title and step hold, kept by the database itself (models_learning/tally.py), so that the
yearly report, the dashboard and the inbox add up a few rows per commune instead of counting a
national year's ten million files on every page view."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from ..workflow import Status
from .criteria import ModelKind


class RegistrationTally(models.Model):
    """`files` registrations of `year`, filed under `unit`, for title `kind`, at `status`
    (returned for correction or not, waiting at `awaiting_unit` when proposed).

    The database writes these rows, never the portal: a trigger on the registrations adds a
    row of +n or -n for every statement that adds, moves or removes files (a delta, so that
    two officers writing at once never wait on one shared counter), and `tally.merge`
    folds the deltas of a key into one merged row. A key's count is the sum of its rows.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("title"), max_length=20, choices=ModelKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    is_returned = models.BooleanField(_("returned for correction"))
    awaiting_unit = models.ForeignKey(
        Unit,
        verbose_name=_("waiting at"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    files = models.IntegerField(_("files"))
    # False for a trigger's delta, True for the one row `tally.merge` left for its key.
    merged = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("registrations counted")
        verbose_name_plural = _("registrations counted")
        indexes = [
            models.Index(fields=["year", "unit", "kind", "status"], name="ml_tally_year_unit"),
            models.Index(fields=["status", "awaiting_unit"], name="ml_tally_awaiting"),
            models.Index(fields=["id"], condition=models.Q(merged=False), name="ml_tally_to_merge"),
        ]

    def __str__(self):
        return f"{self.year} {self.unit_id} {self.kind} {self.status}: {self.files}"
