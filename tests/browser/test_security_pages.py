"""Security pages in a real browser: each renders in the shell and passes axe-core."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from hromada.accounts.factories import OrgUnitFactory, UserFactory, staff_with_role
from hromada.accounts.models import User
from hromada.accounts.roles import Role
from hromada.core.audit import audit_record, changed_fields

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
Check = Callable[["Page"], None]
Shot = Callable[["Page", str], Path]


def verified(user: User) -> User:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def with_totp(user: User) -> User:
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    return user


def log_in_with_session(page: Page, live_server: LiveServer, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_signup_errors_are_summarised_accessibly(page: Page, axe_check: Check, screenshot: Shot):
    page.goto("/accounts/signup/")
    page.fill("input[name=surname]", "<b>Коваль</b>")
    page.fill("input[name=email]", "not-an-email")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector(".govuk-error-summary")
    assert page.locator(".govuk-error-summary a[href='#id_surname']").count() == 1
    screenshot(page, "signup-errors")
    axe_check(page)


def test_password_reset_page_is_accessible(page: Page, axe_check: Check, screenshot: Shot):
    page.goto("/accounts/password/reset/")
    assert page.locator("label[for=id_email]").is_visible()
    screenshot(page, "password-reset")
    axe_check(page)


def test_mfa_settings_and_recovery_codes_are_accessible(
    page: Page, live_server: LiveServer, axe_check: Check, screenshot: Shot
):
    user = with_totp(verified(staff_with_role(Role.OPERATOR, unit=OrgUnitFactory())))
    log_in_with_session(page, live_server, user)
    page.goto("/accounts/2fa/")
    screenshot(page, "mfa-index")
    axe_check(page)
    page.goto("/accounts/2fa/recovery-codes/")
    assert page.locator("textarea#recovery_codes").is_visible()
    screenshot(page, "recovery-codes")
    axe_check(page)


def test_password_change_page_is_accessible(
    page: Page, live_server: LiveServer, axe_check: Check, screenshot: Shot
):
    log_in_with_session(page, live_server, verified(UserFactory(password=PASSWORD)))
    page.goto("/accounts/password/change/")
    screenshot(page, "password-change")
    axe_check(page)


def test_audit_log_and_event_pages_are_accessible(
    page: Page, live_server: LiveServer, axe_check: Check, screenshot: Shot
):
    officer = with_totp(verified(staff_with_role(Role.SECURITY_OFFICER)))
    person = UserFactory()
    event = audit_record(
        actor=officer,
        action="accounts.person_changed",
        target=person,
        data={"changes": changed_fields({"phone": ""}, {"phone": "+380561234567"})},
    )
    log_in_with_session(page, live_server, officer)
    page.goto("/staff/audit/")
    assert page.locator("main table").is_visible()
    screenshot(page, "audit-list")
    axe_check(page)
    page.goto(f"/staff/audit/{event.seq}/")
    assert page.get_by_text("+380561234567").is_visible()
    screenshot(page, "audit-detail")
    axe_check(page)
