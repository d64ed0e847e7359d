"""The whole path of an appeal in a real browser (issue 5, "Done means").

A citizen with an account submits the web form → it is registered → the head gives a
resolution on the control screen → the executor accepts and reports, then prepares the
answer from a template → the head signs → the office sends it by e-mail (PDF attached) →
the controller accepts the report, which removes the appeal from control → the citizen
reads the answer and downloads its PDF in the cabinet.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.test import Client

from hromada.accounts.factories import UserFactory
from hromada.appeals.models import Answer, Appeal
from hromada.control.factories import make_org
from hromada.control.models import Assignment, Resolution
from hromada.core.classifiers import load_builtin_classifiers

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Check = Callable[["Page"], None]
Shot = Callable[["Page", str], Path]


def _as(page: Page, live_server: LiveServer, user: Any, *, staff: bool = True) -> None:
    """Continue in the browser as this user (staff with TOTP set up, as the MFA rule wants)."""
    if staff and not user.authenticator_set.exists():
        TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_submission_to_answer_in_the_cabinet(
    page: Page,
    live_server: LiveServer,
    axe_check: Check,
    screenshot: Shot,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "mail"],
        }
    }
    settings.HROMADA_APPEALS_DEFAULT_BODY = "D"
    settings.HROMADA_APPEALS_MIN_FILL_SECONDS = 0  # a script fills the form faster than people
    load_builtin_classifiers()  # a transactional test may start after another one's flush
    org = make_org()
    citizen = UserFactory(
        surname="Коваленко",
        given_name="Олена",
        patronymic="Петрівна",
        email="olena@example.org",
    )

    # 1. The citizen submits the web form (signed in: registered at once).
    _as(page, live_server, citizen, staff=False)
    page.goto("/appeals/new/")
    page.get_by_label("Прізвище").fill("Коваленко")
    page.get_by_label("Ім'я", exact=True).fill("Олена")
    page.get_by_label("Адреса: вулиця і номер будинку").fill("вул. Свободи, 12")
    page.get_by_label("Тема").select_option(index=1)
    page.get_by_label("Суть звернення").fill(
        "Прошу відновити освітлення у дворі будинку № 12 по вул. Свободи."
    )
    page.locator("input[name=consent]").check()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/appeals/new/done/")
    appeal = Appeal.objects.get()
    assert appeal.state == Appeal.State.REGISTERED
    assert appeal.applicant == citizen
    page.get_by_text(appeal.reg_index, exact=False).first.wait_for()
    screenshot(page, "a5-1-submitted")

    # 2. The head of D gives a resolution on the control screen.
    _as(page, live_server, org.head_d)
    page.goto(f"/staff/appeals/{appeal.pk}/")
    page.get_by_role("link", name="Резолюція").click()
    page.get_by_label("Зміст резолюції").fill("Відновити освітлення, підготувати відповідь")
    page.get_by_label("Відповідальний виконавець").select_option(str(org.spec_d.pk))
    page.get_by_label("Контролер").select_option(str(org.controller.pk))
    page.get_by_role("button", name="Внести резолюцію").click()
    page.wait_for_load_state()
    resolution = Resolution.objects.get()
    assignment = Assignment.objects.get()
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.IN_WORK
    screenshot(page, "a5-2-resolution")

    # 3. The executor accepts the assignment, reports, and prepares the answer from a template.
    _as(page, live_server, org.spec_d)
    page.goto(f"/staff/control/assignments/{assignment.pk}/")
    page.get_by_role("button", name="Прийняти до виконання").click()
    page.get_by_label("Звіт про виконання").fill("Світильники замінено 20.05, освітлення працює.")
    page.get_by_role("button", name="Надати звіт").click()
    page.wait_for_load_state()
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.REPORTED
    page.goto(f"/staff/appeals/{appeal.pk}/")
    page.get_by_label("Підготувати відповідь за шаблоном").select_option("positive")
    page.get_by_role("button", name="Підготувати відповідь").click()
    text = page.get_by_label("Текст відповіді")
    assert "Олена" in text.input_value()
    text.fill(
        text.input_value().replace(
            "[опишіть, що зроблено і коли]", "20 травня світильники у дворі замінено"
        )
    )
    axe_check(page)
    screenshot(page, "a5-3-answer-form")
    page.get_by_role("button", name="Зберегти проєкт").click()
    page.get_by_text("Проєкт відповіді збережено").wait_for()
    answer = Answer.objects.get()
    assert (answer.result, answer.state) == ("9.1", Answer.State.DRAFT)

    # 4. The head signs from the signing queue.
    _as(page, live_server, org.head_d)
    page.goto("/staff/")
    page.get_by_role("link", name="Відкрити «Відповіді на підпис»").click()
    axe_check(page)
    screenshot(page, "a5-4-sign-queue")
    page.get_by_role("link", name=str(appeal)).click()
    page.get_by_role("button", name="Підписати").click()
    page.get_by_text("Відповідь підписано.").wait_for()
    answer.refresh_from_db()
    assert answer.state == Answer.State.SIGNED
    assert answer.signer == org.head_d

    # 5. The office sends it by e-mail (the PDF goes with the notice).
    _as(page, live_server, org.operator)
    page.goto(f"/staff/appeals/{appeal.pk}/")  # not "#answers": that would not reload
    page.get_by_label("електронною поштою").check()
    page.get_by_role("button", name="Надіслати відповідь").click()
    page.get_by_text("Відповідь надіслано заявникові.").wait_for()
    axe_check(page)
    screenshot(page, "a5-5-sent")
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.ANSWERED
    assert appeal.result == "9.1"
    answered = [m for m in mail.outbox if m.to == ["olena@example.org"] and m.attachments]
    assert answered
    assert answered[-1].attachments[0][2] == "application/pdf"

    # 6. The controller accepts the report: the appeal is removed from control.
    _as(page, live_server, org.controller)
    page.goto(f"/staff/control/assignments/{assignment.pk}/")
    page.get_by_label("Прийняти звіт").check()
    page.get_by_role("button", name="Зберегти рішення").click()
    page.wait_for_load_state()
    appeal.refresh_from_db()
    resolution.refresh_from_db()
    assert appeal.state == Appeal.State.CLOSED
    assert resolution.control_state == Resolution.ControlState.REMOVED

    # 7. The citizen reads the answer in the cabinet and downloads the PDF.
    _as(page, live_server, citizen, staff=False)
    page.goto(f"/cabinet/appeals/{appeal.pk}/")
    page.get_by_text("20 травня світильники у дворі замінено").first.wait_for()
    axe_check(page)
    screenshot(page, "a5-6-cabinet")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Завантажити відповідь (PDF)").click(modifiers=["Alt"])
    pdf_path = tmp_path / "answer.pdf"
    download_info.value.save_as(pdf_path)
    pdf_text = subprocess.run(  # noqa: S603
        ["pdftotext", str(pdf_path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "20 травня світильники у дворі замінено" in pdf_text
    assert org.head_d.short_name in pdf_text
