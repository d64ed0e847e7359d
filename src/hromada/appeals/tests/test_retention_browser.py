"""Retention screens in a real browser: propose, approve, execute an act; accessible pages."""

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
from hromada.appeals import services
from hromada.appeals.factories import register
from hromada.appeals.models import Appeal, RetentionAct
from hromada.appeals.tests.conftest import ensure_classifiers
from hromada.control.factories import make_org

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page: Page, live_server: LiveServer, user: User) -> None:
    TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_act_is_proposed_approved_and_executed_in_the_browser(
    page: Page,
    live_server: LiveServer,
    axe_check: Callable[[Page], None],
    screenshot: Callable[[Page, str], Path],
) -> None:
    ensure_classifiers()
    org = make_org()
    made = []
    for surname in ("Коваленко", "Бондар", "Гнатюк"):
        appeal = register(org, surname=surname, phone="").appeal
        services.appeal_return(actor=org.operator, appeal_id=appeal.pk, explanation="Без суті")
        made.append(appeal)
    Appeal.objects.filter(pk__in=[a.pk for a in made]).update(
        retention_until=timezone.localdate() - timedelta(days=1)
    )
    _as(page, live_server, org.operator)
    page.goto(f"/staff/appeals/retention/bodies/{org.d.pk}/")
    axe_check(page)
    screenshot(page, "appeals-retention-expired")
    page.get_by_label("Підстава, примітка").fill("Справа 05-12 за номенклатурою 2026 року")
    page.get_by_role("button", name="Скласти акт про знеособлення").click()
    page.wait_for_url("**/retention/acts/**")
    act = RetentionAct.objects.get()
    assert act.items.count() == 3

    _as(page, live_server, org.head_d)
    page.goto(act.get_absolute_url())
    axe_check(page)
    screenshot(page, "appeals-retention-act-proposed")
    page.get_by_role("button", name="Затвердити акт").click()
    page.get_by_role("button", name="Виконати акт: знеособити звернення").click()
    page.get_by_text("Акт виконано").wait_for()
    axe_check(page)
    screenshot(page, "appeals-retention-act-executed")
    assert Appeal.objects.filter(anonymised_at__isnull=False, surname="").count() == 3
    page.goto("/staff/appeals/retention/")
    axe_check(page)
    screenshot(page, "appeals-retention-index")
