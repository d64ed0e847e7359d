"""The session engine (hromada.accounts.sessions): database sessions, precompiled read.

Logging out, changing the password and the idle timeout must end a session for every
copy of its cookie, as with Django's database sessions.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from hromada.accounts.factories import staff_with_role
from hromada.accounts.models import UserSession as Session
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


def test_the_session_row_names_its_signed_in_user(client: Client):
    user = staff_with_role(Role.EDITOR)
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(pk=key).user_id == user.pk


def test_the_session_and_its_user_are_read_in_one_query(client: Client, django_assert_num_queries):
    from hromada.accounts.backends import EmailBackend

    user = staff_with_role(Role.EDITOR)
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    with django_assert_num_queries(1):
        store = SessionStore(key)
        user_id = store["_auth_user_id"]
        loaded = EmailBackend().get_user(user_id)
    assert loaded is not None
    assert loaded.pk == user.pk
    assert loaded.email == user.email
    assert loaded.last_login is not None  # typed values, as the ORM loads them


def test_a_deactivated_user_is_signed_out_on_the_next_request(client: Client):
    user = staff_with_role(Role.EDITOR)
    client.force_login(user)
    assert client.get("/cabinet/").status_code == 200

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert client.get("/cabinet/").status_code == 302


def test_the_user_read_with_a_session_is_not_kept_after_the_request(client: Client):
    from hromada.accounts.sessions import user_loaded_with_session

    user = staff_with_role(Role.EDITOR)
    client.force_login(user)
    assert client.get("/cabinet/").status_code == 200
    assert user_loaded_with_session(user.pk) is None
