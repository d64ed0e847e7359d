"""Import of the organisation structure and of staff from CSV or XLSX tables.

Two formats, each a table with a header row (column order is free, names are
case-insensitive; Ukrainian names in brackets are accepted too):

Units (``hromada import_org FILE``):
    code (код)*, parent_code (код батьківського), kind (вид)*, name (назва)*,
    short_name (скорочена назва), email, phone (телефон), address (адреса), order (порядок)

    ``kind`` is a value or a label of OrgUnit.Kind (``department`` or
    ``департамент / управління``). A unit may name a parent defined later in the
    file or already in the database. A code already in the database updates that
    unit (and moves it if its parent differs).

Staff (``hromada import_org FILE --staff``):
    email*, surname (прізвище)*, given_name (ім'я)*, patronymic (по батькові), phone,
    unit_code (код підрозділу), position (посада), is_head (керівна), roles (ролі)

    ``position`` is found in the unit by title or created; ``is_head`` is так/ні
    (1/0, yes/no); ``roles`` lists roles separated by commas, semicolons or spaces,
    each ``ROLE`` (over the row's unit) or ``ROLE:UNIT_CODE`` or ``ROLE:*`` (the
    whole city), e.g. ``head, executor:01-15``. New staff receive a set-password e-mail.

Every row is checked; any error rejects the whole file (one transaction), and
the report names each bad row by its line number in the file.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hromada.accounts import services
from hromada.accounts.models import OrgUnit, Position, User
from hromada.accounts.permissions import require
from hromada.accounts.roles import Role
from hromada.core.exceptions import ApplicationError

MAX_ROWS = 20_000
MAX_ERRORS = 200

UNIT_COLUMNS = {
    "code": ("код",),
    "parent_code": ("код батьківського", "батьківський код", "parent"),
    "kind": ("вид",),
    "name": ("назва",),
    "short_name": ("скорочена назва",),
    "email": ("e-mail", "електронна пошта"),
    "phone": ("телефон",),
    "address": ("адреса",),
    "order": ("порядок",),
}
UNIT_REQUIRED = ("code", "kind", "name")

STAFF_COLUMNS = {
    "email": ("e-mail", "електронна пошта"),
    "surname": ("прізвище",),
    "given_name": ("ім'я", "імя", "ім’я"),
    "patronymic": ("по батькові",),
    "phone": ("телефон",),
    "unit_code": ("код підрозділу", "підрозділ"),
    "position": ("посада",),
    "is_head": ("керівна", "керівна посада"),
    "roles": ("ролі",),
}
STAFF_REQUIRED = ("email", "surname", "given_name")

_YES = {"так", "1", "true", "yes", "так.", "+", "y", "т"}
_NO = {"ні", "0", "false", "no", "", "-", "n", "н"}


@dataclass(frozen=True)
class RowError:
    """A problem in the file: `line` is the line (row) number, None for the whole file."""

    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line:
            return _("Рядок %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, line: int | None, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(line, message))
        else:
            self.more_errors += 1


class FileFormatError(Exception):
    """The file as a whole cannot be read."""


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")


# --- reading --------------------------------------------------------------------
def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _read_csv(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileFormatError(
            _("Файл не в кодуванні UTF-8. Збережіть таблицю як «CSV UTF-8» і спробуйте ще раз.")
        ) from exc
    if "\x00" in text:
        raise FileFormatError(_("Файл не схожий на таблицю CSV."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileFormatError(
                _("Рядок %(line)s: рядок CSV пошкоджений (незакрита або зайва лапка).")
                % {"line": line}
            ) from exc
        yield line, [_cell_text(c) for c in cells]


def _read_xlsx(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileFormatError(_("Файл XLSX пошкоджений або має інший формат.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(c) for c in cells]
    finally:
        workbook.close()


@dataclass(frozen=True)
class Table:
    columns: frozenset[str]
    rows: list[Row]


def read_table(data: bytes, filename: str, columns: dict[str, tuple[str, ...]]) -> Table:
    """Read a CSV or XLSX table into rows keyed by canonical column names."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not data.startswith(b"PK\x03\x04"):
            raise FileFormatError(_("Файл XLSX пошкоджений або має інший формат."))
        lines = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")):
        lines = _read_csv(data)
    else:
        raise FileFormatError(_("Підтримуються файли CSV (UTF-8) і XLSX."))
    aliases = {key: key for key in columns}
    for key, names in columns.items():
        aliases.update(dict.fromkeys(names, key))
    header: list[str | None] | None = None
    rows: list[Row] = []
    for line, cells in lines:
        if not any(cells):
            continue
        if header is None:
            header = [
                aliases.get(c.strip().lower()) or aliases.get(c.strip().lower().replace(" ", "_"))
                for c in cells
            ]
            continue
        if len(rows) >= MAX_ROWS:
            raise FileFormatError(
                _("Забагато рядків: не більше %(max)s за один раз.") % {"max": MAX_ROWS}
            )
        values = {key: cells[i] for i, key in enumerate(header) if key and i < len(cells)}
        rows.append(Row(line, values))
    if header is None:
        raise FileFormatError(_("Файл порожній: немає рядка заголовків."))
    return Table(columns=frozenset(k for k in header if k), rows=rows)


