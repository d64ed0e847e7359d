from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hromada.core.exceptions import ApplicationError
from hromada.programs.formatting import (
    NBSP,
    counted,
    format_number,
    percent,
    plural_form,
    thousands,
    thousands_uah,
)
from hromada.programs.periods import Period


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1940.00"), "1,94 тис. грн"),
        (Decimal("283100"), "283,1 тис. грн"),
        (Decimal("130000.00"), "130 тис. грн"),
        (Decimal("34200"), "34,2 тис. грн"),
        (Decimal("4980"), "4,98 тис. грн"),
        (Decimal("18990"), "18,99 тис. грн"),
        (Decimal("1234567.89"), "1 234,57 тис. грн"),
        (Decimal("5"), "0,01 тис. грн"),
    ],
)
def test_thousands_uah_writes_the_council_format(amount, expected):
    assert plain(thousands_uah(amount)) == expected


def test_thousands_uah_keeps_the_figure_and_unit_on_one_line():
    assert " " not in thousands_uah(Decimal("1940"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5400, "5 400"),
        (1236, "1 236"),
        (Decimal("12.50"), "12,5"),
        (Decimal("0.25"), "0,25"),
        (1000000, "1 000 000"),
        (-1500, "-1 500"),
        (0, "0"),
        (None, "—"),
    ],
)
def test_format_number_groups_thousands_and_uses_a_decimal_comma(value, expected):
    assert plain(format_number(value)) == expected


def test_format_number_rounds_half_up_to_two_decimals():
    assert format_number(Decimal("1.005")) == "1,01"


def test_thousands_without_unit_is_used_in_tables():
    assert thousands("283100.00") == "283,1"


def test_percent_of_zero_plan_is_a_dash():
    assert percent(5, 0) == "—"
    assert plain(percent(Decimal("23970"), Decimal("25000"))) == "95,9 %"


@pytest.mark.parametrize(
    ("count", "form"),
    [(1, "one"), (2, "few"), (4, "few"), (5, "many"), (11, "many"), (12, "many"), (14, "many"),
     (21, "one"), (22, "few"), (84, "few"), (111, "many"), (389, "many"), (52, "few")],
)  # fmt: skip
def test_plural_form_follows_ukrainian_grammar(count, form):
    assert plural_form(count, "one", "few", "many") == form


def test_counted_writes_number_and_noun():
    assert counted(14, "прес-конференція", "прес-конференції", "прес-конференцій") == (
        "14 прес-конференцій"
    )


@pytest.mark.parametrize(
    ("text", "period"),
    [("2015", Period(2015)), ("2015-Q3", Period(2015, 3)), ("2015Q1", Period(2015, 1)),
     (2016, Period(2016)), ("2015-К2", Period(2015, 2))],
)  # fmt: skip
def test_period_parse_reads_years_and_quarters(text, period):
    assert Period.parse(text) == period


@pytest.mark.parametrize("text", ["15", "2015-Q5", "рік", "", "2015-13"])
def test_period_parse_rejects_nonsense(text):
    with pytest.raises(ApplicationError):
        Period.parse(text)


def test_quarter_periods_are_cumulative_from_january():
    q3 = Period(2015, 3)
    assert (q3.start, q3.end) == (date(2015, 1, 1), date(2015, 9, 30))
    assert q3.quarter_start == date(2015, 7, 1)
    assert q3.label == "9 місяців 2015 року"
    assert Period(2015).label_for == "за 2015 рік"
