"""lib.bootstrap_forms: every control it writes itself is the HTML Django's widget templates
write for the same field (same attributes, value, options, state), in Bootstrap's wrapper
with the label, help and error ids that aria-describedby names; hostile values are escaped;
a widget it does not know is left to Django."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.test.html import parse_html

from lib.bootstrap_forms import _control, bootstrap_field, bootstrap_form

HOSTILE = '"><script>alert(1)</script>'


class Everything(forms.Form):
    name = forms.CharField(max_length=20, help_text="Như trên giấy khai sinh.")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    members = forms.IntegerField(min_value=0, localize=True)
    born = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    email = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    agreed = forms.BooleanField(required=False)
    kind = forms.ChoiceField(choices=[("", "---"), ("family", "Gia đình"), ("clan", "Dòng họ")])
    grouped = forms.ChoiceField(
        choices=[("Miền núi", [("a", "Bản A"), ("b", "Bản B")]), ("c", "Khác")], required=False
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    level = forms.ChoiceField(choices=[("1", "Tỉnh"), ("2", "Xã")], widget=forms.RadioSelect)
    tags = forms.MultipleChoiceField(
        choices=[("p", "P"), ("q", "Q")], widget=forms.CheckboxSelectMultiple, required=False
    )
    upload = forms.FileField(required=False)

    def clean(self):
        raise forms.ValidationError("Một lỗi của cả biểu mẫu.")


DATA = {
    "name": HOSTILE,
    "note": f"dòng một\n{HOSTILE}",
    "members": "1234567",
    "born": "2026-12-02",
    "email": "không phải thư",
    "secret": "bí mật",
    "token": HOSTILE,
    "agreed": "on",
    "kind": "clan",
    "grouped": "b",
    "many": ["x", "y"],
    "level": "2",
    "tags": ["q"],
}


def _forms():
    initial = {"born": datetime.date(2026, 1, 31), "members": 12000, "kind": "family"}
    return [Everything(initial=initial), Everything(DATA)]


CONTROLS = ("name", "note", "members", "born", "email", "secret", "token", "agreed", "kind")


@pytest.mark.parametrize("bound_form", [0, 1], ids=["unbound", "bound with errors"])
@pytest.mark.parametrize("name", [*CONTROLS, "grouped", "many"])
def test_each_control_is_what_djangos_widget_template_writes(bound_form, name):
    form = _forms()[bound_form]
    if bound_form:
        form.is_valid()
    bound = form[name]
    css = "form-check-input" if name == "agreed" else "form-control"
    ours = _control(bound, css)
    expected_class = " ".join(c for c in (css, "is-invalid" if bound.errors else "") if c)
    django = bound.as_widget(attrs={"class": expected_class})
    assert parse_html(ours) == parse_html(django)


def test_a_hostile_value_is_escaped_everywhere():
    form = Everything(DATA)
    form.is_valid()
    html = str(bootstrap_form(form))
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") >= 3  # the text input, the text area, the hidden input


def test_the_wrapper_names_the_label_help_and_errors_that_aria_describedby_points_at():
    form = Everything({**DATA, "name": ""})
    form.is_valid()
    html = str(bootstrap_field(form["name"]))
    assert 'id="div_id_name" class="mb-3"' in html
    assert '<label for="id_name" class="form-label requiredField">' in html
    assert '<span class="asteriskField">*</span>' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    error = '<div id="id_name_error" class="invalid-feedback d-block"><p id="error_1_id_name">'
    assert error in html
    assert '<div id="id_name_helptext" class="form-text">Như trên giấy khai sinh.</div>' in html
    # The error block follows the control.
    assert html.index("<input") < html.index("invalid-feedback")


def test_a_check_box_has_its_label_after_it():
    html = str(bootstrap_field(Everything()["agreed"]))
    assert '<div class="mb-3"><div id="div_id_agreed" class="form-check">' in html
    assert html.index('<input type="checkbox"') < html.index('<label for="id_agreed"')
    assert 'class="form-check-input"' in html


def test_radio_buttons_are_a_fieldset_with_a_legend_and_a_label_for_each():
    form = Everything({**DATA, "level": "9"})
    form.is_valid()
    html = str(bootstrap_field(form["level"]))
    fragment = parse_html(html)
    assert "<fieldset" in html and '<legend class="form-label requiredField fs-6">' in html
    for n, label in ((0, "Tỉnh"), (1, "Xã")):
        assert f'id="id_level_{n}"' in html
        assert f'<label for="id_level_{n}" class="form-check-label">{label}</label>' in html
    assert html.count('class="form-check-input is-invalid"') == 2
    assert 'id="id_level_error"' in html
    assert (
        fragment.count(
            parse_html(
                '<input type="radio" name="level" value="1" '
                'class="form-check-input is-invalid" id="id_level_0" '
                'required aria-invalid="true">'
            )
        )
        == 1
    )


def test_check_box_lists_keep_what_was_ticked():
    form = Everything(DATA)
    form.is_valid()
    html = str(bootstrap_field(form["tags"]))
    assert 'type="checkbox"' in html
    assert parse_html(
        '<input type="checkbox" class="form-check-input" name="tags" value="q" '
        'id="id_tags_1" checked>'
    ) in parse_html(html)


def test_a_widget_it_does_not_write_is_rendered_by_django_in_the_same_wrapper():
    html = str(bootstrap_field(Everything()["upload"]))
    assert '<input type="file" name="upload" class="form-control" id="id_upload">' in html
    assert '<div id="div_id_upload" class="mb-3">' in html


def test_the_form_shows_its_own_errors_first_and_every_field_in_order():
    form = Everything(DATA)
    form.is_valid()
    html = str(bootstrap_form(form))
    assert html.startswith('<div class="alert alert-block alert-danger"><ul class="m-0"><li>')
    assert "Một lỗi của cả biểu mẫu." in html
    positions = [html.index(f'name="{name}"') for name in ("name", "note", "members", "token")]
    assert positions == sorted(positions)
    assert str(bootstrap_form(Everything())).startswith('<div id="div_id_name"')


def test_the_template_library_loads_by_name():
    rendered = Template("{% load bootstrap_forms %}{{ form|bootstrap_form }}").render(
        Context({"form": Everything()})
    )
    assert '<label for="id_members" class="form-label requiredField">' in rendered


def test_a_choice_lists_error_is_shown_though_no_control_comes_right_before_it():
    """Bootstrap shows .invalid-feedback only after an .is-invalid control; a radio list's
    block follows the list, so it is always displayed (d-block)."""
    form = Everything({**DATA, "level": ""})
    form.is_valid()
    html = str(bootstrap_field(form["level"]))
    assert '<div id="id_level_error" class="invalid-feedback d-block">' in html


class Years(forms.Form):
    year = forms.TypedChoiceField(choices=[(2025, 2025), (2026, 2026)], coerce=int)


def test_an_options_label_is_written_as_given_not_grouped_as_a_number():
    html = str(bootstrap_field(Years(initial={"year": 2026})["year"]))
    assert '<option value="2026" selected>2026</option>' in html


class OwnRadio(forms.RadioSelect):
    template_name = "django/forms/widgets/select.html"


def test_a_radio_widget_with_its_own_template_is_left_to_django():
    class Form(forms.Form):
        level = forms.ChoiceField(choices=[("1", "Tỉnh")], widget=OwnRadio)

    html = str(bootstrap_field(Form()["level"]))
    assert "<fieldset" not in html and '<select name="level"' in html


@pytest.mark.parametrize("value", ["", None, [Everything()]])
def test_given_anything_but_a_form_the_filters_write_nothing(value):
    assert bootstrap_form(value) == ""
    assert bootstrap_field(value) == ""
