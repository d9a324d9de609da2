"""Reading a batch's file row by row, checking (preview) and importing.

Both passes stream the file (lib.sheets.open_sheet: flat memory whatever its length) and
run every valid row through the kind's importer, with the rules of the services.

An importer that can (`prepare`: households) takes the file in chunks of IMPORT_CHUNK_ROWS rows
(settings, 1,000): it reads what the rules need for the whole chunk in a few queries, decides
each row in Python with the same rule functions as the forms (`apply`), and writes the decided
rows at once (`write`: bulk_create / bulk_update, the history events included). Any other
importer (or IMPORT_CHUNK_ROWS = 0) takes the rows one by one through the services, each in
a savepoint.

- `check` decides every row and writes nothing: chunks are decided and dropped; rows one by
  one run inside a savepoint that is always rolled back. A row repeating another is refused
  before any rule, so what the check says of each row is what the import will do.
- `apply` with `ImportMode.ALL` runs in ONE transaction: any refused row rolls the whole
  import back. With `ImportMode.VALID` the refused rows are skipped and reported, and each
  chunk is its own transaction (rows one by one: one transaction for the file). A decided row
  that fails as it is written (a constraint held: someone registered the same household
  meanwhile) is reported, and its chunk written without it. Another import has its own
  transactions: one failing never touches another.

The data may have changed between the check and the import: `apply` decides every row again.
"""

import contextlib
from collections import Counter

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    DataError,
    IntegrityError,
    connection,
    connections,
    transaction,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.models import Job
from lib.dates import one_day
from lib.errors import DomainError
from lib.sheets import SheetError, open_sheet
from lib.sheets.package import Source, open_workbook
from lib.sheets.problems import file_problem
from lib.text import normalise
from transfers.models import INTERRUPTED, ImportBatch, ImportMode, ImportStatus
from units.services import audit

from .context import ImportContext
from .importers import Outcome
from .kinds import KINDS, may_import

# At most this many problems are kept with a batch (all are counted).
MAX_PROBLEMS = 1000
PROGRESS_EVERY = 250
INVALID = "invalid"
# What a chunk's write may meet that is the row's, not the server's: a constraint that held
# (the data changed since the chunk was read), a value the column refuses, a row whose
# household another row of the chunk failed to write.
WRITE_ERRORS = (IntegrityError, DataError, ValueError)


class ProblemLog:
    """Problems by sheet, row and column, as shown on the batch page; capped, all counted."""

    def __init__(self, cap=MAX_PROBLEMS):
        self.cap = cap
        self.items = []
        self.count = 0

    def add(self, sheet, row, column, message):
        self.count += 1
        if len(self.items) < self.cap:
            message = str(message)
            # Cell problems are written to follow "Row 5, column X:"; a table cell starts afresh.
            message = message[:1].upper() + message[1:]
            self.items.append({"sheet": sheet, "row": row, "column": column, "message": message})

    def add_problem(self, problem):
        self.add(
            problem.sheet, problem.row, problem.column_header, problem.detail or problem.message
        )


class _Stop(Exception):
    """Roll an ALL-mode import back: a row was refused."""


def _file_source(batch):
    return batch.file.path


def estimate_rows(batch, sheet):
    """The number of data rows the sheet declares (for the progress bar; may be off)."""
    with (
        contextlib.suppress(SheetError, KeyError, TypeError),
        open_workbook(Source(_file_source(batch))) as book,
    ):
        declared = book[sheet.title].max_row or 0
        return max(declared - sheet.header_row, 0)
    return 0


