"""The public figures and the search's constant parts come from the cache (lib.figures_cache):
a warm page skips their queries, a change to a registration drops them, and without the cache
the pages are computed as before."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lib import figures_cache, optional_cache
from lib.dates import this_year
from models_learning.models import Registration
from tests.faults.servers import free_port, redis_cache
from tests.models_learning.factories import register_family
from units.models import Village

from .conftest import bench

pytestmark = pytest.mark.django_db
SEARCH = reverse("models_learning-public:recognition-search")


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries), response


def _count(response):
    return re.search(r'data-testid="result-count">([^<]*)<', response.text).group(1)


def _stats(year):
    return f"{reverse('public-stats')}?year={year}&view=as_was"


def test_warm_public_pages_skip_the_figures_queries(client, tree):
    bench(40, seed=3)
    year = Registration.objects.order_by("-year").values_list("year", flat=True)[0]
    cold = {url: _queries(client, url)[0] for url in ("/", _stats(year), SEARCH)}
    warm = {url: _queries(client, url)[0] for url in cold}
    assert warm["/"] == 0
    assert warm[_stats(year)] == 0
    # The search's rendered results are kept too (public_views._results): no query at all.
    assert warm[SEARCH] == 0
    assert all(cold[url] > warm[url] for url in cold)


def test_every_page_of_a_search_reads_its_ids_once(client, tree):
    bench(60, seed=7)
    client.get(SEARCH)  # the constant parts (years, units) cached
    assert _queries(client, f"{SEARCH}?kind=family")[0] == 2  # the ids, then the page
    assert _queries(client, f"{SEARCH}?kind=family&page=2")[0] == 1  # the same ids
    assert _queries(client, f"{SEARCH}?q=LÒ")[0] == 2
    assert _queries(client, f"{SEARCH}?q=lo")[0] == 0  # the same normalised search and page
    assert client.get(f"{SEARCH}?page=9999").status_code == 404  # past the cap


@pytest.mark.django_db(transaction=True)  # real commits, which run the bumps
def test_a_new_recognition_drops_the_searches_kept(client, tree, officer, criteria_sets):
    bench(20, seed=8)
    found = _count(client.get(SEARCH, {"q": "lo van"}))
    assert _count(client.get(SEARCH, {"q": "lo van"})) == found
    registration = Registration.objects.filter(status="recognized").first()
    registration.status = "revoked"  # a save of a public file: its year's figures change
    registration.save(update_fields=["status"])
    with CaptureQueriesContext(connection) as context:
        client.get(SEARCH, {"q": "lo van"})
    assert any("LIMIT 1001" in query["sql"] for query in context.captured_queries)  # read again


def test_the_cached_unit_list_marks_the_chosen_unit(client, tree):
    bench(20, seed=4)
    client.get(SEARCH)
    response = client.get(SEARCH, {"unit": tree["commune"].pk})
    select = re.search(r'<select[^>]*name="unit".*?</select>', response.text, re.S).group(0)
    assert f'<option value="{tree["commune"].pk}" selected>' in select
    assert select.count(" selected>") == 1


@pytest.mark.django_db(transaction=True)  # real commits, which run the bumps
def test_a_new_registration_drops_the_figures_of_its_year(client, tree, officer, criteria_sets):
    year = this_year()
    village = Village.objects.create(commune=tree["commune"], name="Bản Cache", kind="ban")
    url = _stats(year)
    register_family(officer, village, year=year, head_name="Lò Văn Một")
    first = client.get(url).context["titles"][0]["registered"]
    assert client.get(url).context["titles"][0]["registered"] == first  # from the cache
    register_family(officer, village, year=year, head_name="Lò Văn Hai")
    assert client.get(url).context["titles"][0]["registered"] == first + 1


def test_without_the_cache_the_pages_are_computed_as_before(client, tree, settings):
    bench(20, seed=5)
    year = Registration.objects.order_by("-year").values_list("year", flat=True)[0]
    expected = {url: _comparable(client.get(url)) for url in ("/", _stats(year), SEARCH)}
    working = settings.CACHES
    settings.CACHES = redis_cache(free_port())  # nothing listens there
    try:
        for url, content in expected.items():
            count, response = _queries(client, url)
            assert _comparable(response) == content
            assert count > 2
    finally:
        settings.CACHES = working
        optional_cache.resume()


def _comparable(response):
    """The page without what differs on every request (the CSP nonce, the CSRF token)."""
    html = re.sub(r'nonce="[^"]*"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_each_year_of_the_stats_has_its_own_figures(client, tree):
    bench(60, seed=6)
    years = sorted(set(Registration.objects.values_list("year", flat=True)))[-2:]
    first = {year: client.get(_stats(year)).context["titles"] for year in years}
    again = {year: client.get(_stats(year)).context["titles"] for year in years}
    assert first == again
    assert first[years[0]] != first[years[1]]


def test_a_transaction_bumps_each_year_once_however_many_rows(
    tree, officer, criteria_sets, django_capture_on_commit_callbacks
):
    village = Village.objects.create(commune=tree["commune"], name="Bản Một Lần", kind="ban")
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for n in range(5):
            register_family(officer, village, year=this_year(), head_name=f"Lò Văn {n}")
    bumps = [c for c in callbacks if isinstance(c, figures_cache._Bump)]
    assert [b.year for b in bumps] == [this_year()]


def test_figures_computed_from_the_replica_are_kept_only_briefly(monkeypatch):
    from django.core.cache import cache

    from lib import figures_cache, replica

    kept, real_set = {}, cache.set

    def recording_set(key, value, ttl):  # the real cache, its TTLs noted
        kept[key] = ttl
        return real_set(key, value, ttl)

    monkeypatch.setattr(cache, "set", recording_set)
    figures_cache.cached("probe", ["primary"], lambda: 1)
    with replica.stale_reads():
        figures_cache.cached("probe", ["replica"], lambda: 2)
    ttls = {key.rsplit(":", 1)[-1]: ttl for key, ttl in kept.items()}
    assert ttls == {"primary": figures_cache.TTL, "replica": figures_cache.REPLICA_TTL}
    assert figures_cache.cached("probe", ["replica"], lambda: 3) == 2  # kept, for a while
