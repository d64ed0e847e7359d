"""hromada's WSGI application: Django's handler, and a shorter one for token API calls.

A call to the API with ``Authorization: Token …`` is authenticated by that token alone
(DRF's TokenAuthentication comes first and, given the header, either authenticates or
refuses; it never falls back to the session). Such a call uses no session, CSRF cookie,
messages, allauth state, HTMX or CMS groups, so the middleware for pages (sessions, the
idle timeout, MFA enforcement for signed-in staff…) only costs it time: ≈ 0.2–0.4 ms of
the ≈ 4 ms an appeal's registration takes (docs/BENCHMARKS.md). These calls go through
``settings.API_TOKEN_MIDDLEWARE`` instead; every other request, and every API call made
from a signed-in browser, goes through ``settings.MIDDLEWARE`` as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

StartResponse = Callable[..., Any]

# The prefix of the API's URLs (config/urls.py) and DRF's token keyword (case-insensitive,
# as DRF's TokenAuthentication reads it).
API_PREFIX = "/api/"
AUTH_SCHEME = "token"


class _TokenApiHandler(WSGIHandler):
    """Django's WSGI handler built with ``settings.API_TOKEN_MIDDLEWARE``."""

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler.load_middleware reads settings.MIDDLEWARE; it is swapped only while
        # this handler is built (once, at start-up, before any request is served).
        pages = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.API_TOKEN_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = pages


def is_token_api_call(environ: dict[str, Any]) -> bool:
    """Return whether a request is an API call carrying a token (``Authorization: Token …``)."""
    if not environ.get("PATH_INFO", "").startswith(API_PREFIX):
        return False
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    keyword, _, credentials = authorization.partition(" ")
    return keyword.lower() == AUTH_SCHEME and bool(credentials.strip())


class Application:
    """Route each request to the pages' handler or the token API's handler."""

    def __init__(self) -> None:
        self.pages = WSGIHandler()
        self.token_api = _TokenApiHandler()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        handler = self.token_api if is_token_api_call(environ) else self.pages
        return handler(environ, start_response)
