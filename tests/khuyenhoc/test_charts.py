from django.template import Context, Template


def render(rows, **options):
    template = Template(
        "{% load charts %}{% bar_chart rows 'name' 'value' 'Hội viên' "
        + " ".join(f"{k}={v!r}" for k, v in options.items())
        + " %}"
    )
    return template.render(Context({"rows": rows}))


def test_bar_chart_scales_bars_to_the_largest_value_and_labels_each_one():
    svg = render([{"name": "2018", "value": 156879}, {"name": "2014", "value": 78439.5}])
    assert svg.count('<rect class="bar"') == 2
    assert 'width="320.0"' in svg  # the largest fills the span
    assert 'width="160.0"' in svg
    assert ">2018</text>" in svg
    assert "<title>Hội viên</title>" in svg


def test_percent_chart_uses_a_fixed_scale_and_caps_overflowing_values():
    svg = render(
        [{"name": "Gia đình", "value": 50}, {"name": "Dòng họ", "value": 130}],
        maximum=100,
        percent=True,
    )
    assert 'width="160.0"' in svg
    assert 'width="320.0"' in svg


def test_empty_chart_renders_without_error():
    svg = render([])
    assert "<svg" in svg
    assert "<rect" not in svg


def test_svg_coordinates_are_never_localised_even_in_vietnamese():
    from django.utils import translation

    rows = [{"name": str(i), "value": 1000 + i} for i in range(60)]
    with translation.override("vi"):
        svg = render(rows)
    assert 'viewBox="0 0 520 1440"' in svg  # not "1.440"
    assert ">1.059</text>" in svg  # but the values read the Vietnamese way
