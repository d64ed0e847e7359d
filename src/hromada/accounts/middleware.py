"""Session idle timeout and enforced second factor for staff with personal-data access."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from hromada.accounts.permissions import needs_second_factor

_TOUCH_KEY = "_hromada_touched"
# Refresh the session's expiry at most once a minute: an idle timeout, without
# a database write on every request.
_TOUCH_EVERY = 60


class IdleSessionMiddleware:
    """Expire a session after SESSION_IDLE_TIMEOUT minutes without requests."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.session_key is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - int(session.get(_TOUCH_KEY, 0)) >= _TOUCH_EVERY:
                session[_TOUCH_KEY] = now
                session.set_expiry(settings.SESSION_IDLE_TIMEOUT_MINUTES * 60)
        return self.get_response(request)


# Paths a user without TOTP may still open: setting it up, logging out, static files.
_MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/api/")


def _has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


class EnforceMfaMiddleware:
    """Send staff with access to personal data to set up TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.HROMADA_MFA_ENFORCED
            and user.is_authenticated
            and user.is_staff
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
            and needs_second_factor(user)
            and not _has_totp(user)
        ):
            if request.headers.get("HX-Request") or request.path.startswith("/api/"):
                return JsonResponse({"detail": "Потрібна двофакторна автентифікація."}, status=403)
            return redirect("mfa_activate_totp")
        return self.get_response(request)
