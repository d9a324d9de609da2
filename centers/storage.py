"""Private file storage for evidence: under settings.PRIVATE_MEDIA_ROOT, never under a URL."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateMediaStorage(FileSystemStorage):
    """Reads PRIVATE_MEDIA_ROOT at each use, so a changed setting (tests, deploys) is followed."""

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


_storage = PrivateMediaStorage()


def private_storage():
    return _storage
