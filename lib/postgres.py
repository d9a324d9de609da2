"""Indexes and constraints that exist on PostgreSQL only, declared in the models all the same.

Production runs on PostgreSQL; SQLite is the embedded default for a newcomer's first run. A
plain `GinIndex` or `ExclusionConstraint` in a model would write `USING gin` or `EXCLUDE` into
SQLite's DDL and fail there, and leaving them out of the models would hide them from readers
and from the migrations' state. These subclasses keep them in `Meta` and write nothing on
another database, where the services' own checks (and plain indexes) do the work instead.
"""

from django.contrib.postgres import operations
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField
from django.contrib.postgres.indexes import GinIndex
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.ddl_references import Statement
from django.db.migrations.operations import AddIndex, RemoveIndex
from django.db.models import Func


def _on_postgresql(connection):
    return connection.vendor == "postgresql"


def _nothing(name):
    # A statement that does nothing: the schema editor runs whatever create_sql() returns.
    return Statement("-- %(name)s exists on PostgreSQL only", name=name)


class DateRange(Func):
    """PostgreSQL's daterange(lower, upper, bounds); a null bound is open."""

    function = "DATERANGE"
    output_field = DateRangeField()


class PostgresOnlyGinIndex(GinIndex):
    """A GIN index (e.g. trigrams) on PostgreSQL; nothing on another database."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if not _on_postgresql(schema_editor.connection):
            return _nothing(self.name)
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if not _on_postgresql(schema_editor.connection):
            return _nothing(self.name)
        return super().remove_sql(model, schema_editor, **kwargs)


class PostgresOnlyExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint on PostgreSQL; nothing on another database (and no check there
    in model validation, whose range operators only PostgreSQL has)."""

    def constraint_sql(self, model, schema_editor):
        if not _on_postgresql(schema_editor.connection):
            return None  # left out of CREATE TABLE
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if not _on_postgresql(schema_editor.connection):
            return _nothing(self.name)
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if not _on_postgresql(schema_editor.connection):
            return None  # nothing to drop
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if not _on_postgresql(connections[using]):
            return
        super().validate(model, instance, exclude=exclude, using=using)


class PostgresExtension(operations.CreateExtension):
    """A migration step creating a PostgreSQL extension (nothing on another database).

    Backwards it leaves the extension in place, on any database: Django's own step would ask
    SQLite for `pg_extension` and fail, and on PostgreSQL other objects may use the extension,
    while creating it again going forwards is a no-op.
    """

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


class _ConcurrentlyOnPostgres:
    """An index operation CONCURRENTLY on PostgreSQL (writers go on while a table of millions
    of rows is indexed at a release), its plain form (`plain`) elsewhere. Non-atomic."""

    plain = None

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor.connection):
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return self.plain.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor.connection):
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return self.plain.database_backwards(self, app_label, schema_editor, from_state, to_state)


class AddIndexConcurrentlyOnPostgres(_ConcurrentlyOnPostgres, operations.AddIndexConcurrently):
    plain = AddIndex


class RemoveIndexConcurrentlyOnPostgres(
    _ConcurrentlyOnPostgres, operations.RemoveIndexConcurrently
):
    plain = RemoveIndex
