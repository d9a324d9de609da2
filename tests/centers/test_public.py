"""Public centre pages: no login, published data only, never contacts, evidence, scores per
criterion or reviewers' notes; a fixed number of queries however many centres."""

import pytest
from django.urls import reverse

from centers import services
from centers.models import LearningCenter
from tests.factories import make_unit
from units.models import Level

from .builders import pdf_upload, published_rating, this_year

SECRETS = (
    "Lò Văn Bình",  # director
    "0912 345 678",  # phone
    "ttht.muongphang@example.vn",  # e-mail
    "Ghi chú nội bộ của người chấm.",  # reviewer's note
    "Thiếu sổ theo dõi lớp học pháp luật.",  # reason of a score change
    "Đã họp ban giám đốc.",  # the commune's note
    "bien-ban.pdf",  # evidence
    "Chưa có quy chế.",  # return reason
)


@pytest.fixture
def full_history(center, officer, province_staff, published, report):
    """A published rating with every kind of private note, evidence, and a returned one."""
    services.add_evidence(
        services.save_self_assessment(
            center, by=officer, year=this_year() - 1, scores={1: 20, 2: 20, 3: 15, 4: 20}
        ),
        pdf_upload(),
        by=officer,
    )
    rating = center.ratings.get(year=this_year() - 1)
    services.submit_rating(rating, by=officer)
    services.return_rating(rating, by=province_staff, reason="Chưa có quy chế.")
    return center


def pages(client, center):
    urls = [
        reverse("centers-public:center-directory"),
        reverse("centers-public:center-directory") + f"?year={this_year()}",
        reverse("centers-public:center-directory") + f"?year={this_year()}&view=today",
        reverse("centers-public:center-detail", args=[center.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, response.content.decode()


def test_public_pages_need_no_login_and_show_the_published_band(client, full_history):
    texts = dict(pages(client, full_history))
    detail = texts[reverse("centers-public:center-detail", args=[full_history.pk])]
    assert "Tốt" in detail
    assert full_history.name in texts[reverse("centers-public:center-directory")]


def test_public_pages_never_show_contacts_evidence_scores_or_notes(client, full_history):
    for url, text in pages(client, full_history):
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaks on {url}"


def test_the_public_page_shows_only_published_ratings(client, center, self_assessed):
    response = client.get(reverse("centers-public:center-detail", args=[center.pk]))
    assert response.context["ratings"] == []
    directory = client.get(reverse("centers-public:center-directory"))
    (row,) = directory.context["page_obj"]
    assert row.latest_band is None


def test_the_directory_shows_the_latest_published_band_and_filters_by_commune_and_band(
    client, center, sibling_center, tree
):
    published_rating(center, 2023, 90)
    published_rating(center, 2024, 72)
    published_rating(sibling_center, 2024, 88)
    url = reverse("centers-public:center-directory")

    def listed(**params):
        return {
            c.pk: (c.latest_year, c.latest_band)
            for c in client.get(url, params).context["page_obj"]
        }

    assert listed() == {center.pk: (2024, "Khá"), sibling_center.pk: (2024, "Tốt")}
    assert listed(band="tot") == {sibling_center.pk: (2024, "Tốt")}
    assert listed(commune=tree["commune"].pk) == {center.pk: (2024, "Khá")}
    assert listed(commune="abc", band="<script>") == listed()


def test_a_merged_centre_leaves_the_directory_but_keeps_its_page(
    client, center, legacy_center, province_staff
):
    import datetime

    services.merge_centers(
        center, [legacy_center], by=province_staff, date=datetime.date(2026, 1, 1)
    )
    listed = client.get(reverse("centers-public:center-directory")).context["page_obj"]
    assert [c.pk for c in listed] == [center.pk]
    page = client.get(reverse("centers-public:center-detail", args=[legacy_center.pk]))
    assert page.context["merged_into"].successor == center


def test_an_unknown_centre_is_a_404(client, db):
    assert client.get(reverse("centers-public:center-detail", args=[999])).status_code == 404


@pytest.fixture
def many_public_centres(tree, scheme):
    for n in range(120):
        commune = (
            make_unit(f"Xã Số {n}", Level.COMMUNE, tree["district"])
            if n % 3 == 0
            else tree["commune"]
        )
        center = LearningCenter.objects.create(name=f"TTHTCĐ {n:03d}", commune=commune)
        for year in (2018, 2019):
            published_rating(center, year, 40 + n % 60)


def test_public_pages_keep_their_query_count_with_many_centres(
    client, many_public_centres, django_assert_max_num_queries
):
    url = reverse("centers-public:center-directory")
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert len(response.context["page_obj"]) == 50
    with django_assert_max_num_queries(6):
        client.get(url, {"band": "kha", "page": 2})
    with django_assert_max_num_queries(8):
        response = client.get(url, {"year": 2019})
    assert response.context["summary"]["total"] == 120
    with django_assert_max_num_queries(11):
        response = client.get(url, {"year": 2019, "view": "today"})
    assert sum(row["total"] for row in response.context["summary"]["rows"]) == 120
