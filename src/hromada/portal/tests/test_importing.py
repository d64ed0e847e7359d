from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from hromada.core.exceptions import ApplicationError
from hromada.portal.importing import read_rows


def test_csv_with_semicolons_and_ukrainian_headers_is_read_with_line_numbers() -> None:
    data = "Назва;Адреса;open_sunday\nАптека;вул. 1;так\n\nАптека 2;вул. 2;ні\n".encode()
    rows = read_rows(data, "a.csv")
    assert rows == [
        (2, {"name": "Аптека", "address": "вул. 1", "open_sunday": "так"}),
        (4, {"name": "Аптека 2", "address": "вул. 2", "open_sunday": "ні"}),
    ]


def test_csv_in_windows_1251_is_read() -> None:
    rows = read_rows("name,address\nАптека,вул. 1\n".encode("cp1251"), "a.csv")
    assert rows[0][1]["name"] == "Аптека"


def test_xlsx_is_read_with_dates_and_numbers() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "address", "latitude", "last_checked"])
    sheet.append(["Аптека", "вул. 1", 47.9, date(2025, 1, 2)])
    out = io.BytesIO()
    book.save(out)
    rows = read_rows(out.getvalue(), "a.xlsx")
    assert rows == [
        (
            2,
            {
                "name": "Аптека",
                "address": "вул. 1",
                "latitude": "47.9",
                "last_checked": date(2025, 1, 2),
            },
        )
    ]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"name,address\n", "a.pdf", "CSV і XLSX"),
        (b"PK\x03\x04garbage", "a.xlsx", "XLSX"),
        (b"\x00\x01\x02", "a.csv", "текстовим"),
        (b"foo,bar\n1,2\n", "a.csv", "name і address"),
        (b"", "a.csv", "порожній"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(data: bytes, name: str, message: str) -> None:
    with pytest.raises(ApplicationError, match=message):
        read_rows(data, name)
