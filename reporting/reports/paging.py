"""Which of a report's rows are folded one by one.

The files (Excel, PDF) and the dashboard need every row. A page shows 25: a province's
report has 1,100 communes, and making, filling, adding up and formatting a row object for
each of them cost the page three times its SQL. So a page folds only its own rows; every
other row's figures go into one `rest` row, which the totals read and nothing shows, so the
totals stay those of every row.
"""

from collections import namedtuple

from django.core.paginator import Paginator

from units.models import Level, Unit

ROWS_PER_PAGE = 25
# What the report reads of a child unit, before it becomes a row (its order, whether it was
# there in the year) and as the row's unit (its name, note, level, province and its code).
CHILD_FIELDS = ("id", "name", "level", "parent_id", "path", "valid_from", "valid_to", "admin_code")


class Child(namedtuple("Child", CHILD_FIELDS)):
    """A child unit as a row's unit: the fields above, and `pk` like a Unit's."""

    __slots__ = ()

    @property
    def pk(self):
        return self.id


def child_units(parent):
    """The units under `parent` that may be rows of its report, as plain `Child` tuples: a
    province's 1,100 communes cost a fraction of as many model instances, and the dashboard
    makes a row of each."""
    return [
        Child(*values)
        for values in Unit.objects.filter(parent=parent)
        .exclude(level=Level.BRANCH)
        .values_list(*CHILD_FIELDS)
    ]


def rows_to_fold(keys, *, order, make_row, page, size=ROWS_PER_PAGE):
    """({key: row} in the report's order, the Page or None).

    `keys`: every row of the report; `order(key)`: its sort key; `make_row(key)`: a new row.
    Without `page`, every key gets its row. With it, only the keys of that page (a bad or
    out-of-range number gives the first or last page, as Paginator.get_page does), and the
    Page's `object_list` is those rows.
    """
    ordered = sorted(keys, key=order)
    if page is None:
        return {key: make_row(key) for key in ordered}, None
    rows_page = Paginator(ordered, size).get_page(page)
    rows = {key: make_row(key) for key in rows_page.object_list}
    rows_page.object_list = list(rows.values())
    return rows, rows_page
