"""`{% kept "name" value… %}…{% endkept %}`: a fragment rendered once per process for each
set of values (and the active language), then reused as it is.

For the parts of a busy page that hold no per-request data: the public header (its links,
the association's name and emblem, which section is current) is the same for every visitor
of a section, yet rendering it (five `{% url %}`, translations) cost as much as the rest of a
repeated search. The fragment must depend on nothing but the values named and the language:
name every one it reads (a user's state, the path's prefix, a setting shown). Kept in this
process's memory only (nothing shared, nothing pickled), at most KEPT_MAX fragments, so a
deploy (a new process) always renders afresh.

Registered in settings (TEMPLATES libraries) because lib is no app.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

KEPT_MAX = 512
_KEPT = {}


class KeptNode(template.Node):
    def __init__(self, name, values, nodelist):
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def render(self, context):
        key = (self.name, get_language(), *(str(v.resolve(context)) for v in self.values))
        html = _KEPT.get(key)
        if html is None:
            html = mark_safe(self.nodelist.render(context))
            if len(_KEPT) >= KEPT_MAX:
                _KEPT.clear()
            _KEPT[key] = html
        return html


@register.tag
def kept(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'kept' takes a name, then the values it depends on")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(bits[1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
