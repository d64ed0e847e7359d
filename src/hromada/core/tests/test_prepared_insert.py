"""PreparedInsert: a model's INSERT built once, the rows as the ORM would write them."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from hromada.accounts.factories import StaffFactory
from hromada.core.models import CalendarOverride, Notification
from hromada.core.prepared import PreparedInsert, WriteBatch

pytestmark = pytest.mark.django_db


def _columns(obj: object, model: type) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}


def test_an_inserted_row_reads_back_as_the_orm_would_have_written_it():
    notice = Notification(
        recipient=StaffFactory(), key="pi:1", title="Нове <b>звернення</b>", url="/x/"
    )

    PreparedInsert(Notification).insert([notice])

    assert notice.pk is not None
    assert not notice._state.adding
    stored = Notification.objects.get(pk=notice.pk)
    assert _columns(stored, Notification) == _columns(notice, Notification)
    assert stored.created_at is not None  # auto_now_add ran, as in save()
    assert stored.email_wanted is True  # the field's default


def test_several_rows_are_one_statement_and_each_gets_its_own_key():
    days = [CalendarOverride(date=date(2026, 5, d), is_working=d % 2 == 0) for d in (1, 2, 3)]

    with CaptureQueriesContext(connection) as queries:
        PreparedInsert(CalendarOverride).insert(days)

    assert len(queries.captured_queries) == 1
    assert len({d.pk for d in days}) == 3
    for day in days:
        assert CalendarOverride.objects.get(pk=day.pk).is_working == day.is_working


def test_a_row_with_its_key_set_is_inserted_with_that_key():
    taken = CalendarOverride.objects.create(date=date(2026, 6, 1), is_working=True)
    day = CalendarOverride(pk=taken.pk + 1000, date=date(2026, 6, 2), is_working=False)

    PreparedInsert(CalendarOverride).insert([day])

    assert CalendarOverride.objects.get(pk=taken.pk + 1000).date == date(2026, 6, 2)


def test_the_statement_is_built_once_and_run_again_with_new_values():
    insert = PreparedInsert(CalendarOverride)
    insert.insert([CalendarOverride(date=date(2026, 7, 1), is_working=True)])
    built = dict(insert._compiled)

    insert.insert([CalendarOverride(date=date(2026, 7, 2), is_working=True)])

    assert insert._compiled == built
    assert CalendarOverride.objects.filter(date__month=7).count() == 2


def test_a_related_object_saved_after_the_row_was_made_gives_its_id():
    recipient = StaffFactory.build()
    notice = Notification(recipient=recipient, key="pi:2", title="Пізніше збережений")
    recipient.save()

    PreparedInsert(Notification).insert([notice])

    assert Notification.objects.get(pk=notice.pk).recipient_id == recipient.pk


def test_an_insert_that_breaks_a_constraint_fails_like_the_orms():
    CalendarOverride.objects.create(date=date(2026, 8, 1), is_working=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PreparedInsert(CalendarOverride).insert(
            [CalendarOverride(date=date(2026, 8, 1), is_working=False)]
        )
    assert CalendarOverride.objects.filter(date=date(2026, 8, 1)).count() == 1


def test_a_write_batch_sends_its_inserts_as_one_statement_on_postgresql():
    clerk = StaffFactory()
    days = [CalendarOverride(date=date(2026, 8, d), is_working=False) for d in (1, 2)]
    notices = [Notification(recipient=clerk, key=f"wb:{i}", title="т", url="/") for i in (1, 2)]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        batch = WriteBatch()
        batch.insert(PreparedInsert(CalendarOverride), days)
        batch.insert(PreparedInsert(Notification), notices)
        batch.run()

    # Elsewhere each part ran when it was added.
    assert len(queries.captured_queries) == (1 if connection.vendor == "postgresql" else 2)
    assert batch.combines is (connection.vendor == "postgresql")
    # Each instance got its own key back, in order, and is marked saved.
    assert [CalendarOverride.objects.get(pk=d.pk).date for d in days] == [d.date for d in days]
    assert [Notification.objects.get(pk=n.pk).key for n in notices] == ["wb:1", "wb:2"]
    assert not any(o._state.adding for o in [*days, *notices])


def test_a_failed_write_batch_leaves_none_of_its_rows():
    taken = CalendarOverride.objects.create(date=date(2026, 9, 1), is_working=True)
    new = CalendarOverride(date=date(2026, 9, 2), is_working=False)
    # The same primary key again: the statement (PostgreSQL) or this part fails.
    again = CalendarOverride(pk=taken.pk, date=date(2026, 9, 3), is_working=False)

    def write() -> None:
        with transaction.atomic():
            batch = WriteBatch()
            batch.insert(PreparedInsert(CalendarOverride), [new])
            batch.insert(PreparedInsert(CalendarOverride), [again])
            batch.run()

    with pytest.raises(IntegrityError):
        write()

    assert list(CalendarOverride.objects.values_list("date", flat=True)) == [date(2026, 9, 1)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parts wait for run() on PostgreSQL")
def test_a_waiting_part_takes_the_values_set_since_it_was_added():
    days = [CalendarOverride(date=date(2026, 10, d), is_working=False, note="") for d in (1, 2)]
    with transaction.atomic():
        batch = WriteBatch()
        part = batch.insert(PreparedInsert(CalendarOverride), days)
        days[1].note = "перенесено"  # set after the part was built
        days[1].is_working = True
        batch.refresh(part, ("note",))
        with pytest.raises(ValueError, match="no column"):
            batch.refresh(part, ("no_such_field",))
        batch.run()

    stored = {d.date: (d.note, d.is_working) for d in CalendarOverride.objects.all()}
    # Only the refreshed field follows the instance; the rest is as it was when added.
    assert stored == {date(2026, 10, 1): ("", False), date(2026, 10, 2): ("перенесено", False)}
