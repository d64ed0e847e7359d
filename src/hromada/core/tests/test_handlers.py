"""The WSGI application: token API calls take the short middleware stack, all else the full one.

Django's test client builds its own handler from settings.MIDDLEWARE, so these tests call
hromada's WSGI application itself, as gunicorn does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory
from rest_framework.authtoken.models import Token

from hromada.appeals.models import Appeal
from hromada.control.factories import make_org
from hromada.core.handlers import Application, is_token_api_call
from hromada.core.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/appeals/"


@pytest.fixture
def app() -> Iterator[Application]:
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield Application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(app: Application, method: str, path: str, body: Any = None, **headers: Any) -> Any:
    """Serve one request through the WSGI application; return (status, headers, body)."""
    factory = RequestFactory()
    data = json.dumps(body) if body is not None else ""
    request = factory.generic(method, path, data=data, content_type="application/json", **headers)
    environ = dict(request.environ, REMOTE_ADDR="203.0.113.9")
    started: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
        started["status"] = int(status.split()[0])
        started["headers"] = response_headers

    content = b"".join(app(environ, start_response))
    return started["status"], started["headers"], content


def session_cookie(client: Client, user: Any) -> str:
    """Sign a user in (second factor set up, so MFA lets them by); return the Cookie header."""
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def header_names(headers: list[tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in headers:
        found.setdefault(name.lower(), []).append(value)
    return found


def payload(code: str) -> dict[str, Any]:
    return {
        "body": code,
        "channel": "hotline",
        "surname": "Мельник",
        "given_name": "Петро",
        "address": "вул. Центральна, 5",
        "phone": "+380 50 765 43 21",
        "text": "Третій день немає холодної води в будинку.",
        "topics": ["109"],
    }


@pytest.mark.parametrize(
    ("path", "authorization", "expected"),
    [
        ("/api/v1/appeals/", "Token abc123", True),
        ("/api/v1/appeals/", "token abc123", True),
        ("/api/schema/", "Token abc123", True),
        ("/api/v1/appeals/", "", False),
        ("/api/v1/appeals/", "Token ", False),
        ("/api/v1/appeals/", "Bearer abc123", False),
        ("/appeals/new/", "Token abc123", False),
        ("/apiary/", "Token abc123", False),
    ],
)
def test_only_api_calls_with_a_token_take_the_short_stack(
    path: str, authorization: str, expected: bool
) -> None:
    environ = {"PATH_INFO": path, "HTTP_AUTHORIZATION": authorization}
    assert is_token_api_call(environ) is expected


def test_the_short_stack_keeps_the_security_middleware_and_drops_the_session() -> None:
    stack = settings.API_TOKEN_MIDDLEWARE
    assert stack[0] == "django.middleware.security.SecurityMiddleware"
    assert "hromada.core.middleware.RequestContextMiddleware" in stack
    assert "django.middleware.clickjacking.XFrameOptionsMiddleware" in stack
    assert not any("session" in m.lower() or "csrf" in m.lower() for m in stack)
    assert set(stack) <= set(settings.MIDDLEWARE)


def test_a_token_call_registers_an_appeal_with_the_usual_headers_and_audit(
    app: Application,
) -> None:
    org = make_org()
    token = Token.objects.create(user=org.operator)
    status, headers, content = call(
        app, "POST", URL, payload(org.d.code), HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert status == 201, content
    assert json.loads(content)["appeal"]["reg_index"] == "1"
    found = header_names(headers)
    assert found["x-content-type-options"] == ["nosniff"]
    assert found["x-frame-options"] == ["DENY"]
    assert found["content-language"] == ["uk"]
    assert len(found["x-request-id"][0]) == 32
    assert "set-cookie" not in found  # no session, no CSRF cookie
    appeal = Appeal.objects.get()
    event = AuditEvent.objects.get(action="appeals.appeal.registered", object_id=str(appeal.pk))
    # The request context (RequestContextMiddleware) reached the audit trail.
    assert (event.actor_id, event.ip) == (org.operator.pk, "203.0.113.9")


def test_an_unknown_token_is_refused_even_with_a_signed_in_session(
    app: Application, client: Client
) -> None:
    org = make_org()
    session = session_cookie(client, org.operator)
    status, _headers, content = call(
        app,
        "POST",
        URL,
        payload(org.d.code),
        HTTP_AUTHORIZATION="Token not-a-token",
        HTTP_COOKIE=session,
    )
    assert status == 401, content
    assert Appeal.objects.count() == 0


def test_a_browser_call_with_a_session_goes_through_the_full_stack(
    app: Application, client: Client
) -> None:
    org = make_org()
    session = session_cookie(client, org.operator)
    status, _headers, content = call(app, "GET", URL, HTTP_COOKIE=session)
    assert status == 200, content
    status, _headers, _content = call(app, "GET", URL)
    assert status in (401, 403)


def test_an_unknown_api_url_with_a_token_answers_404(app: Application) -> None:
    org = make_org()
    token = Token.objects.create(user=org.operator)
    status, _headers, _content = call(
        app, "GET", "/api/v1/no-such-thing/", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert status == 404
