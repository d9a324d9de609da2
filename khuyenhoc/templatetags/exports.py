"""`{% export_links "registrations" %}`: the list's "Excel / CSV" download links.

The links carry the page's query string (its filters and sort), without the page number, so
the download holds the rows the list shows, on every page. Names: registrations,
recognitions, centers, center-reports, ratings, units (khuyenhoc.exports.views.EXPORTS).
A page with several exports names each: `{% translate "Ratings" as label %}
{% export_links "ratings" label %}`.
"""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("exports/links.html", takes_context=True)
def export_links(context, name, label=""):
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is not None:
        query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    return {
        "label": label,
        "xlsx_url": reverse(f"exports:{name}-xlsx") + suffix,
        "csv_url": reverse(f"exports:{name}-csv") + suffix,
    }
