"""The English locale: pages switch language, and translations keep their placeholders."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client

from hromada.accounts.factories import OrgUnitFactory, staff_with_role
from hromada.accounts.roles import Role

if TYPE_CHECKING:
    from pytest_django.fixtures import SettingsWrapper

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[^{}]*\}")


def _switch(client: Client, language: str) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302


def _unquote(lines: list[str]) -> str:
    """Join the quoted lines of one .po field into its text."""
    text = "".join(line.strip()[1:-1] for line in lines)
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def _po_entries() -> list[dict[str, str]]:
    """Parse the .po by hand: a list of {field: text} per entry (msgid, msgstr, msgstr[0], …)."""
    entries: list[dict[str, str]] = []
    fields: dict[str, list[str]] = {}
    current = ""
    for raw in [*PO_FILE.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line or line.startswith("#"):
            if fields and not line:
                entries.append({k: _unquote(v) for k, v in fields.items()})
                fields = {}
            continue
        if line.startswith('"'):
            fields[current].append(line)
            continue
        current, _, rest = line.partition(" ")
        fields[current] = [rest]
    return [e for e in entries if e.get("msgid")]


@pytest.mark.django_db
def test_home_page_is_in_english_after_switching(client: Client) -> None:
    _switch(client, "en")
    html = client.get("/").content.decode()
    assert 'lang="en"' in html
    assert "Log in" in html
    assert "Skip to main content" in html
    assert "Увійти" not in html


@pytest.mark.django_db
def test_home_page_is_in_ukrainian_by_default(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'lang="uk"' in html
    assert "Увійти" in html
    assert "Log in" not in html


@pytest.mark.django_db
def test_home_page_returns_to_ukrainian_after_switching_back(client: Client) -> None:
    _switch(client, "en")
    _switch(client, "uk")
    html = client.get("/").content.decode()
    assert "Увійти" in html
    assert "Skip to main content" not in html


@pytest.mark.django_db
def test_a_browser_asking_for_english_still_gets_ukrainian_until_the_visitor_switches(
    client: Client,
) -> None:
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Забули пароль?" in html
    assert "Forgot your password?" not in html
    _switch(client, "en")
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Forgot your password?" in html


@pytest.mark.django_db
def test_login_page_is_in_ukrainian_by_default(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert "Забули пароль?" in html
    assert "Forgot your password?" not in html


@pytest.mark.django_db
def test_staff_dashboard_is_in_english_after_switching(
    client: Client, settings: SettingsWrapper
) -> None:
    settings.HROMADA_MFA_ENFORCED = False
    client.force_login(staff_with_role(Role.EXECUTOR, OrgUnitFactory()))
    _switch(client, "en")
    response = client.get("/staff/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Workspace" in html
    assert "My dashboard" in html
    assert "Робочий простір" not in html


@pytest.mark.django_db
def test_staff_dashboard_is_in_ukrainian_by_default(
    client: Client, settings: SettingsWrapper
) -> None:
    settings.HROMADA_MFA_ENFORCED = False
    client.force_login(staff_with_role(Role.EXECUTOR, OrgUnitFactory()))
    html = client.get("/staff/").content.decode()
    assert "Робочий простір" in html
    assert "Workspace" not in html


def test_po_file_has_no_fuzzy_entries() -> None:
    assert "#, fuzzy" not in PO_FILE.read_text(encoding="utf-8")


def test_translations_keep_the_placeholders_of_their_msgids() -> None:
    entries = _po_entries()
    assert len(entries) > 100
    mismatches = []
    for entry in entries:
        for key, text in entry.items():
            if not key.startswith("msgstr") or not text:
                continue
            source = entry["msgid_plural"] if key == "msgstr[1]" else entry["msgid"]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                mismatches.append((source, text))
    assert mismatches == []


@pytest.mark.django_db
def test_a_signed_in_person_gets_their_profile_language_until_they_switch(
    client: Client,
) -> None:
    from hromada.accounts.factories import UserFactory

    client.force_login(UserFactory(preferred_language="en"))
    html = client.get("/cabinet/").content.decode()
    assert "Change password" in html
    assert "Змінити пароль" not in html
    _switch(client, "uk")
    assert "Змінити пароль" in client.get("/cabinet/").content.decode()


@pytest.mark.django_db
def test_appeal_form_is_in_english_after_switching(client: Client) -> None:
    from hromada.appeals.tests.conftest import ensure_classifiers
    from hromada.control.factories import make_org

    ensure_classifiers()
    make_org()
    _switch(client, "en")
    html = client.get("/appeals/new/").content.decode()
    assert "About you" in html
    assert "Send appeal" in html
    assert "Municipal services" in html  # the plain-language topics
    assert "Надіслати звернення" not in html


@pytest.mark.django_db
def test_appeal_form_explains_a_missing_surname_in_english(
    client: Client, settings: SettingsWrapper
) -> None:
    from hromada.appeals.public_forms import form_token
    from hromada.appeals.tests.conftest import ensure_classifiers
    from hromada.control.factories import make_org

    settings.HROMADA_APPEALS_MIN_FILL_SECONDS = 0
    ensure_classifiers()
    make_org()
    _switch(client, "en")
    response = client.post(
        "/appeals/new/",
        {"surname": "", "given_name": "Olena", "text": "Street light", "started": form_token()},
    )
    assert response.status_code == 400
    assert "Enter your surname." in response.content.decode()
