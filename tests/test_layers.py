"""The layers hold in templates too: a lower app's template never loads a higher app's tags.

(Python imports are checked by lint-imports, `make lint`; template tag libraries are found by
name at render time, so import-linter cannot see them.)
"""

import re
from pathlib import Path

from django.apps import apps
from django.template import engines

# Lowest first; apps of one layer may not load each other's libraries either.
LAYERS = {
    "lib": 0,
    "jobs": 1,
    "units": 2,
    "models_learning": 3,
    "centers": 3,
    "funds": 3,
    "citizens": 4,
    "transfers": 5,
    "reporting": 5,
    "khuyenhoc": 6,
}
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def _owner(library_name, libraries):
    module = libraries[library_name]
    return module.split(".")[0]


def _loads(template_dir):
    for path in sorted(Path(template_dir).rglob("*.html")):
        for match in LOAD.finditer(path.read_text(encoding="utf-8")):
            words = match.group(1).split()
            # `{% load a b c %}` or `{% load x y from library %}`
            names = words[words.index("from") + 1 :] if "from" in words else words
            for name in names:
                yield path, name


def test_no_app_template_loads_a_tag_library_of_a_higher_or_sibling_app():
    libraries = engines["django"].engine.libraries
    wrong = []
    for config in apps.get_app_configs():
        if config.name not in LAYERS:
            continue
        for path, name in _loads(Path(config.path) / "templates"):
            owner = _owner(name, libraries)
            if owner in LAYERS and owner != config.name and LAYERS[owner] >= LAYERS[config.name]:
                wrong.append(f"{path}: {{% load {name} %}} ({owner})")
    assert not wrong, wrong


def test_the_check_sees_a_library_of_a_higher_app():
    libraries = engines["django"].engine.libraries
    assert _owner("charts", libraries) == "reporting"
    assert LAYERS[_owner("charts", libraries)] > LAYERS["units"]
    assert _owner("download_links", libraries) == "lib"
