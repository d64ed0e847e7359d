"""The session engine (hromada.accounts.sessions): database sessions, precompiled read.

Logging out, changing the password and the idle timeout must end a session for every
copy of its cookie, as with Django's database sessions.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from hromada.accounts.factories import staff_with_role
from hromada.accounts.roles import Role
from hromada.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def test_the_configured_engine_is_hromadas():
    assert settings.SESSION_ENGINE == "hromada.accounts.sessions"


def test_a_saved_session_reads_back():
    store = SessionStore()
    store["answer"] = 42
    store.create()

    assert SessionStore(store.session_key)["answer"] == 42


def test_an_expired_session_reads_as_empty_and_loses_its_key():
    store = SessionStore()
    store["answer"] = 42
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    again = SessionStore(store.session_key)
    assert again.get("answer") is None
    assert again.session_key is None


def test_an_unknown_key_reads_as_empty():
    assert SessionStore("no-such-session-key-123").get("answer") is None


def _signed_in_copy(client: Client, user) -> Client:
    """Log in with `client` and return a second client holding a copy of its cookie."""
    client.force_login(user)
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert copy.get("/after-login/").status_code == 302
    assert copy.get("/cabinet/").status_code == 200
    return copy


def test_logging_out_ends_the_session_for_a_copied_cookie_too(client: Client):
    user = staff_with_role(Role.EDITOR)
    copy = _signed_in_copy(client, user)

    client.post("/accounts/logout/")

    assert copy.get("/cabinet/").status_code == 302  # to the login page


def test_a_password_change_elsewhere_ends_the_session(client: Client):
    user = staff_with_role(Role.EDITOR)
    copy = _signed_in_copy(client, user)

    user.set_password("Інше-Гасло-2026")
    user.save()

    assert copy.get("/cabinet/").status_code == 302
