"""Sessions read from the shared cache and kept in the database (SESSION_ENGINE when CACHE_URL
names Redis): a signed-in page reads its session without a query.

Django's cached_db, with every use of the cache going through lib.optional_cache: a cache
that is down or stalls costs one timeout per pause, never a page, and the session is read
from the database as before (it is always written there first). A copy is kept in the cache
at most CACHE_SECONDS: a sign-out made while the cache could not be reached cannot delete
the copy there, and the copy must not outlive that by long (a changed password or a disabled
account end a session at once whatever the cache holds: Django checks them on the user row).
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db, db

from lib import optional_cache

CACHE_SECONDS = 300


class SessionStore(cached_db.SessionStore):
    def _cached(self, use):
        return optional_cache.attempt(use, alias=settings.SESSION_CACHE_ALIAS)

    def _remember(self, data, age):
        key = self.cache_key
        self._cached(lambda cache: cache.set(key, data, min(age, CACHE_SECONDS)))

    def load(self):
        key = self.cache_key
        data = self._cached(lambda cache: cache.get(key))
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        self._remember(data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def exists(self, session_key):
        # Asked only when a new key is drawn: the database, which holds every session, answers.
        return db.SessionStore.exists(self, session_key)

    def save(self, must_create=False):
        db.SessionStore.save(self, must_create)
        self._remember(self._session, self.get_expiry_age())

    def delete(self, session_key=None):
        db.SessionStore.delete(self, session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        key = self.cache_key_prefix + session_key
        self._cached(lambda cache: cache.delete(key))
