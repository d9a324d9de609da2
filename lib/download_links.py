"""`{% download_links "exports:registrations" %}`: a list's "Excel / CSV" download links.

The links carry the page's query string (its filters and sort), without the page number, so
the download holds the rows the list shows, on every page. The name is the prefix of two URL
names, `<name>-xlsx` and `<name>-csv` (e.g. transfers.exports.views.EXPORTS). A page with
several downloads names each: `{% translate "Ratings" as label %}
{% download_links "exports:ratings" label %}`.

Registered in settings (TEMPLATES libraries) because lib is no app: any app's template may load
it without loading a higher app's tag library.
"""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("partials/download_links.html", takes_context=True)
def download_links(context, name, label=""):
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is not None:
        query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    return {
        "label": label,
        "xlsx_url": reverse(f"{name}-xlsx") + suffix,
        "csv_url": reverse(f"{name}-csv") + suffix,
    }
