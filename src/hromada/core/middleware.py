"""Request context for the audit trail and logs."""

from __future__ import annotations

import contextvars
import ipaddress
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.functional import SimpleLazyObject


@dataclass(frozen=True)
class RequestContext:
    """Where a request came from: recorded with audit events and log lines."""

    request_id: str
    ip: str | None
    user_agent: str


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "hromada_request", default=None
)


def current_request_context() -> RequestContext | None:
    """Return the context of the request being handled, if any."""
    return _current.get()


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address.

    Behind N trusted reverse proxies (TRUSTED_PROXY_COUNT), the client is the N-th
    address from the right of X-Forwarded-For: entries further left are client-supplied
    and could be forged. Without proxies, REMOTE_ADDR.
    """
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [
            a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",") if a.strip()
        ]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Remember the client's address and browser for the duration of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ctx = RequestContext(
            request_id=request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex,
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", "")[:512],
        )
        token = _current.set(ctx)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = ctx.request_id
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Speak Ukrainian unless the visitor chose English (the switch, or their profile).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a kiosk or
    a clerk's browser set to English would show an English site; hromada's interface
    language is Ukrainian and English is opt-in (the language cookie the switch sets).
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        user = getattr(request, "user", None)
        if isinstance(user, SimpleLazyObject):
            # Every request reads its user here or in the next middleware (the language,
            # the idle timeout), so it is read now, and from here on request.user is the user
            # itself rather than Django's lazy wrapper, whose every attribute access (about
            # a hundred on a staff page) is a proxy call.
            from django.contrib.auth.middleware import get_user  # not before apps load

            request.user = user = get_user(request)
        if not chosen and user is not None and user.is_authenticated:
            # A signed-in person without a choice on this browser: their profile's language.
            chosen = getattr(user, "preferred_language", "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else ""
        except LookupError:
            language = ""
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
