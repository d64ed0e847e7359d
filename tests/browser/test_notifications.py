"""Notifications in a real browser: marking read without a page reload, and accessibility."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from playwright.sync_api import expect

from hromada.accounts.factories import staff_with_role
from hromada.accounts.roles import Role
from hromada.core.models import Notification
from hromada.core.notifications import notify

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Check = Callable[["Page"], None]


def _log_in(page: Page, live_server: LiveServer) -> Notification:
    user = staff_with_role(Role.EXECUTOR)
    TOTP.activate(user, generate_totp_secret())
    notification = notify(
        recipient=user, key="k1", title="Нове доручення №17", body="Строк — 15.01", email=False
    )
    assert notification is not None
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return notification


def test_marking_read_on_the_list_updates_the_item_without_reloading(
    page: Page, live_server: LiveServer, axe_check: Check
) -> None:
    notification = _log_in(page, live_server)
    page.goto("/staff/notifications/")
    axe_check(page)
    page.evaluate("window.notReloaded = true")
    item = page.locator(f"#notification-{notification.pk}")
    item.get_by_role("button", name="Позначити прочитаним").click()
    item.get_by_text("прочитано").wait_for()
    assert page.evaluate("window.notReloaded === true")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_the_dashboard_panel_lists_unread_notifications(
    page: Page, live_server: LiveServer, axe_check: Check
) -> None:
    _log_in(page, live_server)
    page.goto("/staff/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Мої сповіщення"))
    # The panel loads after the page (htmx); wait for it.
    expect(panel.get_by_text("Нове доручення №17", exact=True)).to_be_visible()
    axe_check(page)
