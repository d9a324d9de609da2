"""The largest whole number a model field's column holds, the same on every database.

PostgreSQL refuses an integer past its column's type ("integer out of range") and SQLite one
past 64 bits; a form or a service that lets such a number through answers 500. Django adds this
bound to a model form's field only on PostgreSQL; forms and services ask here instead, so a too
large number gets the same clear message on both.
"""

from django.db.backends.base.operations import BaseDatabaseOperations


def integer_max(field):
    """The largest value of an integer model field (2³¹ − 1 for an IntegerField, …)."""
    return BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()][1]
