"""Money as the association writes it: 1.500.000 đ (whole đồng, dots grouping thousands)."""

from django import template

register = template.Library()


def format_vnd(value):
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".") + " đ"


@register.filter
def vnd(value):
    return format_vnd(value)
