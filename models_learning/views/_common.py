"""Pieces the staff views share: scoped fetches, running a service behind a form."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from khuyenhoc.errors import DomainError

from .. import selectors


def posted(request, files=False):
    """The POST data (or files) to bind a form to, or None on GET: an empty POST still binds."""
    if request.method != "POST":
        return None
    return request.FILES if files else request.POST


def registration_or_404(request, pk, *, page=False):
    """A registration the user may read (another unit's is a 404), joined for its page."""
    queryset = (
        selectors.registration_page_queryset(request.user)
        if page
        else selectors.registrations_visible_to(request.user)
    )
    return get_object_or_404(queryset, pk=pk)


def registration_url(registration, anchor=""):
    url = reverse("models_learning:registration-detail", kwargs={"pk": registration.pk})
    return f"{url}#{anchor}" if anchor else url


def run(request, form, service, success, next_url):
    """On a valid POST call `service(cleaned_data)`; its DomainError goes next to its field
    (nothing has changed) and None is returned so the view re-renders the form. On success,
    `success(result)` is the message and the answer redirects to `next_url`."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = service(form.cleaned_data)
    except DomainError as error:
        error.add_to_form(form)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(next_url(result) if callable(next_url) else next_url)
