import pytest
from django.urls import reverse

from models_learning import certificates
from tests.certificates.builders import recognised_family, recognised_subject, subject_of_kind

from .pdfs import font_names, qr_texts, reader, text_of

pytestmark = pytest.mark.django_db

LANDSCAPE_A4 = (842, 595)  # points


def pdf_url(recognition):
    return reverse("certificates:certificate-pdf", args=[recognition.certificate_code])


def test_officer_gets_the_certificate_as_an_inline_pdf_named_after_its_code(
    client, officer, recognition
):
    client.force_login(officer)
    response = client.get(pdf_url(recognition))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline")
    assert f"giay-cong-nhan-{recognition.certificate_code}.pdf" in disposition
    assert "no-store" in response["Cache-Control"]


def test_certificate_text_holds_name_title_decision_and_code_with_diacritics(
    client, officer, recognition
):
    client.force_login(officer)
    text = text_of(client.get(pdf_url(recognition)).content)
    assert "Nguyễn Thị Ánh Hồng" in text
    assert "GIẤY CÔNG NHẬN" in text
    assert "GIA ĐÌNH HỌC TẬP NĂM 2026" in text
    assert "Gia đình học tập năm 2026" in text
    assert "17/QĐ-HKH" in text
    assert recognition.certificate_code in text
    assert "Bản Co Muông, Xã Mường Phăng" in text
    assert "Hội Khuyến học tỉnh Điện Biên" in text
    assert "ngày 20 tháng 11 năm 2026" in text


def test_certificate_is_one_landscape_a4_page_set_in_embedded_dejavu(officer, recognition):
    pdf = reader(certificates.render_certificate(recognition))
    assert len(pdf.pages) == 1
    page = pdf.pages[0]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == LANDSCAPE_A4
    fonts = font_names(page)
    assert fonts, "no font in the page"
    assert all("DejaVu" in name for name in fonts), fonts
    for font in page["/Resources"]["/Font"].values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object(), "the font is not embedded"


def test_qr_code_decodes_to_the_absolute_verify_url(client, officer, recognition):
    client.force_login(officer)
    page = reader(client.get(pdf_url(recognition)).content).pages[0]
    expected = f"https://khuyenhoc.example.vn/verify/{recognition.certificate_code}/"
    assert qr_texts(page) == [expected]
    assert certificates.verify_url(recognition.certificate_code) == expected


def test_the_code_may_be_typed_in_lower_case(client, officer, recognition):
    client.force_login(officer)
    url = reverse("certificates:certificate-pdf", args=[recognition.certificate_code.lower()])
    assert client.get(url).status_code == 200


def test_province_staff_print_any_commune_certificate(client, province_staff, recognition):
    client.force_login(province_staff)
    assert client.get(pdf_url(recognition)).status_code == 200


def test_officer_of_another_commune_gets_404(client, sibling_officer, recognition):
    client.force_login(sibling_officer)
    assert client.get(pdf_url(recognition)).status_code == 404


def test_unknown_code_is_404(client, officer, recognition):
    client.force_login(officer)
    url = reverse("certificates:certificate-pdf", args=["DB-2026-NOPE99"])
    assert client.get(url).status_code == 404


def test_anonymous_visitor_is_sent_to_the_login_page(client, recognition):
    response = client.get(pdf_url(recognition))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_revoked_recognition_certificate_is_refused_with_the_reason(client, officer, revoked):
    client.force_login(officer)
    response = client.get(pdf_url(revoked))
    assert response.status_code == 410
    assert response["Content-Type"].startswith("text/html")
    assert "Quàng Thị Ưởng" in response.text
    assert "Hồ sơ khai sai" in response.text


def test_certificate_of_an_unissued_decision_is_marked_as_a_draft(tree, officer, province_staff):
    draft = recognised_family(
        officer, province_staff, tree["commune"], name="Vì Văn Xuân", issued=False
    )
    text = text_of(certificates.render_certificate(draft))
    assert "BẢN NHÁP" in text
    assert "Vì Văn Xuân" in text


def test_an_issued_certificate_carries_no_draft_mark(recognition):
    assert "BẢN NHÁP" not in text_of(certificates.render_certificate(recognition))


def test_certificate_is_vietnamese_even_when_the_officer_reads_the_portal_in_english(
    client, officer, recognition
):
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    text = text_of(client.get(pdf_url(recognition)).content)
    assert "GIẤY CÔNG NHẬN" in text


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("clan", "DÒNG HỌ HỌC TẬP"),
        ("community", "CỘNG ĐỒNG HỌC TẬP"),
        ("organisation", "ĐƠN VỊ HỌC TẬP"),
    ],
)
def test_each_title_has_its_own_heading(tree, officer, province_staff, kind, title):
    subject = subject_of_kind(kind, officer, tree["commune"])
    recognition = recognised_subject(officer, province_staff, subject)
    text = text_of(certificates.render_certificate(recognition))
    assert f"{title} NĂM 2026" in text
    assert recognition.registration.subject_name in text
    assert "Xã Mường Phăng" in text


def test_names_typed_as_html_are_printed_as_text(tree, officer, province_staff):
    odd = recognised_family(
        officer, province_staff, tree["commune"], name='<img src="file:///etc/passwd"> Lò Văn A'
    )
    text = text_of(certificates.render_certificate(odd))
    assert '<img src="file:///etc/passwd"> Lò Văn A' in text


def test_verify_url_uses_the_site_base_url(settings):
    settings.SITE_BASE_URL = "https://hkh.dienbien.example"
    assert certificates.verify_url("DB-2026-ABCDEF") == (
        "https://hkh.dienbien.example/verify/DB-2026-ABCDEF/"
    )
