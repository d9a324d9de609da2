"""The save-on-valid-POST step the staff views of every app share.

Its own small module (not khuyenhoc/views.py) so that the apps' views can import it without
pulling in the portal's pages, and so without an import cycle.
"""

from django.contrib import messages
from django.shortcuts import redirect

from lib.errors import DomainError


def saved_or_none(request, form, save, message, next_url):
    """On a valid POST call `save(form.cleaned_data)` and redirect; otherwise None.

    One place for what every form page does: a broken rule (DomainError) goes next to its field,
    nothing has changed and None tells the view to re-render the form, as on GET or invalid
    input. On success `message` is shown and the answer redirects to `next_url`; either may be a
    callable of what `save` returned (e.g. the message names, or the URL points at, the new row).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except DomainError as error:
        error.add_to_form(form)
        return None
    messages.success(request, message(result) if callable(message) else message)
    return redirect(next_url(result) if callable(next_url) else next_url)
