import pytest
from django.core.cache import cache

from models_learning import services as learning_services
from tests.factories import build_small_tree, make_member
from units.models import Role


def pytest_configure(config):
    from django.conf import settings

    # Test servers (the client and the browser tests' live server) speak plain HTTP. Set here,
    # before any server starts: SecurityMiddleware reads these once, when it is created.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, as `make run`'s is: an in-memory one is a single
    connection that the live server's threads share, which would hide their lock waits."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Each test starts with an empty cache (the public figures kept there by lib.figures_cache
    # would otherwise outlive the test's rolled-back rows).
    cache.clear()
    # Uploaded evidence, job results and imported sheets go to the test's own folder.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # Links that leave the site (QR codes, e-mails), whatever the environment of the run.
    settings.SITE_BASE_URL = "http://testserver"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No collectstatic in tests: plain storage resolves {% static %} from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def tree(db):
    return build_small_tree()


@pytest.fixture
def criteria_sets(db):
    """The seeded criteria sets (QĐ 448 and the provisional ones)."""
    learning_services.load_criteria_sets()


@pytest.fixture
def officer(tree):
    """Commune officer of today's Xã Mường Phăng."""
    return make_member(tree["commune"], Role.OFFICER, username="officer")


@pytest.fixture
def sibling_officer(tree):
    """Officer of a sibling commune (Phường Mường Thanh)."""
    return make_member(tree["sibling"], Role.OFFICER, username="sibling")


@pytest.fixture
def province_staff(tree):
    """Province staff: approver and manager of the whole province."""
    return make_member(tree["province"], Role.APPROVER, Role.MANAGER, username="province")


@pytest.fixture
def stranger(db):
    """A signed-in user with no membership at all."""
    from tests.factories import UserFactory

    return UserFactory(username="stranger")


@pytest.fixture
def english():
    """Service messages in their English source form, for tests that match their text."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def persona_client(request, client):
    """A client signed in as a persona of tests.helpers.PERSONAS."""

    def signed_in(name):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return signed_in