def _load(
    data: bytes,
    filename: str,
    columns: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    result: ImportResult,
) -> list[Row] | None:
    try:
        table = read_table(data, filename, columns)
    except FileFormatError as exc:
        result.add_error(None, str(exc))
        return None
    rows = table.rows
    missing = [c for c in required if c not in table.columns]
    if missing:
        result.add_error(1, _("бракує стовпців: %(columns)s.") % {"columns": ", ".join(missing)})
        return None
    if not rows:
        result.add_error(None, _("У файлі немає жодного рядка даних."))
        return None
    return rows


def _run(result: ImportResult, work: Callable[[], None]) -> ImportResult:
    """Run the writes in one transaction; roll all back if any row failed."""
    with transaction.atomic():
        work()
        if not result.ok:
            transaction.set_rollback(True)
    if not result.ok:
        result.created = result.updated = result.unchanged = 0
    return result


# --- units ------------------------------------------------------------------------
def _parse_kind(value: str) -> str | None:
    text = value.strip().lower()
    for kind in OrgUnit.Kind:
        if text in (kind.value, str(kind.label).lower()):
            return kind.value
    return None


def _parse_order(value: str) -> int | None:
    if not value:
        return 0
    return int(value) if re.fullmatch(r"\d{1,9}", value) else None


def import_units(*, actor: User | None, data: bytes, filename: str) -> ImportResult:
    """Create or update units from a table; nothing is written if any row is wrong."""
    if actor is not None:
        require(actor, "accounts.import_orgunits")
    result = ImportResult(kind="units")
    rows = _load(data, filename, UNIT_COLUMNS, UNIT_REQUIRED, result)
    if rows is None:
        return result

    by_code: dict[str, Row] = {}
    for row in rows:
        code = row.get("code")
        if not code:
            result.add_error(row.line, _("не вказано код підрозділу."))
            continue
        key = code.lower()
        if key in by_code:
            result.add_error(
                row.line,
                _("код «%(code)s» уже зустрічається в рядку %(line)s.")
                % {"code": code, "line": by_code[key].line},
            )
            continue
        by_code[key] = row
        if _parse_kind(row.get("kind")) is None:
            result.add_error(
                row.line, _("невідомий вид підрозділу «%(kind)s».") % {"kind": row.get("kind")}
            )
        if _parse_order(row.get("order")) is None:
            result.add_error(row.line, _("порядок має бути цілим невід'ємним числом."))
    existing = {u.code.lower(): u for u in OrgUnit.objects.all()}
    for row in by_code.values():
        parent_code = row.get("parent_code")
        if (
            parent_code
            and parent_code.lower() not in by_code
            and parent_code.lower() not in existing
        ):
            result.add_error(
                row.line,
                _("невідомий батьківський підрозділ «%(code)s».") % {"code": parent_code},
            )

    order = _topological(by_code, result)
    if not result.ok:
        return result

    def work() -> None:
        done: dict[str, OrgUnit] = dict(existing)
        for row in order:
            code = row.get("code")
            parent_code = row.get("parent_code").lower()
            parent = done.get(parent_code) if parent_code else None
            fields: dict[str, Any] = {
                "name": row.get("name"),
                "kind": _parse_kind(row.get("kind")),
                "short_name": row.get("short_name"),
                "email": row.get("email"),
                "phone": row.get("phone"),
                "address": row.get("address"),
                "order": _parse_order(row.get("order")),
            }
            try:
                unit = existing.get(code.lower())
                if unit is None:
                    done[code.lower()] = services.orgunit_create(
                        actor=actor, code=code, parent=parent, **fields
                    )
                    result.created += 1
                    continue
                updated = services.orgunit_update(actor=actor, unit=unit, code=code, **fields)
                moved = updated.parent_id != (parent.pk if parent else None)
                if moved:
                    updated = services.orgunit_move(actor=actor, unit=updated, new_parent=parent)
                done[code.lower()] = updated
                changed = moved or updated.updated_at != unit.updated_at
                if changed:
                    result.updated += 1
                else:
                    result.unchanged += 1
            except ApplicationError as exc:
                result.add_error(row.line, _with_field(exc))

    return _run(result, work)


def _topological(by_code: dict[str, Row], result: ImportResult) -> list[Row]:
    """Order rows parents first; report cycles (a unit under its own descendant)."""
    ordered: list[Row] = []
    state: dict[str, int] = {}  # 1: being visited, 2: done

    for start in by_code:
        if start in state:
            continue
        chain: list[str] = []
        key: str | None = start
        while key is not None and key in by_code and key not in state:
            state[key] = 1
            chain.append(key)
            parent = by_code[key].get("parent_code").lower() or None
            if parent is not None and state.get(parent) == 1:
                row = by_code[key]
                result.add_error(
                    row.line,
                    _(
                        "циклічне підпорядкування: «%(code)s» опиняється "
                        "у власному підпорядкованому підрозділі."
                    )
                    % {"code": row.get("code")},
                )
                break
            key = parent
        for item in reversed(chain):
            state[item] = 2
            ordered.append(by_code[item])
    return ordered


