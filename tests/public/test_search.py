"""/recognitions/: who was recognised, found by name without diacritics, filtered, paged with
a capped count; only recognitions, revoked ones shown as revoked; bad input answered clearly."""

import html
import re

import pytest
from django.urls import reverse

from models_learning import public
from models_learning.models import Registration

from .conftest import NAMES, bench

pytestmark = pytest.mark.django_db

URL = reverse("models_learning-public:recognition-search")


def names_found(response):
    """The names listed, read from the page (a repeated search's results come from the cache,
    rendered: no page_obj in the context then)."""
    rows = re.findall(
        r'data-testid="recognition-row">.*?<a class="fw-semibold" href="[^"]*">([^<]*)</a>',
        response.content.decode(),
        re.S,
    )
    return [html.unescape(name) for name in rows]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van an", "Nguyễn Văn An"),
        ("NGUYEN VAN AN", "Nguyễn Văn An"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("dang thi hang", "Đặng Thị Hằng"),
        ("đặng thị hằng", "Đặng Thị Hằng"),
        ("Dang", "Đặng Thị Hằng"),
        ("le van uoc", "Lê Văn Ước"),
        ("pham thi on", "Phạm Thị Ổn"),
        ("hoang thi thuy", "Hoàng Thị Thủy"),
        ("vu duc cuong", "Vũ Đức Cường"),
        ("ngoc an", "Bùi Thị Ngọc Ẩn"),
        ("lo van son", "Lò Văn Sơn"),
        ("quang thi anh", "Quàng Thị Ánh"),
        ("  lo   van  son ", "Lò Văn Sơn"),
    ],
)
def test_a_name_is_found_without_diacritics_and_ignoring_case(client, named, query, expected):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert expected in names_found(response)


def test_a_name_typed_in_decomposed_unicode_is_found(client, named):
    import unicodedata

    response = client.get(URL, {"q": unicodedata.normalize("NFD", "Đặng Thị Hằng")})
    assert names_found(response) == ["Đặng Thị Hằng"]


def test_every_test_name_normalises_to_its_plain_form():
    from lib.text import normalise

    assert {normalise(name): plain for name, plain in NAMES.items()} == {
        plain: plain for plain in NAMES.values()
    }


def test_a_query_matches_whole_words_from_their_start(client, named):
    # "an" starts the word "An" (and "Ẩn", "Ánh"), not the middle of "Văn".
    found = set(names_found(client.get(URL, {"q": "an"})))
    assert found == {"Nguyễn Văn An", "Bùi Thị Ngọc Ẩn", "Quàng Thị Ánh"}
    assert names_found(client.get(URL, {"q": "van an"})) == ["Nguyễn Văn An"]
    assert names_found(client.get(URL, {"q": "guyen"})) == []


def test_numbers_are_not_searched_so_a_birth_year_cannot_be_probed(client, named):
    # The stored search text holds the head's year of birth (1975 in the factories).
    assert Registration.objects.filter(search_text__contains="1975").exists()
    response = client.get(URL, {"q": "1975"})
    assert response.status_code == 200
    assert response.context["digits_dropped"]
    assert "Không tìm theo số" in response.content.decode()
    # A right and a wrong year of birth give the same answer: the year is not compared.
    right = names_found(client.get(URL, {"q": "nguyen van an 1975"}))
    wrong = names_found(client.get(URL, {"q": "nguyen van an 1931"}))
    assert right == wrong == ["Nguyễn Văn An"]


def test_only_recognitions_are_listed_and_revoked_ones_say_so(client, states):
    response = client.get(URL)
    rows = {row.name: row for row in response.context["page_obj"].rows}
    assert set(rows) == {"Nguyễn Thị Hiệu Lực", "Trần Văn Hết Hạn", "Lường Văn Thu Hồi"}
    assert "Cà Văn Đề Nghị" not in response.content.decode()
    assert rows["Lường Văn Thu Hồi"].state == "revoked"
    assert rows["Trần Văn Hết Hạn"].state == "expired"
    assert rows["Nguyễn Thị Hiệu Lực"].state == "valid"
    html = response.content.decode()
    assert 'data-state="revoked">Đã bị thu hồi' in html
    assert names_found(client.get(URL, {"q": "de nghi"})) == []


def test_filters_by_title_year_and_commune(client, tree):
    bench(120)
    all_rows = public.recognised()
    kind_year = all_rows.filter(kind="family", year=2020)
    response = client.get(URL, {"kind": "family", "year": "2020"})
    assert response.context["page_obj"].count == kind_year.count() > 0
    assert {(row.kind, row.year) for row in response.context["page_obj"].rows} == {("family", 2020)}

    sibling = client.get(URL, {"unit": tree["sibling"].pk})
    assert sibling.context["page_obj"].count == all_rows.filter(unit=tree["sibling"]).count()
    assert {row.commune for row in sibling.context["page_obj"].rows} == {"Phường Mường Thanh"}


