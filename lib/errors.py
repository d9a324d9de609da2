from django.db import InterfaceError, OperationalError

# The database errors that mean "out of reach" (refused, reset, restarting, locked past the
# busy timeout), as opposed to a bug in a query: the outage page answers them (503), and an
# import they stopped can be started again.
DATABASE_OUTAGE = (OperationalError, InterfaceError)


class DomainError(Exception):
    """A rule was broken: `message` tells a person what to do, `field` where (if a form field)."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = message
        self.field = field

    def add_to_form(self, form):
        """Show the error next to its field (or on top of the form) and return the form."""
        form.add_error(self.field if self.field in form.fields else None, self.message)
        return form
