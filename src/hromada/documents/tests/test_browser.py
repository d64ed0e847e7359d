"""Correcting a registered card and keeping journals, in a real browser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from hromada.accounts.models import User
from hromada.core.models import AuditEvent
from hromada.documents.factories import make_office, register
from hromada.documents.models import Document, Journal

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


def test_a_clerk_corrects_the_summary_of_a_registered_card(
    page: Page,
    live_server: LiveServer,
    axe_check: Callable[[Page], None],
    screenshot: Callable[[Page, str], Path],
) -> None:
    office = make_office()
    document = register(office)
    _as(page, live_server, office.org.operator)
    page.goto(f"/staff/documents/{document.pk}/")
    page.get_by_role("link", name="Виправити картку").click()
    from playwright.sync_api import expect

    summary = page.get_by_label("Короткий зміст")
    # autofocus; expect waits for the new page (evaluated at once, during the navigation
    # the click starts, document.activeElement could still be null)
    expect(summary).to_be_focused()
    axe_check(page)
    screenshot(page, "documents-card-edit")
    summary.fill("Про ремонт даху будинку № 5")
    page.get_by_role("button", name="Зберегти виправлення").click()
    page.get_by_text("Картку документа виправлено.").wait_for()
    assert "Про ремонт даху будинку № 5" in page.content()
    assert Document.objects.get(pk=document.pk).reg_index == "1"
    assert AuditEvent.objects.filter(action="documents.document.changed").count() == 1


def test_a_bad_index_template_is_explained_in_ukrainian(
    page: Page,
    live_server: LiveServer,
    axe_check: Callable[[Page], None],
    screenshot: Callable[[Page, str], Path],
) -> None:
    office = make_office()
    _as(page, live_server, office.org.operator)
    page.goto("/staff/documents/journals/")
    screenshot(page, "documents-journals")
    page.get_by_role("link", name="Новий журнал").click()
    page.get_by_label("Назва").fill("Доповідні записки")
    page.get_by_label("Код журналу").fill("D-MEMO")
    page.get_by_label("внутрішні документи").check()
    page.get_by_label("Орган (підрозділ)").select_option(str(office.org.d.pk))
    page.get_by_label("Шаблон індексу").fill("{nomer}")
    page.get_by_role("button", name="Створити журнал").click()
    page.get_by_text("Невідоме поле «{nomer}»").first.wait_for()
    axe_check(page)
    screenshot(page, "documents-journal-bad-template")
    assert not Journal.objects.filter(code="D-MEMO").exists()
    page.get_by_label("Шаблон індексу").fill("{seq}/{unit}")
    page.get_by_role("button", name="Створити журнал").click()
    page.get_by_text("Журнал «Доповідні записки» створено.").wait_for()
    assert Journal.objects.get(code="D-MEMO").index_template == "{seq}/{unit}"
