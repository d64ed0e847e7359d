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


def test_a_payload_decoded_again_is_a_fresh_copy():
    store = SessionStore()
    payload = store.encode({"steps": [1], "who": {"id": 5}})
    first = store.decode(payload)
    first["steps"].append(2)
    first["who"]["id"] = 6

    assert store.decode(payload) == {"steps": [1], "who": {"id": 5}}


def test_a_tampered_payload_reads_as_empty_even_after_the_genuine_one():
    store = SessionStore()
    payload = store.encode({"_auth_user_id": "5"})
    assert store.decode(payload) == {"_auth_user_id": "5"}
    _value, _sep, signature = payload.rpartition(":")
    forged_value = store.encode({"_auth_user_id": "1"}).rpartition(":")[0]

    assert store.decode(f"{forged_value}:{signature}") == {}
    assert store.decode(payload[:-1] + ("A" if payload[-1] != "A" else "B")) == {}


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


def test_a_signed_in_request_reads_session_user_and_grants_in_one_query(
    client: Client, django_assert_num_queries
):
    from hromada.accounts.permissions import Grant, grants_of

    user = staff_with_role(Role.EDITOR)
    client.force_login(user)
    request = client.get("/cabinet/").wsgi_request  # warm up
    with django_assert_num_queries(1):
        request = client.get("/cabinet/").wsgi_request
        grants = grants_of(request.user)  # read with the session: no query of its own
    assert request.user.pk == user.pk
    assert [g.role for g in grants] == [Role.EDITOR]
    assert all(isinstance(g, Grant) for g in grants)


def test_the_grants_read_with_the_session_are_those_of_the_permission_rules(client: Client):
    from datetime import timedelta

    from hromada.accounts.models import Substitution
    from hromada.accounts.permissions import forget_grants, grants_of

    user = staff_with_role(Role.EXECUTOR)
    absent = staff_with_role(Role.CONTROLLER)
    today = timezone.localdate()
    Substitution.objects.create(absent=absent, substitute=user, start=today, end=today)
    Substitution.objects.create(
        absent=staff_with_role(Role.ADMIN),
        substitute=user,
        start=today - timedelta(days=5),
        end=today - timedelta(days=1),
    )
    client.force_login(user)
    request_user = client.get("/cabinet/").wsgi_request.user
    with_session = sorted(grants_of(request_user), key=lambda g: g.role)
    forget_grants(request_user)
    assert with_session == sorted(grants_of(request_user), key=lambda g: g.role)
    assert {g.role for g in with_session} == {Role.EXECUTOR, Role.CONTROLLER}


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
