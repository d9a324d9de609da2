import unicodedata

import pytest

from lib.text import nfc, normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("ĐINH VĂN ĐỨC", "dinh van duc"),
        (unicodedata.normalize("NFD", "Lường Thị Ính"), "luong thi inh"),
        ("  Vừ   A  Dính ", "vu a dinh"),
        ("Bản Co Muông", "ban co muong"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_drops_case_diacritics_and_extra_spaces(text, expected):
    assert normalise(text) == expected


def test_names_are_stored_in_nfc_with_single_spaces():
    decomposed = unicodedata.normalize("NFD", " Quàng  Văn Minh ")
    assert nfc(decomposed) == unicodedata.normalize("NFC", "Quàng Văn Minh")
