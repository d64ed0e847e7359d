"""The programme screens in a real browser: record an activity, take a report to approval,
see the interactive chart; no serious accessibility violations on the way."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from hromada.programs.models import Activity, Report

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Check = Callable[["Page"], None]


def _as(page: Page, live_server: LiveServer, user: Any) -> None:
    """Continue in the browser as a coordinator (no second factor needed)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_coordinator_records_an_activity_and_approves_the_report(
    page: Page, live_server: LiveServer, axe_check: Check, setup: Any
) -> None:
    _as(page, live_server, setup.coordinator)
    page.goto(f"/staff/programs/{setup.programme.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Інформування").click()
    page.get_by_text("Захід (подія)", exact=True).click()
    page.get_by_label("Вид заходу").select_option("press_conference")
    page.get_by_label("Дата").first.fill("2025-03-12")
    page.locator("#id_a-title").fill("Прес-конференція міського голови")
    page.get_by_label("Проведено міським головою").check()
    page.get_by_role("button", name="Записати захід").click()
    page.get_by_text("Захід (подію) записано.").wait_for()
    axe_check(page)
    assert Activity.objects.get().by_mayor is True

    page.goto(f"/staff/programs/{setup.programme.pk}/")
    page.get_by_role("button", name="Підготувати звіт").click()
    page.get_by_text("ПРОЄКТ", exact=False).first.wait_for()
    page.get_by_role("button", name="Подати на затвердження").click()
    page.get_by_label("Номер рішення міської ради").fill("183")
    page.get_by_label("Дата рішення").fill("2025-12-30")
    page.get_by_role("button", name="Затвердити (рішення міської ради)").click()
    page.locator(".hromada-report__approval").wait_for()
    assert Report.objects.get().status == Report.Status.APPROVED
    page.locator("[data-programs-chart] canvas").wait_for()  # Chart.js replaced the SVG
    axe_check(page)
