"""Virtual reception rooms: saving refreshes the search fields; the public list and page."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hromada.accounts.factories import UserFactory
from hromada.accounts.models import User
from hromada.appeals import receptions, rooms
from hromada.appeals.models import ReceptionRoom
from hromada.control.factories import Org
from hromada.core.exceptions import ApplicationError


def _user(surname: str) -> User:
    user: User = UserFactory(surname=surname)  # type: ignore[no-untyped-call,assignment]
    return user


pytestmark = pytest.mark.django_db

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_saving_a_room_copies_position_unit_and_search_text(org: Org) -> None:
    room = rooms.room_save(
        actor=org.operator, official=org.head_d, subjects="Благоустрій дворів", topics="109"
    )
    assert room.unit_name == "Департамент D"
    assert room.position_title
    assert "благоустрій" in room.search_text
    assert "комунальне господарство" in room.search_text  # the topic's label


def test_search_is_case_insensitive_in_ukrainian_and_needs_every_word(org: Org) -> None:
    rooms.room_save(actor=None, official=org.head_d, subjects="Ремонт під’їздів, ОСББ")
    rooms.room_save(actor=None, official=org.head_x, subjects="Транспорт")
    found = list(rooms.rooms_search("ПІД'ЇЗДІВ осбб"))
    assert [r.official for r in found] == [org.head_d]
    assert list(rooms.rooms_search("транспорт під'їздів")) == []
    assert {r.official for r in rooms.rooms_search("")} == {org.head_d, org.head_x}


def test_unknown_topic_code_is_refused(org: Org) -> None:
    with pytest.raises(ApplicationError, match="Невідомий код"):
        rooms.room_save(actor=org.operator, official=org.head_d, topics="109, 999")
    assert not ReceptionRoom.objects.exists()


def test_an_executor_cannot_edit_someone_elses_room(org: Org) -> None:
    with pytest.raises(ApplicationError, match="Недостатньо прав"):
        rooms.room_save(actor=org.spec_d, official=org.head_d, subjects="x")
    own = rooms.room_save(actor=org.spec_d, official=org.spec_d, subjects="Мої питання")
    assert own.subjects == "Мої питання"


def test_a_photo_that_is_not_an_image_is_refused(org: Org) -> None:
    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ApplicationError):
        rooms.room_save(actor=org.operator, official=org.head_d, photo=fake)
    room = rooms.room_save(
        actor=org.operator, official=org.head_d, photo=SimpleUploadedFile("я.png", PNG)
    )
    assert room.photo.name.endswith(".png")


def test_list_page_searches_and_pages_with_few_queries(client: Client, org: Org) -> None:
    for i in range(45):
        official = _user(f"Посадовець{i:02d}")
        rooms.room_save(actor=None, official=official, subjects="Освітлення вулиць")
    rooms.room_save(actor=None, official=org.head_d, subjects="Зелені насадження")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/appeals/rooms/", {"q": "освітлення"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Знайдено 45 приймалень" in body
    assert "Посадовець00" in body
    assert "Зелені насадження" not in body
    assert len(queries) <= 6
    assert client.get("/appeals/rooms/", {"q": "освітлення", "page": "3"}).status_code == 200


def test_room_page_shows_schedule_free_slots_and_ask_link(client: Client, org: Org) -> None:
    room = rooms.room_save(actor=None, official=org.head_d, subjects="Благоустрій")
    receptions.reception_schedule_save(
        actor=org.operator,
        official=org.head_d,
        data=receptions.ScheduleData(
            start_time=time(10), end_time=time(11), place="каб. 215", weekday=2
        ),
    )
    body = client.get(f"/appeals/rooms/{room.pk}/").content.decode()
    assert f"/appeals/new/?room={room.pk}" in body
    assert "каб. 215" in body
    assert "/book/?at=" in body


def test_unpublished_room_is_not_found(client: Client, org: Org) -> None:
    room = rooms.room_save(actor=None, official=org.head_d, is_public=False)
    assert client.get(f"/appeals/rooms/{room.pk}/").status_code == 404
    assert room not in rooms.rooms_search("")


def test_staff_editor_saves_the_room(login: Callable[[User], Client], org: Org) -> None:
    client = login(org.head_d)
    response = client.post(
        f"/staff/appeals/rooms/{org.head_d.pk}/edit/",
        {"subjects": "Нові питання", "topics": "109", "is_public": "on"},
    )
    assert response.status_code == 302
    assert ReceptionRoom.objects.get(official=org.head_d).subjects == "Нові питання"
    other = login(org.spec_d).get(f"/staff/appeals/rooms/{org.head_d.pk}/edit/")
    assert other.status_code == 403
