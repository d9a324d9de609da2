"""Every public page makes a constant number of queries: the same with a few rows as with
many, and never more than the pinned maximum."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from models_learning import public

from .conftest import bench

pytestmark = pytest.mark.django_db

SEARCH = reverse("models_learning-public:recognition-search")


def pages(tree):
    code = (
        public.recognised()
        .order_by("pk")
        .values_list("recognition__certificate_code", flat=True)[0]
    )
    old_code = (
        public.recognised()
        .filter(unit=tree["old_commune"])
        .values_list("recognition__certificate_code", flat=True)[0]
    )
    return {
        # The learning citizens' newest year and its aggregate (citizens.selectors).
        "/": 10,
        SEARCH: 6,
        f"{SEARCH}?q=nguyen+van": 6,
        f"{SEARCH}?q=lo&kind=family&year=2020&page=1": 6,
        f"{SEARCH}?unit={tree['commune'].pk}": 8,
        f"{SEARCH}?unit={tree['district'].pk}&year=2018": 7,
        f"{SEARCH}?q=a&unit={tree['commune'].pk}": 8,
        reverse("models_learning-public:recognition-detail", args=[code]): 2,
        reverse("models_learning-public:verify", args=[old_code]): 4,
        reverse("models_learning-public:verify-form"): 0,
        # One GROUP BY more each: the learning citizens per commune.
        f"{reverse('public-stats')}?year=2020&view=as_was": 13,
        f"{reverse('public-stats')}?year=2020&view=today": 17,
        f"{reverse('public-stats')}?year=2026&view=today": 17,
        "/robots.txt": 0,
        "/sitemap.xml": 0,
    }


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_public_pages_make_the_same_few_queries_with_few_rows_and_with_many(client, tree):
    bench(40, seed=1)
    urls = pages(tree)
    few = {url: count_queries(client, url) for url in urls}
    bench(400, seed=2)  # written in bulk, as no service writes: no signal drops the figures
    cache.clear()
    many = {url: count_queries(client, url) for url in urls}
    assert many == few
    for url, maximum in urls.items():
        assert many[url] <= maximum, f"{url}: {many[url]} queries"


def test_the_search_page_is_pinned_with_many_rows(client, tree, django_assert_max_num_queries):
    bench(300)
    with django_assert_max_num_queries(6):
        response = client.get(SEARCH, {"q": "thi", "kind": "family"})
    assert len(response.context["page_obj"].rows) == public.PAGE_SIZE
