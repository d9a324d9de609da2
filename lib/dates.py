"""Today and this year as the portal means them: in Vietnam (TIME_ZONE), not on the server.

The standard library's `date.today` reads the server's clock in the server's zone: on a UTC
server it is still yesterday in Vietnam until 07:00, and after 17:00 on 31 December it names
the wrong year. Ruff's DTZ rules keep it out of the code.
"""

from django.utils import timezone


def local_today():
    """Today's date in the portal's time zone."""
    return timezone.localdate()


def this_year():
    """This year in the portal's time zone: the year registrations and reports default to."""
    return local_today().year
