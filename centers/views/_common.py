"""Pieces the centres' staff views share: scoped fetches (another unit's row is a 404), the
URLs they redirect to, and the 403 of a page whose role the user holds nowhere."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse

from .. import selectors


def center_or_404(request, pk):
    return get_object_or_404(
        selectors.centers_visible_to(request.user).select_related("commune"), pk=pk
    )


def rating_or_404(request, pk):
    return get_object_or_404(
        selectors.ratings_visible_to(request.user).select_related(
            "center__commune", "scheme", "band", "commune"
        ),
        pk=pk,
    )


def center_url(center):
    return reverse("centers:center-detail", kwargs={"pk": center.pk})


def rating_url(rating):
    return reverse("centers:rating-detail", kwargs={"pk": rating.pk})


def role_required(problem):
    """A page of a role the user holds nowhere (rating schemes, the province's carry-over):
    403, the page saying why. An action on a row the user reads is refused on its page
    instead (200, the reason in place of the action): see README, "Refused actions"."""
    if problem:
        raise PermissionDenied(problem)
