"""A citizen finds an official's reception room by search, opens it and books a slot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from hromada.accounts.factories import UserFactory
from hromada.accounts.models import User
from hromada.appeals import receptions, rooms
from hromada.appeals.models import ReceptionBooking
from hromada.control.factories import make_org

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _user(surname: str) -> User:
    user: User = UserFactory(surname=surname)  # type: ignore[no-untyped-call,assignment]
    return user


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_a_room_open_it_and_book_a_slot(
    page: Page, axe_check: Callable[[Page], None], screenshot: Callable[[Page, str], Path]
) -> None:
    from hromada.core.classifiers import load_builtin_classifiers

    load_builtin_classifiers()  # a transactional test starts from an empty database
    org = make_org()
    for i in range(30):
        rooms.room_save(actor=None, official=_user(f"Інший{i}"), subjects="Спорт")
    room = rooms.room_save(
        actor=None, official=org.head_d, subjects="Благоустрій дворів, освітлення", topics="109"
    )
    receptions.reception_schedule_save(
        actor=org.operator,
        official=org.head_d,
        data=receptions.ScheduleData(
            start_time=time(10), end_time=time(12), place="вул. Молодіжна, 1, каб. 215", weekday=2
        ),
    )
    page.goto("/appeals/rooms/")
    page.fill("#rooms-q", "ОСВІТЛЕННЯ")
    page.click("button:has-text('Знайти')")
    page.wait_for_url("**/appeals/rooms/?q=*")
    assert "Знайдено 1 приймальню" in page.inner_text("main")
    screenshot(page, "appeals-rooms-search")
    axe_check(page)
    page.click(f"a[href='/appeals/rooms/{room.pk}/']")
    assert page.locator("#ask-question").get_attribute("href") == f"/appeals/new/?room={room.pk}"
    screenshot(page, "appeals-room")
    axe_check(page)
    page.locator("[data-slot]").first.click()
    page.fill("#id_surname", "Коваленко")
    page.fill("#id_given_name", "Олена")
    page.fill("#id_phone", "067 123 45 67")
    page.fill("#id_summary", "Не світить ліхтар у дворі")
    axe_check(page)
    page.click("#book-submit")
    page.wait_for_url("**/appeals/receptions/booked/**")
    assert "Ви записані на прийом" in page.inner_text("main")
    screenshot(page, "appeals-room-booked")
    booking = ReceptionBooking.objects.get()
    assert booking.state == ReceptionBooking.State.BOOKED
    assert booking.schedule.official == org.head_d
