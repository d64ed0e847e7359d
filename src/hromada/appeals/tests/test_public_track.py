"""Tracking without an account: index + secret code → status only, rate-limited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hromada.appeals.factories import register
from hromada.control.factories import Org

pytestmark = pytest.mark.django_db

URL = "/appeals/track/"


def test_index_and_code_show_status_and_dates(client: Client, org: Org) -> None:
    registered = register(org)
    appeal = registered.appeal
    response = client.post(URL, {"index": appeal.reg_index, "code": registered.tracking_code})
    body = response.content.decode()
    assert response.status_code == 200
    assert "зареєстровано" in body
    assert appeal.reg_date is not None
    assert appeal.reg_date.strftime("%d.%m.%Y") in body
    assert appeal.due_date is not None
    assert appeal.due_date.strftime("%d.%m.%Y") in body


def test_tracking_shows_no_personal_data_nor_substance(client: Client, org: Org) -> None:
    registered = register(org)
    body = client.post(
        URL, {"index": registered.appeal.reg_index, "code": registered.tracking_code.lower()}
    ).content.decode()
    for secret in ("Коваленко", "Олена", "Свободи", "olena@example.org", "123 45 67", "освітлення"):
        assert secret not in body


def test_wrong_code_and_unknown_index_get_the_same_message(client: Client, org: Org) -> None:
    registered = register(org)
    wrong = client.post(URL, {"index": registered.appeal.reg_index, "code": "AAAAAAAA"})
    unknown = client.post(URL, {"index": "99999", "code": registered.tracking_code})
    assert wrong.status_code == unknown.status_code == 404
    message = "Звернення з таким номером і кодом не знайдено"
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()


def test_same_index_in_two_journals_finds_the_right_appeal(client: Client, org: Org) -> None:
    from hromada.appeals import services
    from hromada.appeals.factories import card

    first = register(org)
    other = services.appeal_register(
        actor=org.head_x,
        body=org.x,
        channel="post",
        card=card(surname="Іншa", phone=""),
        checked_by_office=False,
    )
    assert other.appeal.reg_index == first.appeal.reg_index
    body = client.post(
        URL, {"index": other.appeal.reg_index, "code": other.tracking_code}
    ).content.decode()
    assert "зареєстровано" in body


def test_tracking_is_rate_limited(client: Client, org: Org, settings: Any) -> None:
    settings.HROMADA_APPEALS_TRACK_RATE_LIMIT = "3/10m/ip"
    registered = register(org)
    for _ in range(3):
        client.post(URL, {"index": "1", "code": "WRONG123"})
    response = client.post(
        URL, {"index": registered.appeal.reg_index, "code": registered.tracking_code}
    )
    assert response.status_code == 429
    assert "Забагато спроб" in response.content.decode()


def test_tracking_form_asks_for_both_fields(client: Client, org: Org) -> None:
    response = client.post(URL, {"index": "", "code": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Вкажіть реєстраційний номер." in body
    assert "Вкажіть код з листа." in body
