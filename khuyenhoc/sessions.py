"""Sessions read from the shared cache and kept in the database (SESSION_ENGINE when CACHE_URL
names Redis): a signed-in page reads its session without a query.

Django's cached_db, with every use of the cache going through lib.optional_cache: a cache
that is down or stalls costs one timeout per pause, never a page, and the session is read
from the database as before (it is always written there first). A copy is kept in the cache
at most CACHE_SECONDS: a sign-out made while this process could not reach the cache deletes
the copy there at its next successful use (`_undeleted`), and the copy never outlives
CACHE_SECONDS (a changed password or a disabled
account end a session at once whatever the cache holds: Django checks them on the user row).
"""

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.backends import cached_db, db

from lib import optional_cache

CACHE_SECONDS = 300
# The cache keys of sessions ended (a sign-out) while this process had left the cache alone
# (one slow call pauses it for optional_cache.PAUSE_SECONDS, while the other app servers still
# read the cache): deleted there at this process's next successful use, so that no other
# server goes on serving the ended session for CACHE_SECONDS. Bounded: past it, CACHE_SECONDS.
_undeleted = set()
UNDELETED_MAX = 10_000


class SessionStore(cached_db.SessionStore):
    def _cached(self, use):
        alias = settings.SESSION_CACHE_ALIAS
        if _undeleted and not optional_cache.is_paused(alias):
            pending = list(_undeleted)
            deleted = optional_cache.attempt(
                lambda cache: cache.delete_many(pending) or True, alias=alias
            )
            if deleted:
                _undeleted.difference_update(pending)
        return optional_cache.attempt(use, alias=alias)

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
        if not self._cached(lambda cache: cache.delete(key) or True) and (
            len(_undeleted) < UNDELETED_MAX
        ):
            _undeleted.add(key)

    # Django's async variants use the cache directly; these go through the same fallbacks.
    async def aload(self):
        return await sync_to_async(self.load)()

    async def aexists(self, session_key):
        return await sync_to_async(self.exists)(session_key)

    async def asave(self, must_create=False):
        return await sync_to_async(self.save)(must_create)

    async def adelete(self, session_key=None):
        return await sync_to_async(self.delete)(session_key)

    async def aflush(self):
        return await sync_to_async(self.flush)()
