"""Ukrainian number formats of the reports: '5 400', '1,94 тис. грн', '14 прес-конференцій'.

A comma separates decimals and a no-break space groups thousands, so that a
figure never wraps across lines in a document.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
THOUSAND = Decimal(1000)


def _to_decimal(value: Decimal | int | float | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_number(value: Decimal | int | float | str | None, *, max_decimals: int = 2) -> str:
    """Return '5 400', '1 236', '12,5', '0,25'; no trailing zeros; '—' for None."""
    if value is None or value == "":
        return "—"
    number = _to_decimal(value)
    quantum = Decimal(1).scaleb(-max_decimals)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _dot, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = NBSP.join(groups)
    if fraction:
        result += "," + fraction
    return sign + result


def thousands(amount: Decimal | int | float | str | None) -> str:
    """Return an amount in UAH as thousands, the number only: 1940 → '1,94', 283100 → '283,1'."""
    if amount is None or amount == "":
        return "—"
    return format_number(_to_decimal(amount) / THOUSAND, max_decimals=2)


def thousands_uah(amount: Decimal | int | float | str | None) -> str:
    """Return an amount in UAH as '1,94 тис. грн' (as council reports write it)."""
    if amount is None or amount == "":
        return "—"
    return f"{thousands(amount)}{NBSP}тис.{NBSP}грн"


def percent(part: Decimal | int | str | None, whole: Decimal | int | str | None) -> str:
    """Return part/whole as '98,5 %', or '—' when the whole is missing or zero."""
    if part is None or whole is None or whole == "" or _to_decimal(whole) == 0:
        return "—"
    share = _to_decimal(part) * 100 / _to_decimal(whole)
    return f"{format_number(share, max_decimals=1)}{NBSP}%"


def plural_form(count: int, one: str, few: str, many: str) -> str:
    """Return the Ukrainian noun form for a count: 1 акція, 2 акції, 5 акцій, 11 акцій."""
    n = abs(count)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def counted(count: int, one: str, few: str, many: str) -> str:
    """Return '14 прес-конференцій', '1 семінар', '84 інформаційні акції'."""
    return f"{format_number(count)} {plural_form(count, one, few, many)}"
