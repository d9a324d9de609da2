"""Private files (evidence, generated PDFs and sheets): under PRIVATE_MEDIA_ROOT, never at a URL."""

import mimetypes
import os
from urllib.parse import quote

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
    """Hand a private file to the one viewer a scoped view let through: a download, not cached.

    With PRIVATE_MEDIA_ACCEL_REDIRECT set (the prefix of an `internal` nginx location aliased
    to PRIVATE_MEDIA_ROOT, deploy/nginx/khuyenhoc.conf), the answer carries no body: nginx
    sends the file itself (X-Accel-Redirect), so a large download never holds a gunicorn
    thread. The scope was checked here either way; nginx keeps this answer's Content-Type,
    Content-Disposition and Cache-Control. The download is named with the extension of its
    type (rows stored before names were corrected too).
    """
    from django.http import FileResponse, Http404, HttpResponse
    from django.utils.http import content_disposition_header

    from .uploads import name_for_content

    if content_type:
        filename = name_for_content(filename, content_type)

    prefix = settings.PRIVATE_MEDIA_ACCEL_REDIRECT
    if prefix:
        if not field_file.name or not field_file.storage.exists(field_file.name):
            raise Http404
        # As FileResponse would: the type from the file's name when the caller gives none.
        guessed = mimetypes.guess_type(filename)[0]
        response = HttpResponse(content_type=content_type or guessed or "application/octet-stream")
        # The header FileResponse writes (a Vietnamese name as filename*=utf-8'').
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field_file.name)
    else:
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