def test_a_commune_of_today_includes_the_communes_it_was_formed_from(client, tree):
    bench(150)
    rows = public.recognised()
    today = client.get(URL, {"unit": tree["commune"].pk}).context["page_obj"]
    expected = rows.filter(unit__in=[tree["commune"], tree["old_commune"]]).count()
    assert today.count == min(expected, public.COUNT_CAP)
    assert rows.filter(unit=tree["old_commune"]).exists()
    assert rows.filter(unit=tree["commune"]).exists()
    communes = {row.commune for row in today.rows}
    assert "Phường Mường Thanh" not in communes

    old = client.get(URL, {"unit": tree["old_commune"].pk}).context["page_obj"]
    assert old.count == rows.filter(unit=tree["old_commune"]).count()
    district = client.get(URL, {"unit": tree["district"].pk}).context["page_obj"]
    assert district.count == old.count


def test_the_unit_list_groups_todays_communes_old_districts_and_old_communes(client, tree):
    # The list holds the matches of the name typed for the unit (units.choice's approach).
    html = client.get(URL, {"unit_q": "xa"}).content.decode()
    assert '<optgroup label="Xã, phường hiện nay">' in html
    assert "Xã Nà Nhạn – Huyện Điện Biên" in html
    html = client.get(URL, {"unit_q": "dien bien"}).content.decode()
    assert '<optgroup label="Huyện, thị xã, thành phố (đến 30/06/2025)">' in html
    assert "Huyện Điện Biên" in html


def test_the_count_is_capped_and_pages_stop_at_the_cap(client, tree, settings, monkeypatch):
    monkeypatch.setattr(public, "PAGE_SIZE", 5)
    monkeypatch.setattr(public, "MAX_PAGES", 4)
    monkeypatch.setattr(public, "COUNT_CAP", 20)
    bench(40)
    response = client.get(URL)
    page = response.context["page_obj"]
    assert page.more and page.count == 20 and page.num_pages == 4
    assert "Có hơn 20 kết quả" in response.content.decode()
    assert len(page.rows) == 5
    last = client.get(URL, {"page": "4"})
    assert last.status_code == 200 and not last.context["page_obj"].has_next
    assert client.get(URL, {"page": "5"}).status_code == 404


def test_pages_follow_the_order_newest_year_then_name(client, tree):
    bench(60)
    first = client.get(URL).context["page_obj"]
    second = client.get(URL, {"page": "2"}).context["page_obj"]
    years = [row.year for row in first.rows + second.rows]
    assert years == sorted(years, reverse=True)
    assert not {row.code for row in first.rows} & {row.code for row in second.rows}
    assert f"page={2}" in client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"kind": "dragon"}, 400),
        ({"year": "1066"}, 400),
        ({"year": "abc"}, 400),
        ({"unit": "999999"}, 400),
        ({"unit": "1 OR 1=1"}, 400),
        ({"page": "abc"}, 400),
        ({"page": "-1"}, 400),
        ({"page": "99999999999999999999"}, 400),
        ({"page": "0"}, 404),
        ({"page": "51"}, 404),
        ({"page": "3"}, 404),
        ({"q": "x" * 101}, 400),
    ],
)
def test_bad_input_gets_a_clear_answer_never_a_500(client, named, params, status):
    response = client.get(URL, params)
    assert response.status_code == status
    html = response.content.decode()
    assert "<title>" in html
    if status == 400:
        assert 'data-testid="search-errors"' in html


def test_injection_attempts_in_q_are_only_text(client, named):
    for attempt in ("'; DROP TABLE models_learning_registration; --", "%", "_", "\\", "<script>"):
        response = client.get(URL, {"q": attempt})
        assert response.status_code == 200
        assert response.context["page_obj"].rows == []
        assert "<script>" not in response.content.decode().split("<main", 1)[1].replace(
            'value="&lt;script&gt;"', ""
        )
    assert Registration.objects.count() == len(named)


def test_a_long_query_is_refused_with_a_message(client, named):
    response = client.get(URL, {"q": "nguyen " * 30})
    assert response.status_code == 400
    assert "Nhập tối đa 100 ký tự" in response.content.decode()


def test_each_row_links_to_the_recognition_page(client, named):
    response = client.get(URL, {"q": "nguyen van an"})
    code = named["Nguyễn Văn An"].recognition.certificate_code
    assert re.search(rf'href="/recognitions/{code}/"', response.content.decode())