class _Run:
    """One pass over a batch's file."""

    def __init__(self, batch, progress=None):
        self.batch = batch
        self.kind = KINDS[batch.kind]
        self.context = ImportContext(batch.unit, batch.requested_by)
        self.log = ProblemLog()
        self.counts = Counter()
        self.progress = progress or (lambda done, total=None: None)
        self.sheet = None
        self.importer = None
        self.done = 0

    def open(self):
        """The checked sheet; SheetError when the file (or the person's right) is refused."""
        if not may_import(self.batch.requested_by, self.batch.unit, self.batch.kind):
            raise SheetError(
                [file_problem(_("You may not import into %(unit)s.") % {"unit": self.batch.unit})]
            )
        spec = self.kind.spec(self.context)
        self.sheet = open_sheet(
            _file_source(self.batch),
            spec,
            max_bytes=settings.IMPORT_MAX_BYTES,
            max_rows=settings.IMPORT_MAX_ROWS,
            choices_context=self.context,
        )
        return self.sheet

    def rows(self, total):
        """(row, ok) for every data row; reading problems and in-file duplicates are logged.

        Two rows are the same thing when their kind's key columns hold the same values, texts
        compared without case or accents (an empty birth year counts as a value)."""
        rows = self.sheet.rows(unique_by=self.kind.key_columns, same=normalise)
        for done, row in enumerate(rows, start=1):
            self.counts["total"] += 1
            for problem in row.problems:
                self.log.add_problem(problem)
            yield row, not row.problems
            if done % PROGRESS_EVERY == 0:
                self.progress(done, max(total, done))

    def chunk_rows(self):
        """How many rows a chunk holds; 0 when the importer takes rows one by one."""
        if not hasattr(self.importer, "prepare"):
            return 0
        return max(int(getattr(settings, "IMPORT_CHUNK_ROWS", 1000)), 0)

    def chunks(self, size):
        """Lists of `size` rows (the last one shorter), read as they come."""
        chunk = []
        for row in self.sheet.rows(unique_by=self.kind.key_columns, same=normalise):
            self.counts["total"] += 1
            chunk.append(row)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def decide(self, chunk, total, *, writing=True):
        """[(row, outcome, plan)] for the chunk's rows in order: the chunk read at once
        (`prepare`), then each row decided; a refused row is logged, its outcome None."""
        importer = self.importer
        importer.prepare([row.values for row in chunk if not row.problems], writing=writing)
        decided = []
        for row in chunk:
            outcome = plan = None
            for problem in row.problems:
                self.log.add_problem(problem)
            if not row.problems:
                try:
                    outcome = importer.apply(row.values)
                    plan = importer.take_plan()
                except DomainError as error:
                    self.refuse_row(row, error)
            decided.append((row, outcome, plan))
            self.done += 1
            if self.done % PROGRESS_EVERY == 0:
                self.progress(self.done, max(total, self.done))
        return decided

    def write(self, decided):
        """Write the plans of `decided` rows; returns them with the outcome of each row whose
        plan could not be written set to None (refused and logged), the others written."""
        failed = {row.number for row in self._write([(r, p) for r, _o, p in decided if p])}
        return [(row, None if row.number in failed else outcome) for row, outcome, _p in decided]

    def _write(self, items):
        """Write `items` in a savepoint; when that fails, each half again, down to the rows
        that fail alone. Returns those rows, refused."""
        if not items:
            return []
        try:
            with transaction.atomic():
                self.importer.write([plan for _row, plan in items])
            return []
        except WRITE_ERRORS as error:
            if len(items) > 1:
                middle = len(items) // 2
                return self._write(items[:middle]) + self._write(items[middle:])
            row, plan = items[0]
            refusal = self.importer.refusal(plan) or DomainError(
                _(
                    "This row could not be saved (%(error)s): the portal's data changed "
                    "meanwhile. Check the file again."
                )
                % {"error": str(error)[:200]}
            )
            self.refuse_row(row, refusal)
            return [row]

    def refuse_row(self, row, error):
        field = error.field
        column = self.sheet.headers.get(field) if field else None
        self.log.add(self.sheet.title, row.number, column, str(error.message))

    def apply_row(self, importer, row):
        """Run the row's service calls in a savepoint; its Outcome, or None if refused."""
        try:
            with transaction.atomic():
                return importer.apply(row.values)
        except DomainError as error:
            self.refuse_row(row, error)
            return None

    def try_row(self, importer, row):
        """As `apply_row`, but the savepoint is always rolled back: nothing stays written."""
        try:
            with transaction.atomic():
                outcome = importer.apply(row.values)
                transaction.set_rollback(True)
                return outcome
        except DomainError as error:
            self.refuse_row(row, error)
            return None


def _refused(batch, error, status):
    log = ProblemLog()
    for problem in error.problems:
        log.add_problem(problem)
    batch.problems = log.items
    batch.problem_count = log.count
    batch.status = status
    return batch


@one_day()
def check(batch, *, progress=None):
    """The preview: every row decided with the rules and nothing written; counts and problems.

    Leaves the batch READY (or REFUSED when the file as a whole cannot be used).
    """
    run = _Run(batch, progress)
    try:
        sheet = run.open()
        total = estimate_rows(batch, sheet)
        run.progress(0, total)
        run.importer = run.kind.importer(run.context)
        size = run.chunk_rows()
        if size:
            for chunk in run.chunks(size):
                for _row, outcome, _plan in run.decide(chunk, total, writing=False):
                    run.counts[outcome or INVALID] += 1
        else:
            for row, ok in run.rows(total):
                outcome = run.try_row(run.importer, row) if ok else None
                run.counts[outcome or INVALID] += 1
    except SheetError as error:
        _refused(batch, error, ImportStatus.REFUSED)
        batch.counts = {}
    else:
        batch.counts = {
            "total": run.counts["total"],
            **{name: run.counts[name] for name in (*Outcome, INVALID)},
        }
        batch.problems = run.log.items
        batch.problem_count = run.log.count
        batch.status = ImportStatus.READY
        run.progress(run.counts["total"], run.counts["total"])
    batch.checked_at = timezone.now()
    batch.save(update_fields=["counts", "problems", "problem_count", "status", "checked_at"])
    return batch


def _count(run, outcome):
    if outcome is None:
        run.counts["skipped"] += 1
        return True
    run.counts[outcome] += 1
    return False


