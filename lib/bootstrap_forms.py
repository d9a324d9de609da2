"""Forms in Bootstrap 5's markup, written out in Python: `{{ form|bootstrap_form }}` and
`{{ form.field|bootstrap_field }}` (template library `bootstrap_forms`).

A form rendered through templates costs a template for its wrapper, its label, its help and
its errors, and Django's widget templates for the control and each option of a list: on a
staff page of a few milliseconds of SQL that was most of the page (a four-field form, three
quarters of the view). Here the common controls (inputs, checkboxes, text areas, lists,
radio and check lists) are written from the widget's own context (`Widget.get_context`: its
attributes, its formatted value and its options, exactly as Django's templates get them);
any other widget (a file field, a project widget with its own template) is rendered by
Django as before, inside the same wrapper.

The markup is Bootstrap's: `mb-3` wrapper, `form-label`, `form-control` / `form-select` /
`form-check-input`, `is-invalid`, errors in `.invalid-feedback` with the id
`<field id>_error` and help in `.form-text` with the id `<field id>_helptext`, the two ids
Django's `aria-describedby` names. A required field's label ends with an asterisk. The error
block is always shown (`d-block`): Bootstrap shows `.invalid-feedback` only right after an
invalid control, which a radio list or a widget with its own wrapper (the unit search) does
not have. An option's label is written as given: a year stays 2026, where Django's option
template would group it as a number ("2.026" in Vietnamese).

Given anything but a form (a missing variable, a formset), `bootstrap_form` writes nothing
and `bootstrap_field` likewise, as a template filter should, rather than failing the page.
"""

from django import forms, template
from django.forms import BaseForm, BoundField
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

_WIDGETS = "django/forms/widgets/"
# Widgets whose template is Django's plain <input>: rendered here from their context.
INPUT_TEMPLATES = {
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "tel",
        "search",
        "color",
        "checkbox",
    )
}
SELECT_TEMPLATE = f"{_WIDGETS}select.html"
TEXTAREA_TEMPLATE = f"{_WIDGETS}textarea.html"
OPTION_TEMPLATE = f"{_WIDGETS}select_option.html"
CHOICE_LIST_TEMPLATES = {f"{_WIDGETS}radio.html", f"{_WIDGETS}checkbox_select.html"}


