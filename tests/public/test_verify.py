"""/recognitions/<code>/ and /verify/<code>/: the public facts and the state (valid, expired,
revoked with its date), codes typed in any case, unknown codes 404, guessing rate-limited."""

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def verify_url(code):
    return reverse("models_learning-public:verify", args=[code])


def detail_url(code):
    return reverse("models_learning-public:recognition-detail", args=[code])


def test_a_valid_certificate_says_it_is_valid_with_the_public_facts(client, states):
    recognition = states["valid"]
    response = client.get(verify_url(recognition.certificate_code))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-state="valid"' in html
    assert "Giấy công nhận còn hiệu lực." in html
    for fact in (
        "Nguyễn Thị Hiệu Lực",
        "Gia đình học tập",
        "2026",
        "Bản Co Muông",
        "Xã Mường Phăng",
        recognition.decision_number,
        recognition.decision_date.strftime("%d/%m/%Y"),
        recognition.valid_to.strftime("%d/%m/%Y"),
        recognition.certificate_code,
        "Tỉnh Điện Biên",
    ):
        assert fact in html, fact


def test_an_expired_certificate_says_until_when_it_was_valid(client, states):
    recognition = states["expired"]
    response = client.get(verify_url(recognition.certificate_code))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-state="expired"' in html
    assert "Giấy công nhận đã hết hiệu lực." in html
    assert recognition.valid_to.strftime("%d/%m/%Y") in html


def test_a_revoked_certificate_says_so_with_the_date_everywhere(client, states):
    recognition = states["revoked"]
    day = timezone.localdate(recognition.revoked_at).strftime("%d/%m/%Y")
    for url in (verify_url(recognition.certificate_code), detail_url(recognition.certificate_code)):
        html = client.get(url).content.decode()
        assert 'data-state="revoked"' in html
        assert day in html
        assert 'data-state="valid"' not in html
        # The reason is a staff note: never public.
        assert "Kê khai sai" not in html
    assert (
        "Giấy công nhận đã bị thu hồi."
        in client.get(verify_url(recognition.certificate_code)).content.decode()
    )


def test_codes_are_case_insensitive_and_spaces_do_not_matter(client, states):
    code = states["valid"].certificate_code
    for typed in (code.lower(), f" {code} ", code.replace("-", "- ")):
        assert client.get(verify_url(typed)).status_code == 200
        # The recognition's page has one address: the upper-case one.
        response = client.get(detail_url(typed))
        assert (response.status_code, response["Location"]) == (301, detail_url(code))
        assert client.get(detail_url(typed), follow=True).status_code == 200


def test_the_verify_form_sends_the_typed_code_to_its_check(client, states):
    code = states["valid"].certificate_code
    response = client.get(reverse("models_learning-public:verify-form"), {"code": code.lower()})
    assert response.status_code == 302
    assert response["Location"] == verify_url(code)
    bad = client.get(reverse("models_learning-public:verify-form"), {"code": "<&>"})
    assert bad.status_code == 400
    assert "DB-2026-7KQ4M2" in bad.content.decode()
    assert client.get(reverse("models_learning-public:verify-form")).status_code == 200


@pytest.mark.parametrize(
    "code",
    ["DB-2026-ZZZZZZ", "nope", "x" * 300, "DB-2026-%27%3B--", "%00", "..", "ĐB-2026-ABCDEF"],
)
def test_an_unknown_or_malformed_code_is_a_clear_404(client, states, code):
    for url in (verify_url(code), detail_url(code)):
        response = client.get(url)
        assert response.status_code == 404
        html = response.content.decode()
        assert "Không tìm thấy giấy công nhận" in html
        assert 'data-state="unknown"' in html


def test_a_file_that_was_only_proposed_has_no_public_page(client, states):
    # Not recognised: no code, and nothing to find by its name either.
    assert (
        not hasattr(states["proposed"], "recognition") or states["proposed"].status != "recognized"
    )
    html = client.get(
        reverse("models_learning-public:recognition-search"), {"q": "de nghi"}
    ).content.decode()
    assert "Cà Văn Đề Nghị" not in html


@pytest.mark.django_db(transaction=True)  # real commits: issuing drops the searches kept
def test_a_draft_decision_is_not_public_until_it_is_issued(client, states, province_staff):
    """Approved but the decision not issued: /verify/ said "Còn hiệu lực" with the decision
    number, while the staff page said "not issued" and the PDF carried "Bản nháp"."""
    from models_learning import services

    draft = states["draft"]
    assert draft.issued_at is None
    for url in (verify_url(draft.certificate_code), detail_url(draft.certificate_code)):
        response = client.get(url)
        assert response.status_code == 404
        assert "Còn hiệu lực" not in response.text
        assert draft.decision_number not in response.text
    search = reverse("models_learning-public:recognition-search")
    assert "Tòng Văn Chưa Ban Hành" not in client.get(search, {"q": "chua ban hanh"}).text
    assert "Tòng Văn Chưa Ban Hành" not in client.get(search).text

    services.issue_decision(draft, by=province_staff)
    response = client.get(verify_url(draft.certificate_code))
    assert response.status_code == 200
    assert "Còn hiệu lực" in response.text and draft.decision_number in response.text
    assert "Tòng Văn Chưa Ban Hành" in client.get(search, {"q": "chua ban hanh"}).text


def test_the_recognition_page_links_to_its_check(client, states):
    code = states["valid"].certificate_code
    html = client.get(detail_url(code)).content.decode()
    assert f'href="{verify_url(code)}"' in html
    assert "<title>Nguyễn Thị Hiệu Lực · Gia đình học tập 2026" in html


def test_repeated_failed_lookups_from_one_address_are_rate_limited(client, states, settings):
    settings.VERIFY_FAILURE_LIMIT = 3
    settings.VERIFY_FAILURE_WINDOW = 600
    good = states["valid"].certificate_code
    for n in range(3):
        assert client.get(verify_url(f"DB-2026-NOPE{n}")).status_code == 404
    # Now every look-up from this address waits, even a right one, on both pages.
    blocked = client.get(verify_url(good))
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "600"
    assert "Tra cứu quá nhiều lần" in blocked.content.decode()
    assert "10 phút" in blocked.content.decode()
    assert client.get(detail_url(good)).status_code == 429
    # Another address is not affected.
    assert client.get(verify_url(good), REMOTE_ADDR="203.0.113.9").status_code == 200


def test_successful_lookups_do_not_count_towards_the_limit(client, states, settings):
    settings.VERIFY_FAILURE_LIMIT = 3
    good = states["valid"].certificate_code
    for _n in range(10):
        assert client.get(verify_url(good)).status_code == 200


def test_behind_a_proxy_the_forwarded_address_is_limited_not_the_proxys(client, states, settings):
    settings.VERIFY_FAILURE_LIMIT = 2
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for _n in range(2):
        client.get(verify_url("DB-2026-ZZZZZZ"), HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert (
        client.get(verify_url("DB-2026-ZZZZZZ"), HTTP_X_FORWARDED_FOR="198.51.100.7").status_code
        == 429
    )
    assert (
        client.get(
            verify_url(states["valid"].certificate_code), HTTP_X_FORWARDED_FOR="198.51.100.8"
        ).status_code
        == 200
    )


def test_a_commune_that_ended_shows_the_commune_it_became_part_of(client, tree, settings):
    from models_learning import public

    from .conftest import bench

    bench(20)
    row = public.recognised().filter(unit=tree["old_commune"]).first()
    html = client.get(detail_url(row.recognition.certificate_code)).content.decode()
    assert "Xã Nà Nhạn" in html
    assert "nay thuộc Xã Mường Phăng" in html
