"""Gapless registration numbering per journal and year, and registration index templates.

A journal (журнал реєстрації) gives numbers 1, 2, 3… each year. The number is
taken from a locked ``Counter`` row inside the registering transaction, so two
clerks never get the same number, and a registration that fails (rolls back)
gives its number back: the journal has no gaps.

An index template turns the number into the registration index written on the
document, e.g. ``"{seq}"`` → ``125``, ``"01-15/{seq}"`` → ``01-15/125``,
``"{letter}-{seq}"`` → ``К-125`` (Instruction No. 348), ``"{seq:04}"`` → ``0125``.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from hromada.core.exceptions import ApplicationError
from hromada.core.models import Counter

# Placeholders a journal's index template may use; the caller supplies the values
# (all but `seq` and `year`, which numbering fills itself).
INDEX_PLACEHOLDERS: dict[str, str] = {
    "seq": "порядковий номер у журналі",
    "year": "рік",
    "case": "індекс справи за номенклатурою",
    "unit": "код підрозділу",
    "letter": "перша літера прізвища заявника",
    "journal": "код журналу",
    "correspondent": "код кореспондента",
    "executor": "код виконавця",
    "topic": "код питання",
}

_NAME_RE = re.compile(r"[a-z_]+")
# Only zero-padding to a width ("{seq:04}") is accepted as a format.
_SPEC_RE = re.compile(r"0[1-9]d?")
_MAX_INDEX_LENGTH = 100


def _check_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        # Outside a transaction the lock would end with the UPDATE, and a failed
        # registration afterwards would leave a gap in the journal.
        raise RuntimeError("next_number() must be called inside transaction.atomic().")


def next_number(*, journal: str, year: int) -> int:
    """Take the next number of a journal for a year; call inside the registering transaction."""
    _check_transaction()
    value = _increment(journal, year)
    if value is None:
        try:
            # A savepoint: if another transaction creates the row first, only this
            # INSERT is undone and the caller's transaction goes on.
            with transaction.atomic():
                Counter.objects.create(journal=journal, year=year, value=0)
        except IntegrityError:
            pass
        value = _increment(journal, year)
    assert value is not None
    return value


def _increment(journal: str, year: int) -> int | None:
    """Add one to the counter row and return the new value, or None if there is no row.

    One statement (``UPDATE … RETURNING``, PostgreSQL and SQLite ≥ 3.35): the row lock is
    taken by the UPDATE itself and held until commit, and the registering transaction makes
    one round trip for its number instead of a locking read and a write.
    """
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        cursor.execute(increment_sql(connection), [journal, year])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def increment_sql(connection: Any, *, condition: str = "") -> str:
    """The counter's increment: ``UPDATE … RETURNING value``, parameters journal and year.

    ``condition``: one more SQL condition, for a caller that embeds the statement (the audit
    head's lock makes it wait on the head's read: ``core.audit``)."""
    table = connection.ops.quote_name(Counter._meta.db_table)
    also = f" AND {condition}" if condition else ""
    return (
        f"UPDATE {table} SET value = value + 1 WHERE journal = %s AND year = %s{also} "  # noqa: S608
        "RETURNING value"
    )


@dataclass(frozen=True)
class _Field:
    literal: str
    name: str | None
    spec: str


def _parse(template: str) -> list[_Field]:
    """Split an index template into literals and placeholders, rejecting anything fancy."""
    if not template or not template.strip():
        raise ApplicationError("Шаблон індексу не може бути порожнім.", field="template")
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ApplicationError(
            f"Шаблон індексу «{template}» має незакриту фігурну дужку.", field="template"
        ) from exc
    fields = []
    for literal, name, spec, conversion in parts:
        if name is None:
            fields.append(_Field(literal, None, ""))
            continue
        if not _NAME_RE.fullmatch(name) or conversion:
            raise ApplicationError(
                f"Поле «{{{name}}}» у шаблоні індексу записано неправильно. "
                f"Приклад правильного шаблону: «01-15/{{seq}}».",
                field="template",
            )
        if spec and not _SPEC_RE.fullmatch(spec):
            raise ApplicationError(
                f"Формат «{spec}» поля «{{{name}}}» не підтримується; "
                "можна лише доповнити нулями, напр. «{seq:04}».",
                field="template",
            )
        fields.append(_Field(literal, name, spec or ""))
    return fields


def _unknown_placeholder(name: str) -> ApplicationError:
    known = ", ".join(f"{{{k}}}" for k in INDEX_PLACEHOLDERS)
    return ApplicationError(
        f"Невідоме поле «{{{name}}}» у шаблоні індексу. Доступні поля: {known}.",
        field="template",
    )


def validate_index_template(template: str) -> None:
    """Check a journal's index template: known placeholders only, and `{seq}` present."""
    names = {f.name for f in _parse(template) if f.name is not None}
    for name in sorted(names):
        if name not in INDEX_PLACEHOLDERS:
            raise _unknown_placeholder(name)
    if "seq" not in names:
        raise ApplicationError(
            "Шаблон індексу має містити поле «{seq}» (порядковий номер), "
            "інакше індекси повторюватимуться.",
            field="template",
        )


def _render_value(name: str, value: Any, spec: str) -> str:
    if spec:
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise ApplicationError(
                f"Поле «{{{name}}}» з форматом «{spec}» має бути числом.", field="template"
            ) from exc
        return format(number, spec if spec.endswith("d") else f"{spec}d")
    return str(value)


def _check_fields(fields: list[_Field], available: set[str]) -> None:
    for f in fields:
        if f.name is None or f.name in available:
            continue
        if f.name in INDEX_PLACEHOLDERS:
            raise ApplicationError(
                f"Для поля «{{{f.name}}}» шаблону індексу не передано значення "
                f"({INDEX_PLACEHOLDERS[f.name]}).",
                field="template",
            )
        raise _unknown_placeholder(f.name)


def format_index(template: str, *, seq: int, **context: Any) -> str:
    """Build a registration index from a template, e.g. "01-15/{seq}" → "01-15/125"."""
    fields = _parse(template)
    values: dict[str, Any] = {**context, "seq": seq}
    _check_fields(fields, set(values))
    out = "".join(
        f.literal + ("" if f.name is None else _render_value(f.name, values[f.name], f.spec))
        for f in fields
    )
    if len(out) > _MAX_INDEX_LENGTH:
        raise ApplicationError(
            f"Індекс довший за {_MAX_INDEX_LENGTH} символів; скоротіть шаблон або значення полів.",
            field="template",
        )
    return out


def register_number(*, journal: str, year: int, template: str, **context: Any) -> tuple[int, str]:
    """Take the next number of a journal and build its index; call inside a transaction."""
    context.setdefault("year", year)
    # Check the template before taking a number, so a bad template never costs one.
    _check_fields(_parse(template), {*context, "seq"})
    seq = next_number(journal=journal, year=year)
    return seq, format_index(template, seq=seq, **context)


def surname_letter(surname: str) -> str:
    """Return the capital first letter of a surname, for "{letter}-{seq}" indexes."""
    for ch in surname.strip():
        # Skip a leading apostrophe (ʼ is a "modifier letter" to Python).
        if ch.isalpha() and unicodedata.category(ch) != "Lm":
            return ch.upper()
    raise ApplicationError("Прізвище має починатися з літери.", field="surname")
