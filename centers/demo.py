"""Demo data of the learning centres, on the real Điện Biên tree loaded by the units demo.

- A centre for each of the 130 communes of 2014–2019. In 2020 the centres of the four
  communes that moved follow their successor rows, and Tà Lèng's centre merges into Thanh
  Minh's (129 centres). From 1 July 2025 every centre stays, attached to the new commune its
  commune merged into; province staff have merged the centres of a few communes since.
- Yearly reports 2016–2025: the province's participant-visits between 150.000 and 170.000.
- Published ratings 2014–2025; 2018 exactly as the founding report: of 130 centres 29 tốt,
  77 khá, 19 trung bình, 5 chưa đạt. This year: Xã Mường Phăng's centre has self-assessed,
  a few others wait for province staff.

History is written in bulk (it is demo data only); what a person would do today (carrying
centres over, merging them, the self-assessment) goes through the services. Every number
comes from a fixed seed: two runs make the same data, and a second run changes nothing.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.dates import local_today
from units.models import Level, Unit
from units.selectors import portal_province

from . import services
from .models import (
    TOPICS,
    CenterRating,
    CenterRatingEvent,
    CenterScore,
    CenterYearReport,
    LearningCenter,
    Premises,
    RatingStatus,
)

FIRST_YEAR, LAST_RATED_YEAR = 2014, 2025
REPORT_YEARS = range(2016, 2026)
DAY_2020 = datetime.date(2020, 1, 1)
DAY_2025 = datetime.date(2025, 7, 1)
MERGE_DAY = datetime.date(2026, 3, 16)
BASIS_2020 = "Nghị quyết 815/NQ-UBTVQH14"
# Communes of today whose legacy centres province staff have already merged in the demo.
MERGED_COMMUNES = ("Phường Điện Biên Phủ", "Xã Thanh Nưa", "Xã Tủa Chùa")
# 2018 as in the founding report (29 tốt and 77 khá of 130); the rest is demo.
COUNTS_2018 = {"tot": 29, "kha": 77, "trung-binh": 19, "chua-dat": 5}
SHARE_TOT = {2014: 0.12, 2015: 0.15, 2016: 0.18, 2017: 0.20, 2019: 0.24, 2020: 0.26,
             2021: 0.28, 2022: 0.30, 2023: 0.32, 2024: 0.34, 2025: 0.36}  # fmt: skip
SHARE_KHA = 0.58
SHARE_CHUA_DAT = {2014: 0.06, 2015: 0.05, 2016: 0.05, 2017: 0.04, 2019: 0.03, 2020: 0.03,
                  2021: 0.02, 2022: 0.02, 2023: 0.02, 2024: 0.01, 2025: 0.01}  # fmt: skip
TOTAL_RANGE = {
    "tot": (Decimal(85), Decimal("96")),
    "kha": (Decimal(70), Decimal("84.5")),
    "trung-binh": (Decimal(50), Decimal("69.5")),
    "chua-dat": (Decimal(38), Decimal("49.5")),
}
# Share of the participant-visits per topic, in the order of TOPICS.
TOPIC_SHARES = (0.08, 0.21, 0.30, 0.15, 0.19, 0.07)
DIRECTORS = (
    "Lò Văn Thành", "Quàng Thị Mai", "Lường Văn Pấng", "Cà Thị Xuân", "Vừ A Dế", "Giàng Thị Dua",
    "Nguyễn Văn Hùng", "Tòng Văn Ơn", "Lò Thị Hoa", "Sùng A Páo", "Điêu Chính Tươi", "Mùa A Sử",
)  # fmt: skip
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF\n"


def seed(stdout):
    if LearningCenter.objects.exists():
        stdout.write(_("Centres demo: already there, nothing changed."))
        return
    province = portal_province()
    if province is None or not _communes_on(province, datetime.date(2019, 12, 31)):
        stdout.write(_("Centres demo: load the units first (no Điện Biên tree found)."))
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["demo-province", "demo-commune"])
    }
    staff, officer = users.get("demo-province"), users.get("demo-commune")
    with transaction.atomic():
        counts = _seed(province, staff, officer)
    stdout.write(
        _(
            "Centres demo: %(centers)s centres, %(reports)s yearly reports, %(ratings)s "
            "published ratings, %(merged)s centres merged."
        )
        % counts
    )


def _communes_on(province, day):
    return list(
        Unit.objects.valid_on(day)
        .filter(level=Level.COMMUNE, path__startswith=province.path)
        .order_by("admin_code", "pk")
    )


def _center_name(commune):
    return f"Trung tâm học tập cộng đồng {commune.name[:1].lower()}{commune.name[1:]}"


def _seed(province, staff, officer):
    scheme = services.ensure_default_scheme()
    rng = random.Random(2014)
    communes = _communes_on(province, datetime.date(2019, 12, 31))
    centers = LearningCenter.objects.bulk_create(
        _new_center(commune, index, rng) for index, commune in enumerate(communes)
    )
    # Each centre's "quality" is fixed, so the same centres tend to do well year after year.
    quality = {c.pk: rng.random() for c in centers}
    origin = {c.pk: c.commune for c in centers}
    stats = {"reports": 0, "ratings": 0, "merged": 0, "centers": len(centers)}
    bands = {b.code: b for b in scheme.bands.all()}
    criteria = list(scheme.criteria.all())

    def history(years, live):
        for year in years:
            stats["ratings"] += _ratings(year, live, quality, scheme, bands, criteria)
            if year in REPORT_YEARS:
                stats["reports"] += _reports(year, live)

    history(range(FIRST_YEAR, 2020), centers)
    services.carry_centers_over(by=staff, day=DAY_2020)
    stats["merged"] += _merge_where_several(DAY_2020, staff, origin, BASIS_2020, communes=None)
    history(range(2020, 2025), _live())
    services.carry_centers_over(by=staff, day=DAY_2025)
    history([2025], _live())
    today = local_today()
    stats["merged"] += _merge_where_several(
        min(MERGE_DAY, today),
        staff,
        origin,
        "Quyết định của Ủy ban nhân dân xã về việc sắp xếp Trung tâm học tập cộng đồng",
        communes=MERGED_COMMUNES,
    )
    _this_year(today.year, officer, origin)
    return stats


def _new_center(commune, index, rng):
    founded = datetime.date(2007 + index % 6, 1 + index % 12, 1 + index % 27)
    return LearningCenter(
        name=_center_name(commune),
        commune=commune,
        founding_decision=f"Quyết định số {100 + index}/QĐ-UBND",
        founded_on=founded,
        valid_from=founded,
        director=DIRECTORS[index % len(DIRECTORS)],
        phone=f"0215 3{index:02d} {rng.randrange(100, 999)}",
        address=f"Nhà văn hóa trung tâm, {commune.name}",
        premises=(Premises.SHARED, Premises.OWN, Premises.SHARED, Premises.NONE)[index % 4],
        full_time_staff=index % 2,
        seconded_teachers=2 + index % 3,
        volunteers=3 + index % 5,
        email="" if index % 3 else f"ttht.{index}@example.vn",
    )


def _live():
    return list(LearningCenter.objects.filter(valid_to__isnull=True).select_related("commune"))


def _band_counts(year, n):
    if year == 2018 and n == sum(COUNTS_2018.values()):
        return dict(COUNTS_2018)
    tot = round(n * SHARE_TOT[year])
    kha = round(n * SHARE_KHA)
    chua_dat = round(n * SHARE_CHUA_DAT[year])
    return {"tot": tot, "kha": kha, "trung-binh": n - tot - kha - chua_dat, "chua-dat": chua_dat}


def _scores(total, criteria):
    """Points per criterion adding up to `total`, in half points, each within its maximum."""
    maximum = sum(c.max_points for c in criteria)
    points = {}
    for c in criteria:
        points[c.number] = (c.max_points * total / maximum * 2).to_integral_value(
            rounding="ROUND_FLOOR"
        ) / 2
    rest = total - sum(points.values())
    for c in sorted(criteria, key=lambda c: c.max_points - points[c.number], reverse=True):
        step = min(rest, c.max_points - points[c.number])
        points[c.number] += step
        rest -= step
    return points


def _ratings(year, centers, quality, scheme, bands, criteria):
    rng = random.Random(year)
    ranked = sorted(centers, key=lambda c: quality[c.pk] + rng.random() * 0.35, reverse=True)
    counts = _band_counts(year, len(ranked))
    published_at = timezone.make_aware(datetime.datetime(year + 1, 1, 20, 9, 0))  # noqa: DTZ001
    ratings, position = [], 0
    for code in ("tot", "kha", "trung-binh", "chua-dat"):
        low, high = TOTAL_RANGE[code]
        for center in ranked[position : position + counts[code]]:
            total = low + Decimal(rng.randrange(int((high - low) * 2) + 1)) / 2
            ratings.append(
                CenterRating(
                    center=center,
                    year=year,
                    scheme=scheme,
                    commune=center.commune,
                    status=RatingStatus.PUBLISHED,
                    total=total,
                    band=bands[code],
                    published_at=published_at,
                )
            )
        position += counts[code]
    ratings = CenterRating.objects.bulk_create(ratings)
    scores, events = [], []
    for rating in ratings:
        points = _scores(rating.total, criteria)
        scores += [
            CenterScore(
                rating=rating,
                criterion=c,
                max_points=c.max_points,
                self_points=points[c.number],
                points=points[c.number],
            )
            for c in criteria
        ]
        events.append(
            CenterRatingEvent(
                rating=rating,
                action="publish",
                from_status=RatingStatus.RATED,
                to_status=RatingStatus.PUBLISHED,
                reason="Nhập từ báo cáo tổng kết năm (dữ liệu minh họa).",
            )
        )
    CenterScore.objects.bulk_create(scores)
    CenterRatingEvent.objects.bulk_create(events)
    return len(ratings)


def _split(total, weights):
    """`total` shared in proportion to `weights`, as whole numbers adding up exactly."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    result = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: shares[i] - result[i], reverse=True)
    for i in order[: total - sum(result)]:
        result[i] += 1
    return result


