import datetime as dt
from decimal import Decimal

import pytest

from lib.sheets import Column, Kind
from lib.sheets.parsing import CellError, parse_cell

YEAR = Column("y", "Năm sinh", kind=Kind.YEAR, min_value=1900, max_value=2025)
COUNT = Column("n", "Số nhân khẩu", kind=Kind.INT, min_value=1, max_value=30)
SCORE = Column("s", "Điểm", kind=Kind.DECIMAL, min_value=0, max_value=100, decimal_places=1)
DATE = Column("d", "Ngày", kind=Kind.DATE)
NAME = Column("t", "Họ tên", required=True, max_length=10)
VILLAGE = Column("v", "Thôn", kind=Kind.CHOICE, choices=[(1, "Bản Mới"), (2, "Bản Cang")])


def error(column, raw):
    with pytest.raises(CellError) as caught:
        parse_cell(column, raw)
    return caught.value.detail


@pytest.mark.parametrize("raw", [1975, 1975.0, "1975", " 1975 ", "1.975"])
def test_a_year_is_read_from_numbers_and_text(raw):
    assert parse_cell(YEAR, raw) == 1975


@pytest.mark.parametrize("raw", ["19x5", "75", 1975.5, dt.date(1975, 1, 1), True])
def test_what_is_not_a_year_says_how_to_type_one(raw):
    assert "không phải là năm" in error(YEAR, raw)


def test_a_year_outside_the_range_names_the_range():
    assert error(YEAR, 1850) == "1850 nằm ngoài khoảng cho phép, từ 1900 đến 2025."


@pytest.mark.parametrize(("raw", "value"), [(5, 5), ("5", 5), (5.0, 5), ("1.2", None)])
def test_whole_numbers(raw, value):
    if value is None:
        assert "không phải là số nguyên" in error(COUNT, raw)
    else:
        assert parse_cell(COUNT, raw) == value


def test_whole_numbers_accept_vietnamese_and_english_grouping():
    big = Column("n", "Dân số", kind=Kind.INT)
    assert parse_cell(big, "156.879") == 156879
    assert parse_cell(big, "1,234,567") == 1234567
    assert "quá nhỏ" in error(Column("n", "N", kind=Kind.INT, min_value=1), 0)
    assert "nằm ngoài khoảng" in error(COUNT, 0)
    assert "quá lớn" in error(Column("n", "N", kind=Kind.INT, max_value=3), 4)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("7,5", "7.5"),
        ("7.5", "7.5"),
        (7.5, "7.5"),
        (92, "92"),
        ("1.234,5", None),  # above 100: refused below, but read as 1234.5
        (7.1000000000000005, "7.1"),
    ],
)
def test_decimals_accept_a_comma_or_a_point(raw, value):
    if value is None:
        assert "nằm ngoài khoảng" in error(SCORE, raw)
    else:
        assert parse_cell(SCORE, raw) == Decimal(value)


@pytest.mark.parametrize("raw", ["abc", "NaN", "Infinity", "7,5,1x", "1e5"])
def test_what_is_not_a_number_is_refused(raw):
    assert "không phải là số" in error(SCORE, raw)


def test_too_many_decimal_places_are_refused_not_rounded():
    assert "chữ số thập phân" in error(SCORE, "7,55")


@pytest.mark.parametrize(
    "raw", [dt.datetime(2024, 12, 15), dt.date(2024, 12, 15), "15/12/2024", "2024-12-15"]
)
def test_dates_from_date_cells_or_text(raw):
    assert parse_cell(DATE, raw) == dt.date(2024, 12, 15)


def test_a_wrong_date_says_how_to_write_one():
    assert error(DATE, "31/02/2024") == (
        "“31/02/2024” không phải là ngày: hãy ghi theo dạng dd/mm/yyyy, ví dụ 15/12/2024."
    )


def test_text_is_cleaned_and_its_length_checked():
    assert parse_cell(NAME, "  Lò   Văn ") == "Lò Văn"
    assert parse_cell(NAME, 912345678) == "912345678"
    assert "tối đa 10" in error(NAME, "Nguyễn Thị Minh Khai")


@pytest.mark.parametrize("raw", [None, "", "   ", "\u200b"])
def test_an_empty_required_cell_is_a_problem_and_an_empty_optional_one_is_none(raw):
    assert error(NAME, raw) == "ô này bắt buộc: hãy điền vào."
    assert parse_cell(YEAR, raw) is None


def test_choices_match_labels_whatever_the_case_spaces_or_composition():
    assert parse_cell(VILLAGE, "  bản   mới ") == 1
    assert parse_cell(VILLAGE, "Ba\u0309n Cang") == 2  # decomposed ả
    assert parse_cell(VILLAGE, "2") == 2  # the stored value is accepted too
    assert error(VILLAGE, "Bản Xa") == (
        "“Bản Xa” không thuộc các giá trị cho phép (“Bản Mới”, “Bản Cang”): "
        "hãy chọn trong danh sách."
    )


def test_a_number_column_limited_to_a_list_accepts_only_its_values():
    years = Column("y", "Năm", kind=Kind.YEAR, choices=[2024, 2025])
    assert parse_cell(years, "2025", [(2024, "2024"), (2025, "2025")]) == 2025
    assert "không thuộc các giá trị cho phép" in error(years, 2023)
