"""Loading the bench data fast: COPY with ids reserved beforehand, and the secondary indexes
set aside while loading and rebuilt once at the end (PostgreSQL)."""

import io
import time

from django.db import connection
from django.db.models import Max

from lib.bulk_insert import copy_text


def set_aside_indexes(tables, stdout):
    """Drop the non-unique indexes of `tables` (PostgreSQL): building them once at the end is
    several times faster than updating them row by row. Returns their definitions."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary",
            [list(tables)],
        )
        definitions = cursor.fetchall()
        for name, _definition in definitions:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    if definitions:
        stdout.write(f"  {len(definitions)} indexes set aside while loading")
    return definitions


def restore_indexes(definitions, stdout):
    if not definitions:
        return
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in definitions:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")
    stdout.write(f"  {len(definitions)} indexes rebuilt in {time.monotonic() - started:.1f} s")


class Writer:
    """Inserts rows given as {column: value} with ids reserved beforehand: COPY on
    PostgreSQL (several times faster than INSERT at a million rows), bulk_create elsewhere.
    Columns a row leaves out take the field's default."""

    def __init__(self):
        self.vendor = connection.vendor
        self.next_id = {}

    def reserve(self, model, count):
        """`count` new primary keys for `model` (a range), taken from its sequence (or above its
        max)."""
        if count == 0:
            return range(0)
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                    [table, table, count],
                )
                last = cursor.fetchone()[0]
                return range(last - count + 1, last + 1)
        if model not in self.next_id:
            self.next_id[model] = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        first = self.next_id[model]
        self.next_id[model] = first + count
        return range(first, first + count)

    def write_tuples(self, model, attnames, rows):
        """Rows as tuples in the order of `attnames` (every column the table needs): the
        fast path for rows made by the million."""
        if not rows:
            return
        if self.vendor != "postgresql":
            model.objects.bulk_create(
                [model(**dict(zip(attnames, row, strict=True))) for row in rows], batch_size=500
            )
            return
        fields = {f.attname: f.column for f in model._meta.concrete_fields}
        buffer = io.StringIO()
        buffer.writelines("\t".join(map(copy_text, row)) + "\n" for row in rows)
        buffer.seek(0)
        names = ", ".join(connection.ops.quote_name(fields[a]) for a in attnames)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN",
                buffer,
            )

    def write(self, model, rows):
        if not rows:
            return
        if self.vendor != "postgresql":
            model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
            return
        fields = list(model._meta.concrete_fields)
        columns = [f.column for f in fields]
        defaults = {f.attname: f.get_default() for f in fields if f.attname not in rows[0]}
        buffer = io.StringIO()
        for row in rows:
            values = (row.get(f.attname, defaults.get(f.attname)) for f in fields)
            buffer.write("\t".join(map(copy_text, values)))
            buffer.write("\n")
        buffer.seek(0)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN",
                buffer,
            )
