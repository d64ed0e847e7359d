"""Tests of gapless registration numbering and index templates."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from hromada.core.exceptions import ApplicationError
from hromada.core.models import Counter
from hromada.core.numbering import (
    format_index,
    next_number,
    register_number,
    surname_letter,
    validate_index_template,
)


class _Rollback(Exception):
    pass


def _take(journal: str = "incoming", year: int = 2025) -> int:
    with transaction.atomic():
        return next_number(journal=journal, year=year)


def _take_and_fail(journal: str = "incoming", taken: list[int] | None = None) -> None:
    """Take a number in a registration that then fails (its transaction rolls back)."""
    with transaction.atomic():
        number = next_number(journal=journal, year=2025)
        if taken is not None:
            taken.append(number)
        raise _Rollback


# --- next_number ---------------------------------------------------------------


@pytest.mark.django_db
def test_numbers_start_at_one_and_follow_each_other():
    assert [_take() for _ in range(3)] == [1, 2, 3]


@pytest.mark.django_db
def test_each_journal_and_year_counts_separately():
    _take("incoming", 2025)
    _take("incoming", 2025)
    assert _take("outgoing", 2025) == 1
    assert _take("incoming", 2026) == 1
    assert Counter.objects.get(journal="incoming", year=2025).value == 2


@pytest.mark.django_db
def test_a_rolled_back_registration_gives_its_number_back():
    _take()
    taken: list[int] = []
    with pytest.raises(_Rollback):
        _take_and_fail(taken=taken)
    assert taken == [2]
    assert _take() == 2


@pytest.mark.django_db
def test_a_rolled_back_first_registration_leaves_no_counter_behind():
    with pytest.raises(_Rollback):
        _take_and_fail("new")
    assert not Counter.objects.filter(journal="new").exists()
    assert _take("new") == 1


@pytest.mark.django_db(transaction=True)
def test_taking_a_number_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        next_number(journal="incoming", year=2025)


def _run_threads(target, count: int) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            target(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_consecutive_numbers():
    taken: list[int] = []
    lock = threading.Lock()

    def register(_: int) -> None:
        for _ in range(5):
            number = _take("concurrent")
            with lock:
                taken.append(number)

    errors = _run_threads(register, 6)
    assert errors == []
    assert sorted(taken) == list(range(1, 31))
    assert Counter.objects.get(journal="concurrent").value == 30


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_with_failures_leave_no_gaps():
    committed: list[int] = []
    lock = threading.Lock()

    def register(i: int) -> None:
        for j in range(4):
            try:
                with transaction.atomic():
                    number = next_number(journal="flaky", year=2025)
                    if (i + j) % 3 == 0:
                        raise _Rollback
            except _Rollback:
                continue
            with lock:
                committed.append(number)

    errors = _run_threads(register, 5)
    assert errors == []
    assert sorted(committed) == list(range(1, len(committed) + 1))
    assert Counter.objects.get(journal="flaky").value == len(committed)


# --- format_index ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "context", "expected"),
    [
        ("{seq}", {}, "125"),
        ("{case}/{seq}", {"case": "01-15"}, "01-15/125"),
        ("01-15/{seq}", {}, "01-15/125"),
        ("{letter}-{seq}", {"letter": "К"}, "К-125"),
        ("{seq}/{unit}", {"unit": "03"}, "125/03"),
        ("{year}", {"year": 2025}, "2025"),
        ("{seq:04}", {}, "0125"),
        ("{{{seq}}}", {}, "{125}"),
    ],
)
def test_index_templates_render(template, context, expected):
    assert format_index(template, seq=125, **context) == expected


def test_an_unknown_placeholder_is_named_in_the_error():
    with pytest.raises(ApplicationError, match=r"Невідоме поле «\{nomer\}»"):
        format_index("{nomer}", seq=1)


def test_a_known_placeholder_without_a_value_is_explained():
    with pytest.raises(ApplicationError, match="не передано значення"):
        format_index("{letter}-{seq}", seq=1)


@pytest.mark.parametrize("template", ["{seq.__class__}", "{seq!r}", "{seq[0]}", "{seq", ""])
def test_malformed_templates_are_refused(template):
    with pytest.raises(ApplicationError):
        format_index(template, seq=1)


def test_only_zero_padding_is_accepted_as_a_format():
    with pytest.raises(ApplicationError, match="не підтримується"):
        format_index("{seq:>10}", seq=1)


def test_a_journal_template_must_contain_the_sequence_number():
    with pytest.raises(ApplicationError, match="seq"):
        validate_index_template("01-15/{year}")


def test_a_journal_template_with_known_placeholders_is_accepted():
    validate_index_template("{letter}-{seq}/{year}")


def test_surname_letter_is_the_capital_first_letter():
    assert surname_letter(" ʼєрмоленко") == "Є"


# --- register_number ---------------------------------------------------------------


@pytest.mark.django_db
def test_register_number_returns_the_number_and_its_index():
    with transaction.atomic():
        assert register_number(
            journal="appeals", year=2025, template="{letter}-{seq}/{year}", letter="К"
        ) == (1, "К-1/2025")


@pytest.mark.django_db
def test_a_bad_template_does_not_take_a_number():
    with pytest.raises(ApplicationError), transaction.atomic():
        register_number(journal="appeals", year=2025, template="{nomer}")
    assert not Counter.objects.filter(journal="appeals").exists()
