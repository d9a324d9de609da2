"""Gapless numbers under concurrency: a counter row per key, locked while a number is taken.

Decision numbers (per issuing unit and year) and fund vouchers (per fund, year and kind) are
issued this way. The caller is inside a transaction: the number is used or, if that
transaction rolls back, never taken, so the sequence has no gap and no repeat. Whoever comes
second waits on the row lock (select_for_update; SQLite serialises writers anyway).
"""

from django.db import IntegrityError, transaction


def next_number(counter_model, **key):
    """Increment and return the `last` field of the `counter_model` row of `key`.

    The row is created on first use; two first uses at once both end up on the one row (the
    unique constraint on `key` refuses the second insert, which then reads the first's row).
    """
    try:
        with transaction.atomic():
            counter_model.objects.get_or_create(**key)
    except IntegrityError:
        pass  # created at the same moment by someone else: it exists now
    counter = counter_model.objects.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
