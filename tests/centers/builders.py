"""Centres, reports and ratings for the small tree (tests/factories.py), made through the services.

Plain functions, so that the URL table (which sees only the global fixtures) can use them too.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from centers import services
from lib.dates import this_year

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
# The default scheme's four areas: maxima 25 / 30 / 20 / 25.
GOOD_SCORES = {1: Decimal(22), 2: Decimal(27), 3: Decimal(18), 4: Decimal(21)}  # 88: tốt
FAIR_SCORES = {1: Decimal(19), 2: Decimal(22), 3: Decimal(14), 4: Decimal(19)}  # 74: khá


def scores_for(total):
    """Scores of the default scheme adding up to `total` (0–100), each within its maximum."""
    maxima = {1: Decimal(25), 2: Decimal(30), 3: Decimal(20), 4: Decimal(25)}
    total = Decimal(str(total))
    scores, left = {}, total
    for number, maximum in maxima.items():
        share = min(maximum, (maximum * total / 100).quantize(Decimal("0.01")))
        scores[number] = share
        left -= share
    # Put the rounding rest where it fits.
    for number, maximum in maxima.items():
        room = maximum - scores[number]
        step = max(min(left, room), -scores[number])
        scores[number] += step
        left -= step
    assert sum(scores.values()) == total
    return scores


def pdf_upload(name="bien-ban.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_center(tree):
    """Today's Xã Mường Phăng's centre, with contacts that must never be public."""
    services.ensure_default_scheme()
    return services.create_center(
        by=None,
        commune=tree["commune"],
        name="Trung tâm học tập cộng đồng xã Mường Phăng",
        founding_decision="Quyết định số 123/QĐ-UBND",
        founded_on=datetime.date(2009, 3, 2),
        director="Lò Văn Bình",
        phone="0912 345 678",
        email="ttht.muongphang@example.vn",
        address="Bản Co Muông, xã Mường Phăng",
        valid_from=datetime.date(2009, 3, 2),
    )


def make_legacy_center(tree):
    """The centre of old Xã Nà Nhạn, carried over into today's Xã Mường Phăng."""
    services.ensure_default_scheme()
    return services.create_center(
        by=None,
        commune=tree["commune"],
        name="Trung tâm học tập cộng đồng xã Nà Nhạn",
        valid_from=datetime.date(2010, 5, 1),
    )


def make_sibling_center(tree):
    services.ensure_default_scheme()
    return services.create_center(
        by=None,
        commune=tree["sibling"],
        name="Trung tâm học tập cộng đồng phường Mường Thanh",
        valid_from=datetime.date(2010, 1, 1),
    )


REPORT_FIGURES = {
    "literacy_classes": 4,
    "literacy_participants": 120,
    "law_classes": 6,
    "law_participants": 400,
    "agriculture_classes": 8,
    "agriculture_participants": 520,
    "health_classes": 3,
    "health_participants": 210,
    "culture_classes": 5,
    "culture_participants": 600,
    "learners_women": 700,
    "learners_ethnic_minorities": 1500,
    "learners_elderly": 200,
    "funds_state_budget": 20_000_000,
    "funds_social": 5_000_000,
}


def make_report(center, officer, year=None):
    return services.file_year_report(
        center, by=officer, year=year or this_year() - 1, **REPORT_FIGURES
    )


def make_self_assessed(center, officer, year=None, scores=GOOD_SCORES):
    return services.save_self_assessment(
        center, by=officer, year=year or this_year(), scores=scores, note="Đã họp ban giám đốc."
    )


def make_submitted(center, officer, **kwargs):
    return services.submit_rating(make_self_assessed(center, officer, **kwargs), by=officer)


def make_rated(center, officer, province_staff, **kwargs):
    return services.rate_center(
        make_submitted(center, officer, **kwargs),
        by=province_staff,
        scores={**GOOD_SCORES, 2: Decimal(25)},
        reasons={2: "Thiếu sổ theo dõi lớp học pháp luật."},
        note="Ghi chú nội bộ của người chấm.",
    )


def make_published(center, officer, province_staff, **kwargs):
    rating = make_rated(center, officer, province_staff, **kwargs)
    return services.publish_rating(rating, by=province_staff)


def published_rating(center, year, total, commune=None):
    """A published rating of the default scheme (for counting tests): the scores add up."""
    from centers.bands import band_for
    from centers.models import CenterRating, CenterScore, RatingStatus

    scheme = services.ensure_default_scheme()
    total = Decimal(str(total))
    rating = CenterRating.objects.create(
        center=center,
        year=year,
        scheme=scheme,
        commune=commune or center.commune,
        status=RatingStatus.PUBLISHED,
        total=total,
        band=band_for(total, list(scheme.bands.all())),
        published_at=timezone.now(),
    )
    points = scores_for(total)
    CenterScore.objects.bulk_create(
        CenterScore(
            rating=rating,
            criterion=c,
            max_points=c.max_points,
            self_points=points[c.number],
            points=points[c.number],
        )
        for c in scheme.criteria.all()
    )
    return rating
