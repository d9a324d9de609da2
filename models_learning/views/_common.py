"""Pieces the staff views share: scoped fetches of registrations, the data to bind a form to."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

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
