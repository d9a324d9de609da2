"""The PDF helpers: fonts embedded from their files, and nothing else fetched."""

from contextlib import closing

import pytest

from lib.pdf import FONT_FACES, LocalOnlyFetcher, font_css, font_dir


@pytest.fixture
def fonts(settings, tmp_path):
    settings.PDF_FONT_DIR = str(tmp_path)
    for _family, _weight, file in FONT_FACES:
        (tmp_path / file).write_bytes(b"not really a font")
    return tmp_path


def test_the_font_rules_point_at_the_files_and_fall_back_to_the_family(fonts):
    (fonts / "DejaVuSans-Bold.ttf").unlink()
    css = font_css()
    assert f'url("{(fonts / "DejaVuSans.ttf").as_uri()}"), local("DejaVu Sans")' in css
    assert 'font-weight: bold; font-style: normal; src: local("DejaVu Sans")' in css
    assert css.count("@font-face") == len(FONT_FACES)


def test_the_fetcher_loads_the_fonts_and_data_uris_only(fonts, tmp_path):
    fetcher = LocalOnlyFetcher()
    font = (font_dir() / FONT_FACES[0][2]).as_uri()
    with closing(fetcher.fetch(font)) as fetched:
        assert fetched.read() == b"not really a font"
    with closing(fetcher.fetch("data:text/plain,xin%20ch%C3%A0o")) as fetched:
        assert fetched.read() == "xin chào".encode()
    secret = tmp_path.parent / "secret.txt"
    secret.write_text("private")
    for url in (secret.as_uri(), "http://127.0.0.1:8000/", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="may not load"):
            fetcher.fetch(url)
