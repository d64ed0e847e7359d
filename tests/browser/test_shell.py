"""The public and staff shells in a real browser: each page renders and passes axe-core."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from hromada.accounts.factories import OrgUnitFactory, UserFactory, staff_with_role
from hromada.accounts.models import User
from hromada.accounts.roles import Role

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
Check = Callable[["Page"], None]
Shot = Callable[["Page", str], Path]


def verified(user: User) -> User:
    """Mark the user's e-mail as verified, as after following the confirmation link."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def totp_code(secret: str) -> str:
    """Return the current code, waiting out the last seconds of a 30 s period (no boundary race)."""
    remaining = 30 - time.time() % 30
    if remaining < 3:
        time.sleep(remaining + 0.1)
    return str(pyotp.TOTP(secret).now())


def log_in_with_session(page: Page, live_server: LiveServer, user: User) -> None:
    """Put a logged-in session cookie into the browser (for pages behind login)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_home_page_renders_and_is_accessible(
    page: Page, axe_check: Check, screenshot: Shot
) -> None:
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.locator("main#main-content").is_visible()
    screenshot(page, "home")
    axe_check(page)


def test_login_page_renders_and_is_accessible(
    page: Page, axe_check: Check, screenshot: Shot
) -> None:
    page.goto("/accounts/login/")
    assert page.locator("input[name=login]").is_visible()
    assert page.locator("input[name=password]").is_visible()
    screenshot(page, "login")
    axe_check(page)


def test_signup_page_renders_and_is_accessible(
    page: Page, axe_check: Check, screenshot: Shot
) -> None:
    page.goto("/accounts/signup/")
    assert page.locator("input[name=email]").is_visible()
    screenshot(page, "signup")
    axe_check(page)


def test_staff_logs_in_with_password_and_totp_and_lands_on_staff_workspace(
    page: Page, axe_check: Check, screenshot: Shot
) -> None:
    staff = verified(staff_with_role(Role.OPERATOR, unit=OrgUnitFactory(), password=PASSWORD))
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    page.goto("/accounts/login/")
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/2fa/authenticate/**")
    screenshot(page, "login-totp")
    axe_check(page)
    page.fill("input[name=code]", totp_code(secret))
    page.locator("main form button[type=submit]").first.click()

    page.wait_for_url("**/staff/")
    screenshot(page, "staff-home")
    axe_check(page)


def test_citizen_sees_own_cabinet(
    page: Page, live_server: LiveServer, axe_check: Check, screenshot: Shot
) -> None:
    citizen = verified(UserFactory(password=PASSWORD))
    log_in_with_session(page, live_server, citizen)

    page.goto("/cabinet/")
    assert page.url.endswith("/cabinet/")
    screenshot(page, "cabinet")
    axe_check(page)


def test_language_switch_goes_to_english_and_back(
    page: Page, axe_check: Check, screenshot: Shot
) -> None:
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    screenshot(page, "home-en")
    axe_check(page)

    page.get_by_role("button", name="Українська").click()
    page.wait_for_function("document.documentElement.lang === 'uk'")
    assert page.locator("html").get_attribute("lang") == "uk"


def test_staff_without_totp_is_sent_to_set_it_up_with_a_qr_code_and_the_secret(
    page: Page, axe_check: Check, screenshot: Shot
) -> None:
    staff = verified(staff_with_role(Role.OPERATOR, unit=OrgUnitFactory(), password=PASSWORD))

    page.goto("/accounts/login/")
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/2fa/totp/activate/**")
    screenshot(page, "totp-setup")
    axe_check(page)
    assert page.locator("main img, main svg").count() >= 1  # the QR code
    secrets = re.findall(r"\b[A-Z2-7]{32}\b", page.content())
    assert secrets, "the setup page shows the secret for typing into an app"
    page.fill("input[name=code]", totp_code(secrets[0]))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    page.goto("/staff/")
    assert page.url.endswith("/staff/")
