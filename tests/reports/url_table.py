from tests.urltable import Row, staff

# The report URLs take the unit, year and view from the query string; the bare URL reports on
# each persona's own top unit (the commune of an officer, the province for province staff).
# Another unit's report answers 404: tests/reports/test_views.py asks for it by `?unit=`.
ROWS = [
    Row("reports:yearly", staff()),
    Row("reports:yearly-xlsx", staff()),
    Row("reports:yearly-pdf", staff()),
    Row("reports:recognised-list", staff()),
    # An officer's top unit is a commune, whose list downloads; above a commune there is no
    # single list to download.
    Row("reports:recognised-list-xlsx", staff(province_staff=404)),
    Row("reports:recognised-list-pdf", staff(province_staff=404)),
    # The yearly fund report (funds): the persona's own top unit.
    Row("reports:funds", staff()),
    Row("reports:funds-xlsx", staff()),
    Row("reports:funds-pdf", staff()),
]