def _import_rows(run, mode, total):
    """Decide and write every row; True when a row was refused. In chunks with
    ImportMode.VALID each chunk is its own transaction (the caller holds none); otherwise the
    caller's transaction holds them all."""
    refused = False
    size = run.chunk_rows()
    if not size:
        for row, ok in run.rows(total):
            refused |= _count(run, run.apply_row(run.importer, row) if ok else None)
        return refused
    own = transaction.atomic if mode == ImportMode.VALID else contextlib.nullcontext
    for chunk in run.chunks(size):
        with own():
            for _row, outcome in run.write(run.decide(chunk, total)):
                refused |= _count(run, outcome)
        if mode == ImportMode.VALID:
            run.kept = run.counts["total"]  # committed
    return refused


@one_day()
def apply(batch, *, progress=None):
    """The import itself (see the module's docstring). Returns the batch, IMPORTED with
    `result`, or FAILED with the problems that stopped it."""
    mode = batch.mode or ImportMode.ALL
    total = batch.count("total")
    run = _Run(batch, progress)
    run.kept = 0
    try:
        run.open()
        run.importer = run.kind.importer(run.context)
        chunked_valid = mode == ImportMode.VALID and run.chunk_rows()
        with contextlib.nullcontext() if chunked_valid else transaction.atomic():
            refused = _import_rows(run, mode, total)
            if refused and mode == ImportMode.ALL:
                raise _Stop
            result = {name: run.counts[name] for name in (*Outcome, "skipped")}
            audit(
                by=batch.requested_by,
                action=f"import.{batch.kind}",
                target=batch,
                unit=batch.unit,
                changes={"file": batch.original_name, "mode": mode, **result},
            )
    except SheetError as error:
        _refused(batch, error, ImportStatus.FAILED)
        if run.kept:
            batch.message = _(
                "The file could not be read again to its end: its first %(count)s rows were "
                "imported (their valid ones). Import the file again to finish: rows already "
                "in the portal stay unchanged."
            ) % {"count": run.kept}
        else:
            batch.message = _("The file could not be read again: nothing was imported.")
    except _Stop:
        batch.status = ImportStatus.FAILED
        batch.problems = run.log.items
        batch.problem_count = run.log.count
        batch.message = _(
            "Some rows are no longer valid (the portal's data changed since the check): "
            "nothing was imported. Correct them and upload the file again, or import only "
            "the valid rows of a new upload."
        )
    else:
        batch.status = ImportStatus.IMPORTED
        batch.result = result
        batch.problems = run.log.items
        batch.problem_count = run.log.count
        batch.message = ""
    batch.imported_at = timezone.now()
    batch.save(
        update_fields=["status", "result", "problems", "problem_count", "message", "imported_at"]
    )
    if progress is not None:
        progress(run.counts["total"], run.counts["total"])
    return batch


def fail(batch, message):
    """Record an unexpected failure (a bug): nothing was written."""
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.FAILED, message=message[:2000], imported_at=timezone.now()
    )


CHECK, IMPORT = "check", "import"


def _interrupted_message(step, mode=None):
    if step == CHECK:
        return _(
            "The check of this file was interrupted (the server or its database restarted) "
            "before it finished. Nothing was imported. Check the file again from the start."
        )
    if mode == ImportMode.VALID:
        return _(
            "The import of this file was interrupted (the server or its database restarted) "
            "before it finished. The rows imported before the interruption were kept. Import "
            "the file again from the start to finish it: rows already in the portal stay "
            "unchanged."
        )
    return _(
        "The import of this file was interrupted (the server or its database restarted) "
        "before it finished, and nothing of it was kept. Import the file again from the "
        "start: rows already in the portal stay unchanged."
    )


def interrupt(batches):
    """Record that the busy batches among `batches` were cut off (their worker or server died,
    the database went away): FAILED, with the step to run again (ImportBatch.interrupted_step).
    Nothing of a cut-off step stays written: a check writes nothing, an import is one
    transaction. Returns how many were marked."""
    marked = 0
    for batch in batches.filter(status__in=[ImportStatus.CHECKING, ImportStatus.IMPORTING]):
        step = CHECK if batch.status == ImportStatus.CHECKING else IMPORT
        marked += ImportBatch.objects.filter(pk=batch.pk, status=batch.status).update(
            status=ImportStatus.FAILED,
            message=_interrupted_message(step, batch.mode),
            result={INTERRUPTED: step},
            imported_at=timezone.now(),
        )
    return marked


@contextlib.contextmanager
def job_progress(job, fallback):
    """A progress callback whose updates others see while the import's transaction is open.

    On PostgreSQL, when started outside any transaction (a real worker), the job row is
    updated through a second connection in autocommit mode; otherwise `fallback` is used
    (the bar then moves at the end, or between rows of a check, which commits as it goes).
    """
    if job is None or connection.vendor != "postgresql" or connection.in_atomic_block:
        yield fallback
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    table = connection.ops.quote_name(Job._meta.db_table)

    def report(done, total=None):
        now = timezone.now()
        with side.cursor() as cursor:
            if total is None:
                cursor.execute(
                    f"UPDATE {table} SET done = %s, heartbeat_at = %s WHERE id = %s",
                    [done, now, job.pk],
                )
            else:
                cursor.execute(
                    f"UPDATE {table} SET done = %s, total = %s, heartbeat_at = %s WHERE id = %s",
                    [done, total, now, job.pk],
                )

    try:
        yield report
    finally:
        side.close()
