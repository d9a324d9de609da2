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
