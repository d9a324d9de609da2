"""The QĐ 677/QĐ-TTg targets for learning citizens (PROVISIONAL data, as the other targets).

QĐ 677/QĐ-TTg of 03/06/2022 ("Xây dựng mô hình Công dân học tập giai đoạn 2021–2030"), and
QĐ 387/QĐ-TTg for 2025: by 2025, 40% of the adults in families and communities (and 60% of
the staff of organisations) are learning citizens, 70% of them with digital skills; by 2030,
70% and 80%. How a province measures a year before 2025 against them is province staff's to
confirm: here every year to 2025 is measured against the 2025 figures, 2026–2030 against the
2030 ones.
"""

BASIS = "QĐ 677/QĐ-TTg"
PROVISIONAL = True
TARGETS = (
    # (first year, last year, share of adults, share of them with digital skills, share of
    # the staff of organisations)
    (2021, 2025, 40, 70, 60),
    (2026, 2030, 70, 80, 80),
)


def _row(year):
    return next((row for row in TARGETS if row[0] <= year <= row[1]), None)


def citizen_target(year):
    """The share of adults (percent) that should be learning citizens in `year`, or None."""
    row = _row(year)
    return row[2] if row else None


def digital_target(year):
    """The share of learning citizens (percent) that should have digital skills, or None."""
    row = _row(year)
    return row[3] if row else None


def staff_target(year):
    """The share of the staff of organisations (percent) that should be learning citizens in
    `year` (QĐ 677/QĐ-TTg: 60% by 2025, 80% by 2030), or None."""
    row = _row(year)
    return row[4] if row else None
