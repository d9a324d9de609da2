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


def _in_range(value, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return True  # not a number: the field's own preparation says what is wrong
    return low <= number <= high


def register_integer_in_lookup():
    """`id__in=[…]` leaves out numbers no integer column can hold, as Django's own `exact`,
    `gt` and `lt` lookups do: on SQLite such a number raised OverflowError (a 500 on any form
    with a multiple choice of rows, e.g. "99999999999999999999" posted as an id)."""
    from django.db.models import IntegerField
    from django.db.models.lookups import In

    if "in" in IntegerField.class_lookups and IntegerField.class_lookups["in"].__name__ == (
        "IntegerFieldIn"
    ):
        return

    class IntegerFieldIn(In):
        def process_rhs(self, compiler, connection):
            if self.rhs_is_direct_value() and not isinstance(self.rhs, str):
                low, high = BaseDatabaseOperations.integer_field_ranges.get(
                    self.lhs.output_field.get_internal_type(), (-(2**63), 2**63 - 1)
                )
                self.rhs = [value for value in self.rhs if _in_range(value, low, high)]
            return super().process_rhs(compiler, connection)

    IntegerField.register_lookup(IntegerFieldIn, lookup_name="in")
