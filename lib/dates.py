"""Today and this year as the portal means them: in Vietnam (TIME_ZONE), not on the server.

`datetime.date.today()` reads the server's clock in its own zone; on a UTC server it is still
yesterday in Vietnam until 07:00, and after 17:00 on 31 December it names the wrong year.
"""

from django.utils import timezone


def local_today():
    """Today's date in the portal's time zone."""
    return timezone.localdate()


def this_year():
    """This year in the portal's time zone: the year registrations and reports default to."""
    return local_today().year