def _attrs(attrs):
    """Attributes as Django's attrs.html writes them: False left out, True bare."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _classes(*parts):
    seen = []
    for part in parts:
        for name in (part or "").split():
            if name not in seen:
                seen.append(name)
    return " ".join(seen)


def _invalid(bound):
    return "is-invalid" if bound.errors else ""


def _context(bound, attrs):
    """The widget's context, as `BoundField.as_widget` would render it with `attrs`."""
    widget = bound.field.widget
    if bound.field.localize:
        widget.is_localized = True
    attrs = bound.build_widget_attrs(attrs, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    return widget.get_context(bound.html_name, bound.value(), attrs)["widget"]


def _input(widget):
    value = widget["value"]
    value = "" if value is None else f' value="{escape(value)}"'
    kind, name = escape(widget["type"]), escape(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _select(widget):
    html = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(f'<optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            html.append(
                f'<option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>"
            )
        if group_name:
            html.append("</optgroup>")
    html.append("</select>")
    return "".join(html)


def _textarea(widget):
    value = widget["value"]
    return (
        f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{escape(value) if value else ''}</textarea>"
    )


def _control(bound, css):
    """The field's control with the Bootstrap class `css` (and is-invalid on an error)."""
    classes = _classes(bound.field.widget.attrs.get("class"), css, _invalid(bound))
    attrs = {"class": classes} if classes else {}
    widget = _context(bound, attrs)
    name = widget["template_name"]
    if name in INPUT_TEMPLATES:
        return _input(widget)
    if name == SELECT_TEMPLATE and all(
        option["template_name"] == OPTION_TEMPLATE
        for _group, options, _index in widget["optgroups"]
        for option in options
    ):
        return _select(widget)
    if name == TEXTAREA_TEMPLATE:
        return _textarea(widget)
    # Any other widget: Django's own template, with the same attributes.
    return bound.as_widget(attrs=attrs)


def _label_text(bound):
    star = '<span class="asteriskField">*</span>' if bound.field.required else ""
    return format_html("{}{}", bound.label, mark_safe(star))


def _help(bound):
    if not bound.help_text:
        return ""
    # Help texts are the developers' own, and may hold markup (as in Django's templates).
    text = mark_safe(bound.help_text)
    return format_html('<div id="{}_helptext" class="form-text">{}</div>', bound.auto_id, text)


def _errors(bound):
    if not bound.errors:
        return ""
    lines = "".join(
        format_html('<p id="error_{}_{}"><strong>{}</strong></p>', n, bound.auto_id, error)
        for n, error in enumerate(bound.errors, start=1)
    )
    return format_html(
        '<div id="{}_error" class="invalid-feedback d-block">{}</div>',
        bound.auto_id,
        mark_safe(lines),
    )


def _required(bound):
    return " requiredField" if bound.field.required else ""


def _choice_list(bound):
    """Radio buttons or check boxes, one `form-check` each, in a fieldset with a legend."""
    widget = _context(bound, {})
    classes = escape(_classes(widget["attrs"].get("class"), "form-check-input", _invalid(bound)))
    html = ["<div>"]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(format_html("<strong>{}</strong>", group_name))
        for option in options:
            attrs = {k: v for k, v in option["attrs"].items() if k != "class"}
            html.append(
                f'<div class="form-check"><input type="{escape(option["type"])}" '
                f'class="{classes}" '
                f'name="{escape(option["name"])}" value="{escape(option["value"])}"'
                f"{_attrs(attrs)}>"
                f'<label for="{escape(attrs.get("id", ""))}" class="form-check-label">'
                f"{conditional_escape(option['label'])}</label></div>"
            )
    html.append("</div>")
    return mark_safe("".join(html) + _errors(bound) + _help(bound))


def field_html(bound):
    if bound.is_hidden:
        return mark_safe(_control(bound, ""))
    widget = bound.field.widget
    wrapper = _classes("mb-3", bound.css_classes())
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="{}">{}'
            '<label for="{}" class="form-check-label{}">{}</label>{}{}</div></div>',
            bound.auto_id,
            _classes("form-check", bound.css_classes()),
            mark_safe(_control(bound, "form-check-input")),
            bound.id_for_label,
            _required(bound),
            _label_text(bound),
            _errors(bound),
            _help(bound),
        )
    # Radio buttons and check box lists (a subclass with its own template is left to Django).
    if isinstance(widget, forms.RadioSelect) and widget.template_name in CHOICE_LIST_TEMPLATES:
        legend = format_html(
            '<legend class="form-label{} fs-6">{}</legend>', _required(bound), _label_text(bound)
        )
        described = bound.aria_describedby
        return format_html(
            '<div id="div_{}" class="{}"><fieldset{}>{}{}</fieldset></div>',
            bound.auto_id,
            wrapper,
            format_html(' aria-describedby="{}"', described) if described else "",
            legend if bound.label else "",
            _choice_list(bound),
        )
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    label = ""
    if bound.label:
        label = format_html(
            '<label{} class="form-label{}">{}</label>',
            format_html(' for="{}"', bound.id_for_label) if bound.id_for_label else "",
            _required(bound),
            _label_text(bound),
        )
    return format_html(
        '<div id="div_{}" class="{}">{}{}{}{}</div>',
        bound.auto_id,
        wrapper,
        label,
        mark_safe(_control(bound, css)),
        _errors(bound),
        _help(bound),
    )


@register.filter
def bootstrap_field(bound):
    """One field of a form, with its label, help and errors."""
    return field_html(bound) if isinstance(bound, BoundField) else ""


@register.filter
def bootstrap_form(form):
    """A whole form: its errors that belong to no field, then every field in order."""
    if not isinstance(form, BaseForm):
        return ""
    html = []
    errors = form.non_field_errors()
    if errors:
        items = "".join(format_html("<li>{}</li>", error) for error in errors)
        html.append(
            format_html(
                '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
                mark_safe(items),
            )
        )
    html.extend(field_html(bound) for bound in form)
    return mark_safe("".join(conditional_escape(part) for part in html))
