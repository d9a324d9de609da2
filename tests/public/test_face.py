"""The public pages' face (issue 13, item 25): the configured association's emblem and name in
a header band, the portal's title, the four sections with the current one marked; no font or
stylesheet from outside (the weight limit is tests/public/test_pages.py's)."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def header_of(html):
    return re.search(r'<header class="site-header">(.+?)</header>', html, re.S).group(1)


def test_the_header_carries_the_emblem_the_association_and_the_portals_title(client, db):
    header = header_of(client.get("/").content.decode())
    assert '<img class="emblem" src="/static/img/emblem.svg" alt="" width="48"' in header
    assert '<span class="site-association">Hội Khuyến học tỉnh Điện Biên</span>' in header
    assert '<span class="site-title">Cổng thông tin khuyến học</span>' in header
    assert 'href="/accounts/login/"' in header


def test_a_provinces_own_emblem_and_name_replace_dien_biens(client, settings, tmp_path):
    emblem = tmp_path / "emblem.svg"
    emblem.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"></svg>')
    settings.PORTAL_EMBLEM = str(emblem)
    settings.PORTAL_ASSOCIATION_NAME = "Hội Khuyến học tỉnh Lai Châu"
    header = header_of(client.get("/centers/").content.decode())
    assert re.search(r'<img class="emblem" src="/emblem\?v=\d+"', header)
    assert "Hội Khuyến học tỉnh Lai Châu" in header
    assert "Điện Biên" not in header


def test_the_current_section_is_marked_for_sight_and_screen_readers(client, db):
    header = header_of(client.get("/centers/").content.decode())
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', header) == ["/centers/"]
    header = header_of(client.get("/").content.decode())
    assert 'aria-current="page"' not in header


def test_no_font_or_stylesheet_comes_from_outside(client, db):
    html = client.get("/").content.decode()
    for href in re.findall(r'<link[^>]+href="([^"]+)"', html):
        assert href.startswith("/"), href
    css = Path(finders.find("css/portal.css")).read_text(encoding="utf-8")
    assert "@font-face" not in css
    assert "@import" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
