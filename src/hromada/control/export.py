"""XLSX export of the discipline statistics."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from hromada.control.selectors import DisciplineRow, discipline_total
from hromada.core.cells import safe_cell


def _sheet_rows(rows: Iterable[DisciplineRow]) -> Iterable[list[object]]:
    for r in rows:
        yield [
            r.label,
            r.due,
            r.on_time,
            r.late,
            r.overdue,
            r.open,
            round(r.avg_days, 1) if r.avg_days is not None else None,
        ]


def discipline_xlsx(
    *, start: date, end: date, by_unit: list[DisciplineRow], by_person: list[DisciplineRow]
) -> bytes:
    """Return a workbook with two sheets: per unit and per person."""
    book = Workbook()
    header = [
        "",
        _("Доручень зі строком у періоді"),
        _("Виконано вчасно"),
        _("Виконано із запізненням"),
        _("Прострочено зараз"),
        _("На виконанні, строк не настав"),
        _("Середній час виконання, днів"),
    ]
    for index, (title, first, rows) in enumerate(
        (
            (_("Підрозділи"), _("Підрозділ"), by_unit),
            (_("Працівники"), _("Працівник"), by_person),
        )
    ):
        sheet = book.active if index == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = title
        sheet.append(
            [
                _("Виконавська дисципліна за період %(start)s – %(end)s")
                % {"start": start.strftime("%d.%m.%Y"), "end": end.strftime("%d.%m.%Y")}
            ]
        )
        sheet.append([first, *header[1:]])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in _sheet_rows(rows):
            sheet.append([safe_cell(v) for v in row])
        total = discipline_total(rows)
        sheet.append([_("Усього"), *next(iter(_sheet_rows([total])))[1:]])
        sheet.column_dimensions["A"].width = 50
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
