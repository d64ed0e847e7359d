"""Reading a registry's import file (CSV or XLSX) into rows for services.resource_objects_import.

The first row names the columns: ``name``, ``address``, ``district``, ``latitude``,
``longitude``, ``phone``, ``email``, ``website``, ``opening_hours``, ``last_checked`` and
the resource's attribute names (Ukrainian headers for the fixed columns are accepted too).
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from hromada.core.exceptions import ApplicationError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
ALIASES = {
    "назва": "name",
    "адреса": "address",
    "район": "district",
    "широта": "latitude",
    "довгота": "longitude",
    "телефон": "phone",
    "e-mail": "email",
    "вебсайт": "website",
    "години роботи": "opening_hours",
    "дата перевірки": "last_checked",
}

Rows = list[tuple[int, dict[str, Any]]]


def _header(cells: list[Any]) -> list[str]:
    names = [str(c or "").strip().lower() for c in cells]
    return [ALIASES.get(n, n) for n in names]


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(table: list[tuple[int, list[Any]]]) -> Rows:
    if not table:
        raise ApplicationError(_("Файл порожній."))
    _line, head = table[0]
    columns = _header(head)
    if "name" not in columns or "address" not in columns:
        raise ApplicationError(
            _("У першому рядку мають бути назви стовпців, серед них name і address.")
        )
    out: Rows = []
    for line, cells in table[1:]:
        if not any(str(c or "").strip() for c in cells):
            continue
        row = {
            col: _cell(cells[i]) if i < len(cells) else "" for i, col in enumerate(columns) if col
        }
        out.append((line, row))
        if len(out) > MAX_ROWS:
            raise ApplicationError(_("Завеликий файл: не більше %(n)s рядків.") % {"n": MAX_ROWS})
    return out


def read_rows(data: bytes, filename: str) -> Rows:
    """Return the data rows of a CSV or XLSX file with their line numbers."""
    if len(data) > MAX_BYTES:
        raise ApplicationError(_("Файл завеликий: не більше 10 МБ."))
    if filename.lower().endswith(".xlsx"):
        return _rows(_xlsx(data))
    if filename.lower().endswith(".csv"):
        return _rows(_csv(data))
    raise ApplicationError(_("Підтримуються лише файли CSV і XLSX."))


def _csv(data: bytes) -> list[tuple[int, list[Any]]]:
    if b"\x00" in data[:4096]:
        raise ApplicationError(_("Файл не є текстовим CSV."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError as exc:
            raise ApplicationError(
                _("Не вдалося прочитати кодування файлу (потрібно UTF-8).")
            ) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise ApplicationError(
            _("Помилка формату CSV у рядку %(n)s.") % {"n": reader.line_num}
        ) from exc


def _xlsx(data: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ApplicationError(_("Файл не є коректною таблицею XLSX.")) from exc
    sheet = book.worksheets[0]
    out = [(i, list(row)) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    book.close()
    return out
