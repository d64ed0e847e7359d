"""Receptions: schedules, free slots, booking (one per slot), cancelling, the journal, appeals."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from hromada.accounts.models import User
from hromada.appeals import receptions
from hromada.appeals.models import Appeal, Channel, ReceptionBooking, ReceptionSchedule
from hromada.control.factories import Org
from hromada.core.calendar import calendar_override_set
from hromada.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db

Booking = ReceptionBooking.State


def next_weekday(iso: int, after: date | None = None) -> date:
    day = (after or timezone.localdate()) + timedelta(days=1)
    while day.isoweekday() != iso:
        day += timedelta(days=1)
    return day


def schedule(org: Org, **overrides: Any) -> ReceptionSchedule:
    values: dict[str, Any] = {
        "start_time": time(10, 0),
        "end_time": time(11, 0),
        "place": "вул. Молодіжна, 1, каб. 215",
        "weekday": 2,
        "slot_minutes": 15,
    }
    values.update(overrides)
    return receptions.reception_schedule_save(
        actor=org.operator, official=org.head_d, data=receptions.ScheduleData(**values)
    )


def applicant(**overrides: Any) -> receptions.Applicant:
    values = {
        "surname": "Коваленко",
        "given_name": "Олена",
        "summary": "Ремонт даху",
        "phone": "067 123 45 67",
    }
    values.update(overrides)
    return receptions.Applicant(**values)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


def test_weekly_schedule_gives_slots_on_its_weekday_only(org: Org) -> None:
    s = schedule(org)
    slots = receptions.slots([s], days=14)
    assert slots
    assert {sl.starts_at.astimezone().date().isoweekday() for sl in slots} == {2}
    tuesday = next_weekday(2)
    day_slots = [sl for sl in slots if sl.starts_at.astimezone().date() == tuesday]
    assert [timezone.localtime(sl.starts_at).strftime("%H:%M") for sl in day_slots] == [
        "10:00",
        "10:15",
        "10:30",
        "10:45",
    ]


def test_week_of_month_schedule_applies_on_that_week_only(org: Org) -> None:
    s = schedule(org, week_of_month=2)
    for sl in receptions.slots([s], days=70):
        day = sl.starts_at.astimezone().date()
        assert 8 <= day.day <= 14


def test_a_day_off_has_no_slots(org: Org) -> None:
    s = schedule(org)
    tuesday = next_weekday(2)
    calendar_override_set(day=tuesday, is_working=False, note="тест")
    days = {sl.starts_at.astimezone().date() for sl in receptions.slots([s], days=14)}
    assert tuesday not in days
    assert next_weekday(2, tuesday) in days


def test_schedule_needs_a_weekday_or_a_date(org: Org) -> None:
    with pytest.raises(ApplicationError, match="день тижня"):
        schedule(org, weekday=None)
    assert not ReceptionSchedule.objects.exists()


def test_visiting_reception_needs_a_district(org: Org) -> None:
    with pytest.raises(ApplicationError, match="район"):
        schedule(org, kind=ReceptionSchedule.Kind.VISITING)
    visiting = schedule(org, kind=ReceptionSchedule.Kind.VISITING, district="TSM")
    assert visiting.district == "TSM"


def test_official_edits_own_schedule_but_not_another_executor(org: Org) -> None:
    own = receptions.reception_schedule_save(
        actor=org.head_d,
        official=org.head_d,
        data=receptions.ScheduleData(
            start_time=time(9), end_time=time(10), place="каб. 1", weekday=1
        ),
    )
    assert own.official == org.head_d
    with pytest.raises(ApplicationError, match="Недостатньо прав"):
        receptions.reception_schedule_save(
            actor=org.spec_d,
            official=org.head_d,
            data=receptions.ScheduleData(
                start_time=time(9), end_time=time(10), place="каб. 1", weekday=1
            ),
        )


def test_booking_a_free_slot_takes_it_off_the_free_list(org: Org) -> None:
    s = schedule(org)
    first = receptions.slots([s])[0]
    booking = receptions.reception_book(
        schedule_id=s.pk, starts_at=first.starts_at, applicant=applicant()
    )
    assert booking.state == Booking.BOOKED
    assert first.starts_at not in [sl.starts_at for sl in receptions.slots([s])]


def test_the_second_person_booking_the_same_slot_is_told_it_is_taken(org: Org) -> None:
    s = schedule(org)
    slot = receptions.slots([s])[0]
    receptions.reception_book(schedule_id=s.pk, starts_at=slot.starts_at, applicant=applicant())
    with pytest.raises(ApplicationError) as caught:
        receptions.reception_book(
            schedule_id=s.pk, starts_at=slot.starts_at, applicant=applicant(surname="Бондар")
        )
    assert caught.value.code == receptions.SLOT_TAKEN
    assert "інший вільний час" in caught.value.message
    assert ReceptionBooking.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; the race needs PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_bookings_of_one_slot_leave_one(org: Org) -> None:
    s = schedule(org)
    slot = receptions.slots([s])[0]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def book(name: str) -> None:
        barrier.wait()
        try:
            receptions.reception_book(
                schedule_id=s.pk, starts_at=slot.starts_at, applicant=applicant(surname=name)
            )
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in ("Перший", "Другий")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", receptions.SLOT_TAKEN]
    assert ReceptionBooking.objects.filter(state=Booking.BOOKED).count() == 1


def test_a_time_outside_the_schedule_cannot_be_booked(org: Org) -> None:
    s = schedule(org)
    tuesday = next_weekday(2)
    for wrong in (at(tuesday, 10, 5), at(tuesday, 11, 0), at(next_weekday(3), 10)):
        with pytest.raises(ApplicationError, match="запис неможливий"):
            receptions.reception_book(schedule_id=s.pk, starts_at=wrong, applicant=applicant())
    assert not ReceptionBooking.objects.exists()


def test_booking_needs_a_contact(org: Org) -> None:
    s = schedule(org)
    slot = receptions.slots([s])[0]
    with pytest.raises(ApplicationError, match="e-mail або телефон"):
        receptions.reception_book(
            schedule_id=s.pk, starts_at=slot.starts_at, applicant=applicant(phone="")
        )


def test_cancelling_frees_the_slot_for_another_booking(
    org: Org, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    s = schedule(org)
    slot = receptions.slots([s])[0]
    with django_capture_on_commit_callbacks(execute=True):
        booking = receptions.reception_book(
            schedule_id=s.pk,
            starts_at=slot.starts_at,
            applicant=applicant(email="olena@example.org"),
        )
    token = receptions.cancel_token(booking)
    receptions.reception_cancel(booking_id=booking.pk, token=token)
    again = receptions.reception_book(
        schedule_id=s.pk, starts_at=slot.starts_at, applicant=applicant(surname="Бондар")
    )
    assert again.state == Booking.BOOKED


def test_a_stranger_without_the_link_cannot_cancel(org: Org) -> None:
    s = schedule(org)
    booking = receptions.reception_book(
        schedule_id=s.pk, starts_at=receptions.slots([s])[0].starts_at, applicant=applicant()
    )
    with pytest.raises(ApplicationError, match="Недостатньо прав"):
        receptions.reception_cancel(booking_id=booking.pk, actor=org.outsider)
    with pytest.raises(ApplicationError, match="Недостатньо прав"):
        receptions.reception_cancel(booking_id=booking.pk, token="forged:token")


def test_journal_entry_from_a_booking_marks_it_attended(org: Org) -> None:
    s = schedule(org)
    booking = receptions.reception_book(
        schedule_id=s.pk, starts_at=receptions.slots([s])[0].starts_at, applicant=applicant()
    )
    record = receptions.reception_record_create(
        actor=org.operator,
        official=org.head_d,
        data=receptions.RecordData(
            date=timezone.localdate(), surname="Коваленко", given_name="Олена", summary="Дах"
        ),
        booking_id=booking.pk,
    )
    booking.refresh_from_db()
    assert booking.state == Booking.ATTENDED
    assert record.unit == org.d
    assert record.official_position


def test_journal_is_not_kept_by_an_executor(org: Org) -> None:
    with pytest.raises(ApplicationError, match="Недостатньо прав"):
        receptions.reception_record_create(
            actor=org.spec_d,
            official=org.head_d,
            data=receptions.RecordData(
                date=timezone.localdate(), surname="А", given_name="Б", summary="В"
            ),
        )


def test_appeal_registered_from_a_reception_is_linked_and_addressed(org: Org) -> None:
    record = receptions.reception_record_create(
        actor=org.operator,
        official=org.head_d,
        data=receptions.RecordData(
            date=timezone.localdate(),
            kind=ReceptionSchedule.Kind.VISITING,
            surname="Коваленко",
            given_name="Олена",
            address="вул. Свободи, 12",
            summary="Не працює освітлення у дворі",
        ),
    )
    registered = receptions.reception_record_register_appeal(
        actor=org.operator, record_id=record.pk, topics=["109"]
    )
    appeal = registered.appeal
    assert appeal.state == Appeal.State.REGISTERED
    assert appeal.channel == Channel.VISITING_RECEPTION
    assert appeal.how_received == "1.2"
    assert appeal.addressee == org.head_d
    record.refresh_from_db()
    assert record.appeal == appeal
    with pytest.raises(ApplicationError, match="вже зареєстровано"):
        receptions.reception_record_register_appeal(
            actor=org.operator, record_id=record.pk, topics=["109"]
        )


# --- views ---------------------------------------------------------------------------------------


def test_booking_page_books_and_shows_the_confirmation(client: Client, org: Org) -> None:
    s = schedule(org)
    slot = receptions.slots([s])[0]
    url = f"/appeals/receptions/{s.pk}/book/"
    assert client.get(url, {"at": slot.key}).status_code == 200
    response = client.post(
        url,
        {
            "at": slot.key,
            "surname": "Коваленко",
            "given_name": "Олена",
            "phone": "0671234567",
            "summary": "<script>alert(1)</script>дах",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Ви записані на прийом" in page.content.decode()
    assert "<script>alert(1)</script>" not in page.content.decode()
    second = client.post(
        url,
        {
            "at": slot.key,
            "surname": "Інший",
            "given_name": "Іван",
            "phone": "0501112233",
            "summary": "x",
        },
    )
    assert second.status_code == 400
    assert "щойно зайняв інший відвідувач" in second.content.decode()


def test_staff_journal_page_needs_the_permission(login: Callable[[User], Client], org: Org) -> None:
    assert login(org.spec_d).get("/staff/appeals/receptions/journal/").status_code == 403
    assert login(org.operator).get("/staff/appeals/receptions/journal/").status_code == 200
