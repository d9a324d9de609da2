"""What every PDF of the portal shares (certificates, decision lists, reports): the DejaVu
fonts, embedded from their files, and a URL fetcher that loads those files and data: URIs only,
so that no text in a document can make the server fetch anything else."""

from pathlib import Path

from django.conf import settings
from weasyprint.urls import URLFetcher

# (CSS family, weight, file): the four faces fonts-dejavu-core ships.
FONT_FACES = (
    ("DejaVu Serif", "normal", "DejaVuSerif.ttf"),
    ("DejaVu Serif", "bold", "DejaVuSerif-Bold.ttf"),
    ("DejaVu Sans", "normal", "DejaVuSans.ttf"),
    ("DejaVu Sans", "bold", "DejaVuSans-Bold.ttf"),
)


def font_dir():
    return Path(settings.PDF_FONT_DIR)


def font_css():
    """@font-face rules for FONT_FACES, from their files when present."""
    rules = []
    for family, weight, file in FONT_FACES:
        path = font_dir() / file
        # The family name is kept so that fontconfig finds the same face when the file moved.
        source = f'url("{path.as_uri()}"), ' if path.exists() else ""
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal;'
            f' src: {source}local("{family}"); }}'
        )
    return "\n".join(rules)


class LocalOnlyFetcher(URLFetcher):
    """Fetches data: URIs and the font files, nothing else."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"data", "file"}, **kwargs)

    def fetch(self, url, headers=None):
        allowed = {(font_dir() / file).as_uri() for _family, _weight, file in FONT_FACES}
        if url.startswith("data:") or url in allowed:
            return super().fetch(url, headers)
        raise ValueError(f"A document may not load {url!r}.")
