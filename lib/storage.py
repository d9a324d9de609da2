"""Private files (evidence, generated PDFs and sheets): under PRIVATE_MEDIA_ROOT, never at a URL."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Follows PRIVATE_MEDIA_ROOT at each use, so a changed setting (tests, deploys) is obeyed."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no URL: serve them through a view that checks scope.")


_storage = PrivateStorage()


def private_storage():
    """The storage of every private file field (a callable, so migrations name it, not a path)."""
    return _storage


def private_file_response(field_file, *, filename, content_type=None):
    """Hand a private file to the one viewer a scoped view let through: a download, not cached,
    named with the extension of its type (rows stored before names were corrected too)."""
    from django.http import FileResponse, Http404

    from .uploads import name_for_content

    if content_type:
        filename = name_for_content(filename, content_type)
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
