"""The document workflow in a real browser, end to end.

An incoming letter is registered with its scan, the head gives a resolution, the executor
is notified, accepts the assignment without a page reload, prepares an answer that the head
signs and the office registers and sends, reports; the controller accepts the report and the
letter is removed from control; the office files the letter into a case, and later an
approved act destroys an expired case's files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.utils import timezone

from hromada.control.models import Assignment, Resolution
from hromada.core.models import Notification
from hromada.documents.factories import PDF_BYTES, make_office
from hromada.documents.models import CaseFile, Document, FileVersion

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Check = Callable[["Page"], None]


def _as(page: Page, live_server: LiveServer, user: Any) -> None:
    """Continue in the browser as another member of staff (TOTP set up, session cookie)."""
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _banner(page: Page, text: str) -> None:
    """Wait for the page's message banner to say `text`."""
    page.locator(".govuk-notification-banner").get_by_text(text).wait_for()


def test_the_whole_path_of_an_incoming_letter(
    page: Page, live_server: LiveServer, axe_check: Check, tmp_path: Path
) -> None:
    office = make_office()
    org = office.org
    scan = tmp_path / "лист.pdf"
    scan.write_bytes(PDF_BYTES)

    # The office registers the letter with its scan, keyboard first.
    _as(page, live_server, org.operator)
    page.goto("/staff/documents/register/")
    axe_check(page)
    page.select_option("#id_journal", str(office.incoming.pk))
    page.fill("#id_correspondent", f"{office.correspondent.name} [#{office.correspondent.pk}]")
    page.fill("#id_correspondent_number", "15/3")
    page.fill("#id_summary", "Про ремонт покрівлі будинку № 5")
    page.select_option("#id_addressee", str(org.head_d.pk))
    page.set_input_files("#id_files", str(scan))
    page.press("#id_correspondent_number", "Enter")  # Enter submits: no mouse needed
    _banner(page, "Документ зареєстровано: № 1")
    letter = Document.objects.get()
    assert FileVersion.objects.filter(file__document=letter).count() == 1

    # The head gives a resolution on the card.
    _as(page, live_server, org.head_d)
    page.goto(f"/staff/documents/{letter.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Резолюція").click()
    axe_check(page)
    page.fill("#id_text", "Підготувати відповідь до 10 днів")
    page.select_option("#id_responsible", str(org.spec_d1.pk))
    page.fill("#id_term_days", "10")
    page.select_option("#id_controller", str(org.controller.pk))
    page.get_by_role("button", name="Внести резолюцію").click()
    _banner(page, "Резолюцію внесено")
    assert Notification.objects.filter(recipient=org.spec_d1).exists()

    # The executor accepts on "My work" without a page reload, then prepares the answer.
    _as(page, live_server, org.spec_d1)
    page.goto("/staff/my-work/")
    axe_check(page)
    page.evaluate("window.notReloaded = true")
    assignment = Assignment.objects.get()
    row = page.locator(f"#assignment-{assignment.pk}")
    row.get_by_role("button", name="Прийняти").click()
    page.locator(f"#assignment-{assignment.pk}").get_by_text("прийняте до виконання").wait_for()
    assert page.evaluate("window.notReloaded === true")
    page.goto(f"/staff/documents/{letter.pk}/answer/")
    page.fill("#id_body_text", "Ремонт покрівлі заплановано на травень.")
    page.select_option("#id_signer", str(org.head_d.pk))
    page.get_by_role("button", name="Створити проєкт").click()
    _banner(page, "Проєкт відповіді створено")
    answer = Document.objects.get(direction="outgoing")
    page.get_by_role("button", name="Надіслати на погодження").click()
    _banner(page, "Проєкт надіслано на погодження")

    # The head signs; the office registers and sends the answer.
    _as(page, live_server, org.head_d)
    page.goto(f"/staff/documents/{answer.pk}/")
    page.get_by_role("button", name="Підписати").click()
    _banner(page, "Документ підписано")
    _as(page, live_server, org.operator)
    page.goto(f"/staff/documents/{answer.pk}/")
    page.get_by_role("button", name="Зареєструвати вихідний").click()
    _banner(page, "Вихідний документ зареєстровано")
    page.get_by_role("button", name="Надіслати").click()
    _banner(page, "вхідний документ позначено виконаним")

    # The executor reports; the controller accepts: the letter is off control.
    _as(page, live_server, org.spec_d1)
    page.goto(f"/staff/control/assignments/{assignment.pk}/")
    axe_check(page)
    page.fill("#id_text", "Відповідь № 01-15/1 надіслано")
    page.get_by_role("button", name="Надати звіт").click()
    _banner(page, "Звіт надано")
    _as(page, live_server, org.controller)
    page.goto("/staff/my-work/")
    page.get_by_role("link", name=letter.control_title[:20], exact=False).first.click()
    page.get_by_label("Прийняти звіт").check()
    page.get_by_role("button", name="Зберегти рішення").click()
    _banner(page, "Звіт прийнято")
    assert Resolution.objects.get().control_state == "removed"
    letter.refresh_from_db()
    assert letter.state == Document.State.EXECUTED

    # The office files the letter into a case.
    _as(page, live_server, org.operator)
    page.goto(f"/staff/documents/{letter.pk}/")
    page.select_option("#file-case", str(office.case.pk))
    page.get_by_role("button", name="Підшити").click()
    _banner(page, "Документ підшито до справи 01-15")

    # Years later: the case has expired; an approved act destroys its files.
    CaseFile.objects.filter(pk=office.case.pk).update(
        year=timezone.localdate().year - 6, state=CaseFile.State.CLOSED
    )
    page.goto(f"/staff/documents/cases/?body={org.d.pk}")
    axe_check(page)
    page.get_by_role("button", name="Скласти акт про вилучення для знищення").click()
    _banner(page, "Складено акт № 1")
    act_url = page.url
    _as(page, live_server, org.head_d)
    page.goto(act_url)
    page.get_by_role("button", name="Затвердити акт").click()
    _banner(page, "Акт затверджено")
    _as(page, live_server, org.operator)
    page.goto(act_url)
    page.get_by_role("button", name="Знищити файли справ за актом").click()
    _banner(page, "Знищено файлів:")
    assert not FileVersion.objects.filter(file__document=letter, destroyed_at__isnull=True).exists()
