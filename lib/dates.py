"""Today and this year as the portal means them: in Vietnam (TIME_ZONE), not on the server.

The standard library's `date.today` reads the server's clock in the server's zone: on a UTC
server it is still yesterday in Vietnam until 07:00, and after 17:00 on 31 December it names
the wrong year. Ruff's DTZ rules keep it out of the code.
"""

import contextlib
import contextvars

from django.utils import timezone

# The day a long task (an import's pass) reads as today from its start to its end.
_DAY = contextvars.ContextVar("local_day", default=None)


def local_today():
    """Today's date in the portal's time zone (the task's day inside `one_day`)."""
    day = _DAY.get()
    return timezone.localdate() if day is None else day


@contextlib.contextmanager
def one_day():
    """Run a task of many rows as on one day: the day it started. Its rows are judged alike
    (a year of birth in this year, a year of registration) even when it runs past midnight,
    and today is read once instead of once per row and rule."""
    token = _DAY.set(local_today())
    try:
        yield
    finally:
        _DAY.reset(token)


def this_year():
    """This year in the portal's time zone: the year registrations and reports default to."""
    return local_today().year
