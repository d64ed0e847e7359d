"""The citizen side in a real browser on a phone-sized screen, with JavaScript off and on."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core import mail
from django.test import Client

from hromada.accounts.factories import UserFactory
from hromada.appeals.models import Appeal
from hromada.control.factories import make_org
from hromada.core.classifiers import load_builtin_classifiers

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Check = Callable[["Page"], None]
Shot = Callable[["Page", str], Path]
PHONE = {"width": 375, "height": 740}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def city(settings: Any) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "mail"],
        }
    }
    settings.HROMADA_APPEALS_MIN_FILL_SECONDS = 0  # a script fills the form faster than people
    load_builtin_classifiers()  # a transactional test may start after another one's flush
    make_org()


def _phone(browser: Browser, live_server: LiveServer, *, javascript: bool) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="uk-UA",
        viewport=PHONE,
        has_touch=True,
        is_mobile=True,
        java_script_enabled=javascript,
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_no_js(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    yield from _phone(browser, live_server, javascript=False)


@pytest.fixture
def phone_js(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    yield from _phone(browser, live_server, javascript=True)


def _fill(page: Page, tmp_path: Path) -> None:
    page.get_by_label("Прізвище").fill("Коваленко")
    page.get_by_label("Ім'я", exact=True).fill("Олена")
    page.get_by_label("Квартира").fill("5")
    page.get_by_label("Тема").select_option("109")
    page.get_by_label("Суть звернення").fill(
        "Прошу відновити освітлення у дворі будинку. <script>alert(1)</script>"
    )
    photo = tmp_path / "опора.pdf"
    photo.write_bytes(PDF)
    page.get_by_label("Додатки").set_input_files(str(photo))
    page.locator("input[name=consent]").check()


def test_phone_without_javascript_submits_confirms_and_tracks(
    phone_no_js: Page, city: None, screenshot: Shot, tmp_path: Path
) -> None:
    page = phone_no_js
    page.goto("/appeals/new/")
    # Nothing sent yet: the server answers with the errors, the form keeps working.
    page.get_by_role("button", name="Надіслати звернення").click()
    assert page.locator(".govuk-error-summary").is_visible()
    screenshot(page, "a2-phone-nojs-errors")
    page.get_by_label("Адреса: вулиця і номер будинку").fill("вул. Свободи, 12")
    page.get_by_label("E-mail").fill("olena@example.org")
    _fill(page, tmp_path)
    screenshot(page, "a2-phone-nojs-form")
    page.get_by_role("button", name="Надіслати звернення").click()
    page.wait_for_url("**/appeals/new/done/")
    assert "Перевірте пошту" in page.content()
    screenshot(page, "a2-phone-nojs-check-mail")
    draft = Appeal.objects.get()
    assert draft.state == Appeal.State.DRAFT
    assert draft.files.count() == 1

    link = re.search(r"(/appeals/confirm/[0-9a-f]+/)", mail.outbox[-1].body)
    assert link
    page.goto(link.group(1))
    page.get_by_role("button", name="Підтвердити звернення").click()
    page.wait_for_url("**/appeals/new/done/")
    appeal = Appeal.objects.get()
    assert appeal.state == Appeal.State.REGISTERED
    index = page.locator("#reg-index").inner_text()
    code = page.locator("#tracking-code").inner_text()
    assert index == appeal.reg_index
    assert len(code) == 8
    screenshot(page, "a2-phone-nojs-registered")

    page.goto("/appeals/track/")
    page.get_by_label("Реєстраційний номер звернення").fill(index)
    page.get_by_label("Код для перевірки").fill(code)
    page.get_by_role("button", name="Перевірити").click()
    status = page.locator("#track-status").inner_text()
    assert "зареєстровано" in status
    assert "Коваленко" not in page.content()
    screenshot(page, "a2-phone-nojs-track")


def test_phone_with_javascript_signed_in_prefilled_with_address_suggestions(
    phone_js: Page,
    live_server: LiveServer,
    city: None,
    axe_check: Check,
    screenshot: Shot,
    tmp_path: Path,
) -> None:
    from hromada.portal.factories import BuildingPassportFactory

    BuildingPassportFactory(street="вул. Свободи", number="12", district="TSM")
    BuildingPassportFactory(street="вул. Свободи", number="14", district="TSM")
    citizen = UserFactory(
        surname="Коваленко", given_name="Олена", email="olena@example.org", phone="0671234567"
    )
    client = Client()
    client.force_login(citizen)
    page = phone_js
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto("/appeals/new/")
    assert page.get_by_label("Прізвище").input_value() == "Коваленко"
    assert page.get_by_label("E-mail").input_value() == "olena@example.org"
    axe_check(page)
    # The page fits the phone: nothing sticks out sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    address = page.get_by_label("Адреса: вулиця і номер будинку")
    address.press_sequentially("Свобод", delay=30)
    page.wait_for_function("document.querySelectorAll('#address-suggestions option').length === 2")
    address.fill("вул. Свободи, 12")
    _fill(page, tmp_path)
    screenshot(page, "a2-phone-js-form")
    page.get_by_role("button", name="Надіслати звернення").click()
    page.wait_for_url("**/appeals/new/done/")
    appeal = Appeal.objects.get()
    assert appeal.state == Appeal.State.REGISTERED
    assert appeal.district == "TSM"
    assert page.locator("#reg-index").inner_text() == appeal.reg_index
    axe_check(page)
    screenshot(page, "a2-phone-js-registered")

    page.get_by_role("link", name="Звернення у вашому кабінеті").click()
    assert (
        "&lt;script&gt;" in page.content()
        or "<script>alert(1)</script>" in page.locator("#appeal-text").inner_text()
    )
    assert page.locator("#appeal-history li").count() >= 1
    axe_check(page)
    screenshot(page, "a2-phone-js-cabinet")

    page.goto("/appeals/track/")
    axe_check(page)

    page.goto("/appeals/statistics/")
    page.wait_for_function("document.querySelectorAll('[data-appeals-chart] canvas').length >= 1")
    axe_check(page)
    screenshot(page, "a2-phone-js-statistics")
