"""An evidence file's name ends with the extension of the type found by its content."""

import pytest

from lib.uploads import name_for_content


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("x.html", "image/png", "x.png"),
        ("x.png", "image/png", "x.png"),
        ("ẢNH.PNG", "image/png", "ẢNH.PNG"),
        ("anh.jpeg", "image/jpeg", "anh.jpeg"),
        ("anh.svg", "image/jpeg", "anh.jpg"),
        ("bien-ban.png.exe", "application/pdf", "bien-ban.png.pdf"),
        ("khong-duoi", "application/pdf", "khong-duoi.pdf"),
        ("Biên bản họp. Lần 2", "application/pdf", "Biên bản họp. Lần 2.pdf"),
        (".html", "image/png", "file.png"),
        ("a" * 300 + ".html", "image/png", "a" * 251 + ".png"),
        ("bang.xlsx", "application/vnd.ms-excel", "bang.xlsx"),
    ],
)
def test_the_name_takes_the_extension_of_the_content(name, content_type, expected):
    assert name_for_content(name, content_type) == expected
