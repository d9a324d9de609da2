"""Which band a total earns: a pure function of the total and the scheme's bands (data)."""

from decimal import Decimal

from django.utils.formats import number_format


def band_for(total, bands):
    """The band with the highest threshold that `total` reaches, or None if it reaches none.

    `bands` are objects with a `min_total` (a scheme's RatingBand rows, in any order). A band
    is reached at its threshold exactly: with 85 / 70 / 50, 85 is tốt and 84.99 is khá.
    """
    total = Decimal(str(total))
    for band in sorted(bands, key=lambda b: Decimal(str(b.min_total)), reverse=True):
        if total >= Decimal(str(band.min_total)):
            return band
    return None


def format_points(value):
    """Points as a person writes them: 30, 25,5 (no exponent, no trailing zeros)."""
    return number_format(Decimal(f"{Decimal(str(value)).normalize():f}"))
