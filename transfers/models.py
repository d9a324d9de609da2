from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.storage import private_storage


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    REFUSED = "refused", _("Refused")
    READY = "ready", _("Checked")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Not imported")


# The key of ImportBatch.result naming the step ("check", "import") that was interrupted.
INTERRUPTED = "interrupted"


class ImportMode(models.TextChoices):
    ALL = "all", _("All rows")
    VALID = "valid", _("Valid rows only")


class ImportBatch(models.Model):
    """One uploaded spreadsheet: its check (preview) and, once the person chose, its import.

    The file stays in private storage. `counts` holds the preview's new / updated / unchanged /
    invalid rows, `problems` the first problems found (by sheet, row and column), `result`
    what the import wrote. Nothing is written to the portal's data before the person chooses
    to import (transfers.imports).
    """

    kind = models.CharField(_("kind"), max_length=30)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    # An import is a record of who loaded which rows into the portal: accounts are deactivated,
    # never deleted, so deleting one that imported is refused (it used to take its imports along).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    counts = models.JSONField(_("rows"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("problems found"), default=0)
    mode = models.CharField(
        _("rows imported"), max_length=5, choices=ImportMode.choices, blank=True
    )
    result = models.JSONField(_("result"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("background job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        db_table = "khuyenhoc_importbatch"
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="import_by_user"),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    def count(self, name):
        return int(self.counts.get(name, 0))

    @property
    def is_busy(self):
        return self.status in {ImportStatus.CHECKING, ImportStatus.IMPORTING}

    @property
    def interrupted_step(self):
        """ "check" or "import" when that step was cut off (its worker or server died, the
        database went away) and can be run again from the start; else None."""
        if self.status != ImportStatus.FAILED:
            return None
        return self.result.get(INTERRUPTED)

    @property
    def shown_status(self):
        """The status a page shows: "interrupted" for a step that may be run again."""
        return "interrupted" if self.interrupted_step else self.status

    @property
    def shown_status_label(self):
        return _("Interrupted") if self.interrupted_step else self.get_status_display()
