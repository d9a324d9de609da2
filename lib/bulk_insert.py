"""Inserting many new rows of one model at once: COPY on PostgreSQL, bulk_create elsewhere.

`bulk_create` spends most of its time in Python, preparing every value of every object
through its field. An import writes thousands of households, registrations and events a
second; on PostgreSQL `insert_many` takes their ids from the table's sequence in one query and
streams the rows with COPY, in the text format, converting each value by its type. What
Model.save() would do before an insert is done here too: `pre_save` of every field (the
auto_now and auto_now_add date-times take one time for the whole insert) and the ids of the
related objects assigned before (a household saved in the same chunk). Fields with a
database default that the model does not set are not supported: every concrete field is
written.
"""

import datetime
import decimal
import io
import json
import operator
import uuid

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import DateField, DateTimeField, Field
from django.utils import timezone

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value):
    """One value in COPY's text format."""
    if value.__class__ is str:
        return value.translate(_ESCAPES)
    if value.__class__ is int:
        return str(value)
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


def _json_text(field):
    encoder = field.encoder
    return lambda value: copy_text(
        None if value is None else json.dumps(value, ensure_ascii=False, cls=encoder)
    )


_PLAIN_PRE_SAVE = (Field.pre_save, DateField.pre_save, DateTimeField.pre_save)


def _reader(field, now):
    """How to read `field` of an object as COPY text, as pre_save(add=True) gives it: one
    time for the auto_now(_add) date-times of the whole insert (one transaction)."""
    convert = _json_text(field) if field.get_internal_type() == "JSONField" else copy_text
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if stamped and isinstance(field, DateTimeField):
        attname = field.attname

        def read(obj):
            setattr(obj, attname, now)
            return convert(now)

    elif not stamped and type(field).pre_save in _PLAIN_PRE_SAVE:
        value_of = operator.attrgetter(field.attname)

        def read(obj):
            return convert(value_of(obj))

    else:

        def read(obj):
            return convert(field.pre_save(obj, add=True))

    return read


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
        now = timezone.now()
        readers = [_reader(field, now) for field in fields]
        lines = ["\t".join([read(obj) for read in readers]) for obj in objs]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        data = io.StringIO("\n".join(lines) + "\n")
        with connection.wrap_database_errors:  # IntegrityError as Django names it
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", data)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return objs
