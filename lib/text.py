"""Vietnamese names: the form they are stored in, and the form searches, duplicate checks and
sorting compare.

Names are stored as typed (in Unicode NFC); searches compare a second, normalised column:
lower case, no diacritics, "đ" read as "d", single spaces. "Nguyễn Văn Đức" -> "nguyen van duc".
"""

import functools
import unicodedata


def nfc(text):
    """`text` in Unicode NFC with its spaces collapsed: the form names are stored in."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


class _Marks(dict):
    """For str.translate: a combining mark's code -> None (dropped), any other -> itself.
    Learnt as characters are met (those of the Latin and Vietnamese blocks kept)."""

    def __missing__(self, code):
        value = None if unicodedata.combining(chr(code)) else code
        if code < _MARKS_KEPT_BELOW:
            self[code] = value
        return value


_MARKS_KEPT_BELOW = 0x3000
_MARKS = _Marks()


@functools.lru_cache(maxsize=4096)
def normalise(text):
    """Lower case, no diacritics, đ -> d, single spaces: the form searches compare.

    Remembered for the last few thousand texts: an import compares each row's name several
    times (the file's own duplicates, the households it finds, the duplicate rule)."""
    text = text or ""
    if text.isascii():
        return " ".join(text.lower().split())
    text = unicodedata.normalize("NFC", text).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    bare = decomposed.translate(_MARKS)
    return " ".join(unicodedata.normalize("NFC", bare).split())


def name_key(name):
    """Sort Vietnamese names as a reader expects: Đ with D, diacritics after the letter."""
    return (normalise(name), name)
