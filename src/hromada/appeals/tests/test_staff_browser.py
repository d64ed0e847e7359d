"""Operator entry in a real browser, keyboard only: the caller's earlier appeals appear as the
operator types, Enter registers, the card opens with the index."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.utils import timezone

from hromada.accounts.models import User
from hromada.appeals.factories import register
from hromada.appeals.models import Appeal
from hromada.control.factories import make_org

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page: Page, live_server: LiveServer, user: User) -> None:
    TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_operator_registers_a_phone_call_with_the_keyboard_only(
    page: Page,
    live_server: LiveServer,
    axe_check: Callable[[Page], None],
    screenshot: Callable[[Page, str], Path],
) -> None:
    org = make_org()
    earlier = register(org).appeal
    Appeal.objects.filter(pk=earlier.pk).update(
        state=Appeal.State.CLOSED,
        result="9.3",
        reg_date=timezone.localdate() - timedelta(days=60),
    )
    _as(page, live_server, org.operator)
    page.goto("/staff/appeals/new/")
    assert page.evaluate("document.activeElement.id") == "id_surname"  # autofocus
    keys = page.keyboard
    keys.type("Коваленко")
    keys.press("Tab")
    keys.type("Олена")
    keys.press("Tab")
    keys.type("Петрівна")
    keys.press("Tab")
    keys.type("067 123 45 67")
    # The earlier-appeals panel fills in as the operator types (htmx).
    panel = page.locator("#earlier-panel")
    panel.get_by_text(f"№ {earlier.reg_index}").wait_for()
    assert "9.3 дано роз" in panel.inner_text()
    keys.press("Tab")  # e-mail: none given on the phone
    keys.press("Tab")
    keys.type("вул. Свободи, 12, кв. 5")
    keys.press("Tab")  # district: not asked
    keys.press("Tab")
    keys.type("Знову не працює освітлення у дворі будинку № 12.")
    keys.press("Tab")  # summary: from the text
    keys.press("Tab")
    keys.type("109")  # the main topic select finds "109 ..." as typed
    assert page.locator("#id_topic_main").input_value() == "109"
    keys.press("Tab")
    keys.type("125")
    axe_check(page)
    screenshot(page, "appeals-operator-entry")
    keys.press("Enter")
    page.get_by_text("Звернення зареєстровано").wait_for()
    appeal = Appeal.objects.exclude(pk=earlier.pk).get()
    assert page.url.endswith(f"/staff/appeals/{appeal.pk}/?registered=1")
    assert appeal.sign == Appeal.Sign.REPEATED
    assert list(appeal.topics.order_by("-is_main", "code").values_list("code", flat=True)) == [
        "109",
        "125",
    ]
    assert appeal.how_received == "1.1.1"
    page.get_by_text(f"№ {appeal.reg_index}", exact=False).first.wait_for()
    axe_check(page)
    screenshot(page, "appeals-card-after-entry")
