"""Server-rendered SVG bar charts: no charting JavaScript, light, printable."""

from django import template

register = template.Library()

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 130
VALUE_WIDTH = 70
WIDTH = 520


@register.inclusion_tag("partials/bar_chart.html")
def bar_chart(rows, label, value, title, maximum=None, percent=False):
    """Horizontal bars for `rows` (dicts or objects): `label` and `value` name their fields.

    `maximum` fixes the scale (100 for percentages); otherwise the largest value fills it.
    """

    def field(row, name):
        return row.get(name) if isinstance(row, dict) else getattr(row, name)

    points = [(field(row, label), field(row, value) or 0) for row in rows]
    top = maximum or max((v for _, v in points), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = [
        {
            "label": name,
            "value": amount,
            "y": index * (BAR_HEIGHT + GAP),
            "text_y": index * (BAR_HEIGHT + GAP) + BAR_HEIGHT - 5,
            "width": round(span * min(amount, top) / top, 1),
            "value_x": LABEL_WIDTH + round(span * min(amount, top) / top, 1) + 4,
        }
        for index, (name, amount) in enumerate(points)
    ]
    return {
        "bars": bars,
        "title": title,
        "percent": percent,
        "width": WIDTH,
        "height": max(len(bars) * (BAR_HEIGHT + GAP), BAR_HEIGHT),
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }
