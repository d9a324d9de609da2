"""The normalised form of names used for search and duplicate checks.

Names are stored as typed (in Unicode NFC); searches compare a second, normalised column:
lower case, no diacritics, "đ" read as "d", single spaces. "Nguyễn Văn Đức" -> "nguyen van duc".
"""

import unicodedata


def nfc(text):
    """`text` in Unicode NFC with its spaces collapsed: the form names are stored in."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def normalise(text):
    """Lower case, no diacritics, đ -> d, single spaces: the form searches compare."""
    text = unicodedata.normalize("NFC", text or "").lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", bare).split())
