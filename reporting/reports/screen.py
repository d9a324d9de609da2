"""The report's figures as the pages print them, formatted once in Python.

A province report can have a thousand rows of thirty figures: formatting each through
template filters (floatformat, localisation) costs seconds, a plain format string a few
milliseconds. Numbers use the active language's separators (Vietnamese: 156.879 and 25,7%).
"""

from django.utils.formats import get_format

from .fund_table import fund_cells

DASH = "–"


class Formatter:
    def __init__(self):
        self.thousand = get_format("THOUSAND_SEPARATOR")
        self.decimal = get_format("DECIMAL_SEPARATOR")

    def _swap(self, text):
        return text.replace(",", "\0").replace(".", self.decimal).replace("\0", self.thousand)

    def whole(self, value):
        return DASH if value is None else self._swap(f"{value:,}")

    def percent(self, value, digits=1):
        return DASH if value is None else self._swap(f"{value:,.{digits}f}") + "%"


def title_cells(row, fmt):
    """Per title: "recognised / registered", the rate, the target, whether it is met."""
    return [
        {
            "counts": f"{fmt.whole(cell.recognised)} / {fmt.whole(cell.registered)}",
            # The rate with the target beside it: "72,5% (70%)".
            "rate": fmt.percent(cell.rate)
            + (f" ({cell.target}%)" if cell.target is not None else ""),
            "short_rate": fmt.percent(cell.rate, 0),
            "meets": cell.meets,
        }
        for cell in row.cells
    ]


def member_cells(row, fmt):
    """Members, population, ratio, centres per band, rated, classes, participant-visits."""
    return [
        fmt.whole(row.members) if row.has_figures else DASH,
        fmt.whole(row.population) if row.has_figures else DASH,
        fmt.percent(row.ratio),
        *(fmt.whole(n) for n in row.band_values),
        fmt.whole(row.rated),
        fmt.whole(row.classes),
        fmt.whole(row.participants),
    ]


def prepare(report, rows=None):
    """Attach `screen` (the formatted figures) to `rows` (default: every row) and to the
    totals row: a page of a long table formats only its own rows."""
    fmt = Formatter()
    for row in [*(report.rows if rows is None else rows), report.total]:
        row.screen = {
            "titles": title_cells(row, fmt),
            "counts": f"{fmt.whole(row.recognised)} / {fmt.whole(row.registered)}",
            "registered": fmt.whole(row.registered),
            "recognised": fmt.whole(row.recognised),
            "rate": fmt.percent(row.rate),
            "members": member_cells(row, fmt),
        }
        if "funds" in report.parts:
            row.screen["funds"] = fund_cells(row, fmt)
    return report
