import unicodedata

import pytest
from django.utils import translation

from lib.sheets import Column, Kind, SheetSpec, clean_text, neutralise, unneutralise
from lib.sheets.columns import INSTRUCTIONS_TITLE, match_key, sheet_title, text_variants


def test_clean_text_composes_nfd_and_collapses_stray_spaces():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    assert decomposed != "Nguyễn Văn Đức"
    assert clean_text(f"  {decomposed}\t \u00a0\n") == "Nguyễn Văn Đức"
    assert clean_text("Lò\u200b  Văn\ufeff  Piếng") == "Lò Văn Piếng"


def test_match_key_ignores_case_spaces_and_composition_but_not_diacritics():
    assert match_key(" HỌ  TÊN chủ hộ ") == match_key(unicodedata.normalize("NFD", "Họ tên chủ hộ"))
    assert match_key("Ho ten chu ho") != match_key("Họ tên chủ hộ")


@pytest.mark.parametrize("text", ["=1+1", "+84912", "-5", "@SUM(A1)", "\t=x", "\r=x", " =x", "＝1"])
def test_text_a_spreadsheet_could_run_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text
    assert unneutralise(neutralise(text)) == text


def test_ordinary_text_is_left_alone_and_an_apostrophe_in_front_is_escaped():
    assert neutralise("Lò Văn Piếng") == "Lò Văn Piếng"
    assert neutralise("a=b") == "a=b"
    assert neutralise("'quoted") == "''quoted"
    assert unneutralise("''quoted") == "'quoted"
    assert unneutralise("'plain") == "'plain"  # not our escape: kept as typed


def test_neutralise_drops_characters_an_xlsx_cannot_hold():
    assert neutralise("a\x00b\x1fc") == "abc"


def test_sheet_titles_fit_excel_rules():
    assert sheet_title("Hộ gia đình [2024]: danh sách/đăng ký học tập năm nay") == (
        "Hộ gia đình  2024   danh sách đ"
    )
    assert len(sheet_title("x" * 50)) == 31


def test_text_variants_recognise_a_header_in_every_language_of_the_portal():
    with translation.override("en"):
        keys = text_variants(INSTRUCTIONS_TITLE)
    assert {"instructions", "hướng dẫn"} <= keys


def test_year_columns_default_to_a_sane_range_and_bounds_may_be_callables():
    assert Column("y", "Năm", kind=Kind.YEAR).bounds() == (1900, 2100)
    assert Column("y", "Năm", kind=Kind.YEAR, max_value=lambda: 2026).bounds() == (1900, 2026)


def test_choices_may_be_labels_pairs_or_a_callable_of_the_context():
    assert Column("t", "T", kind=Kind.CHOICE, choices=["A ", "B"]).resolve_choices() == [
        ("A ", "A"),
        ("B", "B"),
    ]
    column = Column("v", "V", kind=Kind.CHOICE, choices=lambda ctx: [(ctx, f"Bản {ctx}")])
    assert column.resolve_choices(7) == [(7, "Bản 7")]


def test_a_spec_refuses_duplicate_keys_or_headers_and_bad_codes():
    with pytest.raises(ValueError):
        SheetSpec("S", "s", [Column("a", "A"), Column("a", "B")])
    with pytest.raises(ValueError):
        SheetSpec("S", "s", [Column("a", "Họ tên"), Column("b", " họ  TÊN ")])
    with pytest.raises(ValueError):
        SheetSpec("S", "Not A Slug", [Column("a", "A")])
    with pytest.raises(ValueError):
        Column("v", "V", kind=Kind.CHOICE)