def _reports(year, centers):
    rng = random.Random(10_000 + year)
    total = 150_000 + (year - REPORT_YEARS.start) * 1_900 + rng.randrange(0, 1_500)
    visits = _split(total, [0.5 + rng.random() for _ in centers])
    reports = []
    for center, center_visits in zip(centers, visits, strict=True):
        by_topic = _split(center_visits, TOPIC_SHARES)
        figures = {}
        for (key, _label), n in zip(TOPICS, by_topic, strict=True):
            figures[f"{key}_participants"] = n
            figures[f"{key}_classes"] = max(1, n // 40) if n else 0
        reports.append(
            CenterYearReport(
                center=center,
                year=year,
                commune=center.commune,
                learners_women=center_visits // 4,
                learners_ethnic_minorities=center_visits * 3 // 5,
                learners_elderly=center_visits // 10,
                funds_state_budget=rng.randrange(10, 31) * 1_000_000,
                funds_social=rng.randrange(2, 11) * 1_000_000,
                funds_other=rng.randrange(0, 4) * 500_000,
                **figures,
            )
        )
    CenterYearReport.objects.bulk_create(reports)
    return len(reports)


def _merge_where_several(day, staff, origin, basis, communes):
    """Merge the legacy centres of each commune holding several (or only of `communes`).

    The centre kept is the one whose commune gave the new commune its code, else the first.
    """
    by_commune = {}
    for center in _live():
        by_commune.setdefault(center.commune_id, []).append(center)
    merged = 0
    for group in by_commune.values():
        commune = group[0].commune
        if len(group) < 2 or (communes is not None and commune.name not in communes):
            continue
        group.sort(key=lambda c: (origin[c.pk].admin_code != commune.admin_code, c.name))
        services.merge_centers(group[0], group[1:], by=staff, date=day, legal_basis=basis)
        merged += len(group) - 1
    return merged


def _this_year(year, officer, origin):
    """Xã Mường Phăng's centre has self-assessed; three other centres wait to be rated."""
    live = _live()
    muong_phang = next((c for c in live if origin[c.pk].name == "Xã Mường Phăng"), None)
    if muong_phang is not None:
        rating = services.save_self_assessment(
            muong_phang,
            by=officer,
            year=year,
            scores={1: Decimal(21), 2: Decimal("25.5"), 3: Decimal(16), 4: Decimal(20)},
            note="Đã họp ban giám đốc trung tâm ngày 20/11.",
        )
        upload = SimpleUploadedFile("bien-ban-tu-danh-gia.pdf", PDF, "application/pdf")
        services.add_evidence(rating, upload, by=officer, description="Biên bản tự đánh giá")
    others = [c for c in live if c is not muong_phang and c.commune.valid_to is None][:3]
    for index, center in enumerate(others):
        rating = services.save_self_assessment(
            center,
            by=None,
            year=year,
            scores={1: Decimal(20 + index), 2: Decimal(24), 3: Decimal(15), 4: Decimal(19)},
        )
        services.submit_rating(rating, by=None)
