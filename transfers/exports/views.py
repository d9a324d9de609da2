"""One view per staff list: its rows as .xlsx or .csv, streamed, every text cell neutralised."""

from django.http import Http404

from lib.sheets import stream_csv, stream_xlsx

from . import citizen_rows, fund_book, rows

EXPORTS = {
    "registrations": rows.registrations,
    "recognitions": rows.recognitions,
    "centers": rows.centers,
    "center-reports": rows.center_reports,
    "ratings": rows.ratings,
    "units": rows.units,
    "fund-book": fund_book.fund_book,
    "citizens": citizen_rows.citizens,
}
FORMATS = ("xlsx", "csv")


def export(request, name, fmt):
    """GET with the list's own filters; anything outside the viewer's scope is never read."""
    if name not in EXPORTS or fmt not in FORMATS:
        raise Http404
    spec, data, filename = EXPORTS[name](request)
    if fmt == "xlsx":
        return stream_xlsx(spec, data, f"{filename}.xlsx")
    return stream_csv(spec, data, f"{filename}.csv")
