"""The organisation and people screens in a real browser: each renders and passes axe-core."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from hromada.accounts.factories import (
    EmploymentFactory,
    OrgUnitFactory,
    PositionFactory,
    StaffFactory,
    staff_with_role,
)
from hromada.accounts.models import OrgUnit, User
from hromada.accounts.roles import Role

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Check = Callable[["Page"], None]
Shot = Callable[["Page", str], Path]


def log_in(page: Page, live_server: LiveServer, user: User) -> None:
    TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def admin_page(page: Page, live_server: LiveServer) -> tuple[Page, OrgUnit, User]:
    council = OrgUnitFactory(code="MR", name="Міська рада", kind=OrgUnit.Kind.COUNCIL)
    department = OrgUnitFactory(code="MR-1", name="Департамент фінансів", parent=council)
    division = OrgUnitFactory(code="MR-1-1", name="Бюджетний відділ", parent=department)
    person = StaffFactory(phone="+380 56 000 11 22")
    EmploymentFactory(
        user=person, position=PositionFactory(unit=division, title="начальник", is_head=True)
    )
    admin = staff_with_role(Role.ADMIN, None, email="admin@rada.example")
    log_in(page, live_server, admin)
    return page, division, person


def test_org_screens_render_and_are_accessible(
    admin_page: tuple[Page, OrgUnit, User], axe_check: Check, screenshot: Shot
) -> None:
    page, division, _person = admin_page
    page.goto("/staff/org/")
    assert page.get_by_role("heading", name="Організаційна структура").is_visible()
    axe_check(page)
    screenshot(page, "org-tree")
    division_link = page.get_by_role("link", name="MR-1-1 Бюджетний відділ")
    assert not division_link.is_visible()  # deeper levels start collapsed
    page.get_by_text("Підпорядковані підрозділи: 1").last.click()
    division_link.click()
    assert page.get_by_role("heading", name="Бюджетний відділ").is_visible()
    axe_check(page)
    screenshot(page, "org-unit")
    page.goto(f"/staff/org/{division.pk}/edit/")
    page.get_by_label("Повна назва").fill("")
    page.get_by_role("button", name="Зберегти").click()
    assert page.locator(".govuk-error-summary").is_visible()
    axe_check(page)
    page.goto("/staff/org/import/")
    axe_check(page)


def test_people_screens_render_and_are_accessible(
    admin_page: tuple[Page, OrgUnit, User], axe_check: Check, screenshot: Shot
) -> None:
    page, _division, person = admin_page
    page.goto("/staff/people/")
    page.get_by_label("Пошук").fill(person.surname)
    page.get_by_role("button", name="Знайти").click()
    assert page.get_by_role("link", name=person.full_name).is_visible()
    axe_check(page)
    screenshot(page, "people-list")
    page.get_by_role("link", name=person.full_name).click()
    assert page.get_by_text("+380 56 000 11 22").is_visible()
    axe_check(page)
    screenshot(page, "person-card")
    for path in ("roles/new/", "substitutions/new/", "employments/new/", "edit/"):
        page.goto(f"/staff/people/{person.pk}/{path}")
        axe_check(page)
    page.goto("/staff/people/new/")
    page.get_by_role("button", name="Зберегти").click()
    assert page.locator(".govuk-error-summary").is_visible()
    axe_check(page)


def test_the_dashboard_panels_load_after_the_page_and_are_busy_no_more(
    page: Page, live_server: LiveServer, axe_check: Check, screenshot: Shot
) -> None:
    admin = staff_with_role(Role.ADMIN, None, email="admin@rada.example")
    log_in(page, live_server, admin)
    page.goto("/staff/")  # init.js sets the cookie: the next load has lazy panels
    page.goto("/staff/")
    panels = page.locator("section.hromada-panel")
    assert panels.count() >= 1
    page.wait_for_function(
        "[...document.querySelectorAll('section.hromada-panel')]"
        ".every(s => s.getAttribute('aria-busy') === 'false')"
    )
    assert page.get_by_text("Завантаження…").count() == 0
    # A panel with nothing for this user says so instead of staying empty.
    appeals = panels.filter(has=page.get_by_role("heading", name="Звернення громадян"))
    assert "Тут поки нічого для вас." in appeals.inner_text()
    screenshot(page, "staff-dashboard-loaded")
    axe_check(page)
