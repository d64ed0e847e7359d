"""The editorial workflow in a real browser: an editor writes, the press office approves."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from hromada.accounts.factories import OrgUnitFactory, staff_with_role
from hromada.accounts.roles import Role
from hromada.content.factories import make_section
from hromada.content.models import NewsPage
from hromada.core.models import AuditEvent

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Check = Callable[["Page"], None]
Shot = Callable[["Page", str], Path]


def _as(page: Page, live_server: LiveServer, user: Any) -> None:
    """Continue in the browser as a user (editors need no second factor)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_editor_writes_news_press_office_approves_it_appears_on_home_and_in_search(
    page: Page, live_server: LiveServer, screenshot: Shot, axe_check: Check
) -> None:
    from hromada.content.services import site_setup

    site_setup()
    unit = OrgUnitFactory(name="Управління благоустрою та житлової політики")
    section = make_section("Благоустрій", unit=unit, slug="blahoustrii")
    other = make_section("Транспорт", unit=OrgUnitFactory(name="Управління транспорту"))
    editor = staff_with_role(Role.EDITOR, unit, email="editor-ubzh@example.org")
    press = staff_with_role(Role.EDITOR, None, email="press@example.org")

    # The department's editor writes a news item in their section and submits it.
    _as(page, live_server, editor)
    page.goto(f"/cms/pages/add/content/newspage/{section.pk}/")
    page.fill("#id_title", "Відремонтували будинок на вулиці Шевченка, 12")
    page.fill("#id_summary", "Нова покрівля і утеплений фасад.")
    page.locator("[data-draftail-input] ~ * [contenteditable=true]").first.click()
    page.keyboard.type("Роботи виконано за кошти міського бюджету.")
    page.wait_for_timeout(600)  # Draftail saves its content into the form after a pause
    screenshot(page, "content-cms-editor-new-news")
    page.evaluate("document.querySelector('button[name=action-submit]').click()")
    page.wait_for_url(lambda url: "/add/" not in url)
    screenshot(page, "content-cms-submitted")
    item = NewsPage.objects.get(title__startswith="Відремонтували будинок")
    assert not item.live
    assert item.current_workflow_state is not None
    # The editor cannot open another department's section.
    response = page.goto(f"/cms/pages/{other.pk}/edit/")
    assert response is None or response.status in (200, 302, 403)
    assert "/cms/pages/" not in page.url or page.locator("#id_title").count() == 0

    # The press office approves it in the CMS; approval publishes.
    _as(page, live_server, press)
    page.goto(f"/cms/pages/{item.pk}/edit/")
    screenshot(page, "content-cms-press-review")
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target=toggle]").last.click()
    approve = page.locator(
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    screenshot(page, "content-cms-press-actions")
    with page.expect_navigation():
        approve.click()
    screenshot(page, "content-cms-approved")
    item.refresh_from_db()
    assert item.live
    assert AuditEvent.objects.filter(
        action="content.page.published", object_id=str(item.pk), actor_id=press.pk
    ).exists()

    # A visitor sees it on the portal home and finds it by another grammatical case.
    page.context.clear_cookies()
    page.goto("/")
    assert page.locator("#content-latest").get_by_text("Відремонтували будинок").count() == 1
    screenshot(page, "content-home-news")
    axe_check(page)
    page.goto("/search/?q=будинку")
    assert page.locator("#results-materials").get_by_text("Відремонтували").count() == 1
    screenshot(page, "content-search-materials")
    page.locator("#results-materials a").first.click()
    page.wait_for_url("**/sections/blahoustrii/**")
    assert page.locator("h1").inner_text().startswith("Відремонтували будинок")
    assert page.get_by_text("Роботи виконано за кошти міського бюджету.").count() == 1
    screenshot(page, "content-material-page")
    axe_check(page)
    page.goto(section.url)
    screenshot(page, "content-section-page")
    axe_check(page)
