"""Every login and security page renders in hromada's shell, in Ukrainian, GOV.UK style.

The pages are allauth's; hromada overrides its layouts and element templates.
Each page is checked for the shell, one heading, GOV.UK classes and a visible
label for every field (the browser suite adds axe-core on top).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from hromada.accounts.factories import OrgUnitFactory, UserFactory, staff_with_role
from hromada.accounts.models import User
from hromada.accounts.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
# English words of allauth's default pages that must not leak into ours.
ENGLISH = re.compile(
    r">\s*(Sign In|Sign Up|Sign Out|Password|Email|Remember Me|Confirm|Cancel|Activate|"
    r"Deactivate|Recovery Codes|Authenticator|Code|Submit)\s*<"
)


class _Page(HTMLParser):
    """Collect what the checks need: headings, labels, fields, buttons, the html lang."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.h1 = 0
        self.label_for: set[str] = set()
        self.fields: list[dict[str, str | None]] = []
        self.buttons: list[dict[str, str | None]] = []
        self.skip_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        elif tag == "h1":
            self.h1 += 1
        elif tag == "label" and a.get("for"):
            self.label_for.add(a["for"] or "")
        elif tag in ("input", "select", "textarea"):
            if a.get("type") not in ("hidden", "submit"):
                self.fields.append(a)
        elif tag == "button":
            self.buttons.append(a)
        elif tag == "a" and a.get("href") == "#main-content":
            self.skip_link = True


def check_page(response: Any) -> _Page:
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    page = _Page()
    page.feed(text)
    assert page.lang == "uk"
    assert page.skip_link, "not rendered inside hromada's base.html"
    assert page.h1 == 1
    for field in page.fields:
        assert field.get("id") in page.label_for, f"field without a label: {field}"
        css = field.get("class") or ""
        assert "govuk-" in css, f"field without GOV.UK class: {field}"
    for button in page.buttons:
        css = button.get("class") or ""
        assert "govuk-button" in css or "hromada-linkbutton" in css, button
    main = text[text.index("<main") : text.index("</main>")]
    assert not ENGLISH.search(main), ENGLISH.search(main)
    return page


def verified(user: User) -> User:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def operator() -> User:
    return verified(staff_with_role(Role.OPERATOR, unit=OrgUnitFactory(), password=PASSWORD))


def log_in(client: Any, user: User) -> Any:
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def with_totp(client: Any) -> User:
    """Log in an operator and turn TOTP on through the pages."""
    user = operator()
    log_in(client, user)
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret
    client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
        "/accounts/confirm-email/not-a-key/",
        "/accounts/password/reset/key/1-not-a-key/",
    ],
)
def test_public_account_pages(client, url):
    check_page(client.get(url, follow=True))


def test_login_page_explains_the_second_step_and_links_to_reset(client):
    response = client.get("/accounts/login/")
    check_page(response)
    body = response.content.decode()
    assert 'href="/accounts/password/reset/"' in body
    assert "Електронна пошта" in body


def test_signup_page_asks_name_and_marks_optional_fields(client):
    body = html.unescape(client.get("/accounts/signup/").content.decode())
    for label in ("Прізвище", "Ім'я", "По батькові (необов'язково)", "Телефон (необов'язково)"):
        assert label in body
    order = [body.index(f'name="{n}"') for n in ("surname", "given_name", "email", "password1")]
    assert order == sorted(order)


def test_login_errors_are_summarised_and_linked(client):
    response = client.post("/accounts/login/", {"login": "", "password": ""})
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert 'href="#id_login"' in body
    assert "govuk-input--error" in body


def test_wrong_password_is_explained_in_ukrainian(client):
    user = verified(UserFactory(password=PASSWORD))
    response = client.post("/accounts/login/", {"login": user.email, "password": "не-той-пароль"})
    assert "govuk-error-summary" in response.content.decode()
    assert response.context["form"].non_field_errors()


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/password/change/",
        "/accounts/email/",
        "/accounts/2fa/",
        "/accounts/logout/",
        "/accounts/reauthenticate/",
    ],
)
def test_account_management_pages(client, url):
    client.force_login(verified(UserFactory(password=PASSWORD)))
    check_page(client.get(url))


def test_totp_activation_page(client):
    log_in(client, operator())
    check_page(client.get("/accounts/2fa/totp/activate/"))


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/2fa/",
        "/accounts/2fa/recovery-codes/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/totp/deactivate/",
        "/accounts/2fa/reauthenticate/",
    ],
)
def test_mfa_pages_with_totp_active(client, url):
    with_totp(client)
    check_page(client.get(url))


def test_mfa_authenticate_page(client):
    user = operator()
    TOTP.activate(user, generate_totp_secret())
    response = log_in(client, user)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    page = check_page(client.get("/accounts/2fa/authenticate/"))
    assert any(f.get("autocomplete") == "one-time-code" for f in page.fields)


def test_recovery_codes_download_is_plain_text(client):
    with_totp(client)
    response = client.get("/accounts/2fa/recovery-codes/download/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
