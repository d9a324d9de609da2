"""`{% portal_menu %}`: the staff header's menu (templates/partials/portal_menu.html), rendered
once per process for each language and each answer to "may this user manage accounts?".

The menu is the same for every request with those two facts: its links (a dozen `{% url %}`),
its labels and its groups (four apps' partials) depend on nothing else, while rendering them
was a good part of every staff page's fixed cost. What does vary per user (the name, the roles,
the sign-out form's CSRF token) stays in base_portal.html, rendered on every request. The copy
is dropped when settings change (tests) and is not kept under DEBUG, where templates may be
edited while the server runs.

Registered in settings (TEMPLATES libraries), like lib.download_links.
"""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_rendered = {}


@receiver(setting_changed)
def _forget(**kwargs):
    _rendered.clear()


@register.simple_tag(takes_context=True)
def portal_menu(context):
    portal = context.get("portal")
    manages = bool(portal and portal.can_manage_accounts)
    key = (get_language(), manages, get_script_prefix(), get_urlconf())
    html = _rendered.get(key)
    if html is None:
        html = render_to_string("partials/portal_menu.html", {"can_manage_accounts": manages})
        if not settings.DEBUG:
            _rendered[key] = html
    return mark_safe(html)
