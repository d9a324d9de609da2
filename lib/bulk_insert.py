"""Inserting many new rows of one model at once: COPY on PostgreSQL, bulk_create elsewhere.

`bulk_create` spends most of its time in Python, preparing every value of every object
through its field. An import writes thousands of households, registrations and events a
second; on PostgreSQL `insert_many` takes their ids from the table's sequence in one query and
streams the rows with COPY, in the text format, converting each value by its type. What
Model.save() would do before an insert is done here too: `pre_save` of every field (auto_now,
auto_now_add) and the ids of the related objects assigned before (a household saved in the same
chunk). Fields with a database default that the model does not set are not supported: every
concrete field is written.
"""

import datetime
import decimal
import io
import json
import uuid

from django.db import DEFAULT_DB_ALIAS, connections

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value):
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int | float | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).translate(_ESCAPES)


def _related_ids(model, objs):
    """What `_prepare_related_fields_for_save` does: a related object saved since it was
    assigned gives its id now; an unsaved one is refused."""
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert_many")


def insert_many(model, objs, *, ids=True, using=DEFAULT_DB_ALIAS):
    """Insert the new `objs` of `model`, their primary keys set as bulk_create sets them
    (on PostgreSQL, `ids=False` leaves them unset and saves the query that takes them)."""
    objs = list(objs)
    if not objs:
        return objs
    connection = connections[using]
    if connection.vendor != "postgresql":
        return model.objects.using(using).bulk_create(objs)
    _related_ids(model, objs)
    meta = model._meta
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        if ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objs)],
            )
            pks = [row[0] for row in cursor.fetchall()]
            fields = [meta.pk, *fields]
            for obj, pk in zip(objs, pks, strict=True):
                obj.pk = pk
        lines = []
        for obj in objs:
            values = []
            for field in fields:
                value = field.pre_save(obj, add=True)
                if field.get_internal_type() == "JSONField" and value is not None:
                    value = json.dumps(value, ensure_ascii=False, cls=field.encoder)
                values.append(_text(value))
            lines.append("\t".join(values))
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        data = io.StringIO("\n".join(lines) + "\n")
        with connection.wrap_database_errors:  # IntegrityError as Django names it
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", data)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return objs