_FIELD_LABELS: dict[str, Any] = {
    "code": _lazy("код"),
    "name": _lazy("назва"),
    "short_name": _lazy("скорочена назва"),
    "kind": _lazy("вид"),
    "email": _lazy("e-mail"),
    "phone": _lazy("телефон"),
    "address": _lazy("адреса"),
    "parent": _lazy("батьківський підрозділ"),
    "surname": _lazy("прізвище"),
    "given_name": _lazy("ім'я"),
    "patronymic": _lazy("по батькові"),
    "position": _lazy("посада"),
    "title": _lazy("посада"),
    "role": _lazy("роль"),
    "unit": _lazy("підрозділ"),
}


def _with_field(exc: ApplicationError) -> str:
    label = _FIELD_LABELS.get(exc.field or "")
    message = exc.message[:300]
    return f"{label}: {message}" if label else message


# --- staff -------------------------------------------------------------------------
def _parse_roles(
    value: str, unit: OrgUnit | None, units: dict[str, OrgUnit]
) -> list[tuple[str, OrgUnit | None]]:
    """Parse 'head, executor:01-15, admin:*' into (role, unit) pairs."""
    by_label = {str(r.label).lower(): r.value for r in Role}
    parsed: list[tuple[str, OrgUnit | None]] = []
    for item in re.split(r"[,;|\s]+", value.strip()):
        if not item:
            continue
        name, _sep, scope = item.partition(":")
        role = name.lower() if name.lower() in Role.values else by_label.get(name.lower())
        if role is None:
            raise ApplicationError(_("невідома роль «%(role)s».") % {"role": name})
        if scope == "*":
            target = None
        elif scope:
            target = units.get(scope.lower())
            if target is None:
                raise ApplicationError(_("невідомий підрозділ ролі «%(code)s».") % {"code": scope})
        elif unit is not None:
            target = unit
        else:
            raise ApplicationError(_("для ролі «%(role)s» не вказано підрозділ.") % {"role": name})
        parsed.append((role, target))
    return parsed


def import_staff(
    *,
    actor: User | None,
    data: bytes,
    filename: str,
    send_invitations: bool = True,
    base_url: str | None = None,
) -> ImportResult:
    """Create staff accounts with positions and roles; nothing is written if any row is wrong."""
    if actor is not None:
        require(actor, "accounts.import_orgunits")
    result = ImportResult(kind="staff")
    rows = _load(data, filename, STAFF_COLUMNS, STAFF_REQUIRED, result)
    if rows is None:
        return result
    units = {u.code.lower(): u for u in OrgUnit.objects.all()}
    seen: dict[str, int] = {}
    plans: list[tuple[Row, OrgUnit | None, bool, list[tuple[str, OrgUnit | None]]]] = []
    for row in rows:
        email = row.get("email").lower()
        if email in seen:
            result.add_error(
                row.line,
                _("e-mail «%(email)s» уже зустрічається в рядку %(line)s.")
                % {"email": email, "line": seen[email]},
            )
            continue
        seen[email] = row.line
        unit_code = row.get("unit_code")
        unit = units.get(unit_code.lower()) if unit_code else None
        if unit_code and unit is None:
            result.add_error(row.line, _("невідомий підрозділ «%(code)s».") % {"code": unit_code})
            continue
        if row.get("position") and unit is None:
            result.add_error(row.line, _("посаду вказано без коду підрозділу."))
            continue
        is_head_text = row.get("is_head").lower()
        if is_head_text not in _YES | _NO:
            result.add_error(
                row.line,
                _("стовпець is_head: «%(value)s» — вкажіть так або ні.")
                % {"value": row.get("is_head")},
            )
            continue
        try:
            roles = _parse_roles(row.get("roles"), unit, units)
        except ApplicationError as exc:
            result.add_error(row.line, exc.message)
            continue
        plans.append((row, unit, is_head_text in _YES, roles))
    if not result.ok:
        return result

    def work() -> None:
        positions: dict[tuple[int, str], Position] = {}
        for row, unit, is_head, roles in plans:
            try:
                position = None
                if unit is not None and row.get("position"):
                    title = row.get("position")
                    key = (unit.pk, title.lower())
                    position = positions.get(key)
                    if position is None:
                        position = next(
                            (p for p in unit.positions.all() if p.title.lower() == key[1]), None
                        ) or services.position_create(
                            actor=actor, unit=unit, title=title, is_head=is_head
                        )
                        positions[key] = position
                services.user_create_staff(
                    actor=actor,
                    email=row.get("email"),
                    surname=row.get("surname"),
                    given_name=row.get("given_name"),
                    patronymic=row.get("patronymic"),
                    phone=row.get("phone"),
                    position=position,
                    roles=roles,
                    send_invitation=send_invitations,
                    base_url=base_url,
                )
                result.created += 1
            except ApplicationError as exc:
                result.add_error(row.line, _with_field(exc))

    return _run(result, work)
