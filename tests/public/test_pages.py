"""Every public page is light (under 100 KB over the wire, HTML + CSS + JS compressed), has a
proper <title>, says lang="vi", works without JavaScript (no inline script, every form a
plain GET) and is laid out for a 360 px screen; robots.txt and the sitemap name the public
sections."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from models_learning import public

from .conftest import bench

pytestmark = pytest.mark.django_db

LIMIT = 100_000


def public_urls(tree):
    code = public.recognised().values_list("recognition__certificate_code", flat=True)[0]
    search = reverse("models_learning-public:recognition-search")
    return [
        "/",
        search,
        f"{search}?q=nguyen&kind=family",
        f"{search}?unit={tree['district'].pk}",
        f"{search}?kind=dragon",
        reverse("models_learning-public:recognition-detail", args=[code]),
        reverse("models_learning-public:verify", args=[code]),
        reverse("models_learning-public:verify", args=["DB-2026-NOTHER"]),
        reverse("models_learning-public:verify-form"),
        reverse("public-stats"),
        reverse("centers-public:center-directory"),
        f"{reverse('public-stats')}?year=2020&view=today",
        f"{reverse('public-stats')}?year=2020&view=as_was",
    ]


def static_paths(html):
    """Static files a page loads: stylesheets, scripts and images."""
    links = re.findall(r'<link[^>]+href="/static/([^"]+)"', html)
    scripts = re.findall(r'<script[^>]+src="/static/([^"]+)"', html)
    images = re.findall(r'<img[^>]+src="/static/([^"]+)"', html)
    return links + scripts + images


def weight(html):
    """Bytes over the wire, gzip-compressed as whitenoise serves them: HTML + static files."""
    total = len(gzip.compress(html.encode(), compresslevel=6))
    for path in static_paths(html):
        found = finders.find(path)
        assert found, f"missing static file {path}"
        with open(found, "rb") as handle:
            total += len(gzip.compress(handle.read(), compresslevel=6))
    return total


def test_every_public_page_is_light_titled_vietnamese_and_needs_no_javascript(client, tree):
    bench(400)
    for url in public_urls(tree):
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        html = response.content.decode()
        assert weight(html) < LIMIT, f"{url}: {weight(html)} bytes"
        assert '<html lang="vi">' in html, url
        title = re.search(r"<title>(.+?)</title>", html, re.S)
        assert title and "Hội Khuyến học tỉnh Điện Biên" in title.group(1), url
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        # No inline script or style (CSP), so nothing depends on script that might not run.
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html, url
        for form in re.findall(r"<form[^>]*>", html):
            assert 'method="get"' in form or 'action="/i18n/setlang/"' in form, (url, form)


def test_wide_tables_scroll_inside_their_box_on_a_phone(client, tree):
    bench(100)
    html = client.get(f"{reverse('public-stats')}?year=2020").content.decode()
    assert html.count("<table") == html.count(
        '<div class="table-responsive" tabindex="0" role="region"'
    )


def test_robots_txt_keeps_crawlers_out_of_staff_pages_and_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    # /recognitions/units/: the search's unit list for a typed name, a fragment, not a page.
    for line in (
        "Disallow: /portal/",
        "Disallow: /admin/",
        "Disallow: /verify/",
        "Disallow: /recognitions/units/",
    ):
        assert line in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_the_sitemap_lists_the_public_sections(client, db):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    for path in ("/", "/recognitions/", "/centers/", "/stats/"):
        assert f"<loc>http://testserver{path}</loc>" in xml
    assert "/portal/" not in xml
    # robots.txt keeps crawlers out of the certificate check: the sitemap does not send them.
    assert "/verify/" not in xml
