"""Session idle timeout and enforced second factor for staff with personal-data access."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _

from hromada.accounts.permissions import needs_second_factor

LAST_SEEN_KEY = "_hromada_touched"
# Why a logout happened, for the audit trail (read by accounts.signals).
LOGOUT_REASON_ATTR = "hromada_logout_reason"
# Record activity at most once a minute: an idle timeout without a session write per request.
_TOUCH_EVERY = 60


def idle_timeout_seconds() -> int:
    """Return how long a session may stay unused before it ends."""
    return int(settings.SESSION_IDLE_TIMEOUT_MINUTES) * 60


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class IdleSessionMiddleware:
    """End a session after SESSION_IDLE_TIMEOUT minutes without requests.

    The session store also expires rows after SESSION_COOKIE_AGE (the same timeout,
    renewed on each activity write); this check holds even where the store does not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            last_seen = session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > idle_timeout_seconds():
                return self._expire(request)
            if last_seen is None or now - int(last_seen) >= _TOUCH_EVERY:
                # Writing the session renews its expiry in the store and in the cookie.
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)

    def _expire(self, request: HttpRequest) -> HttpResponse:
        setattr(request, LOGOUT_REASON_ATTR, "idle")
        logout(request)
        message = _("Ви не працювали %(minutes)s хв, тому сеанс завершено. Увійдіть знову.") % {
            "minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES
        }
        if _wants_json(request):
            return JsonResponse({"detail": message}, status=401)
        login_url = resolve_url(settings.LOGIN_URL)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login_url
        elif request.method in ("GET", "HEAD"):
            response = redirect_to_login(request.get_full_path(), login_url)
        else:
            response = redirect(login_url)
        # MessageMiddleware runs after this one, so the notice is stored here.
        storage = default_storage(request)
        storage.add(messages.WARNING, message)
        storage.update(response)
        return response


MFA_OK_SESSION_KEY = "_hromada_mfa_ok"

# Paths a user without TOTP may still open: setting it up, logging out, static files.
_MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz")


def _has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


def must_use_totp(user: object) -> bool:
    """Return whether the user must have TOTP: personal-data staff and system superusers."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_staff", False):
        return False
    return bool(getattr(user, "is_superuser", False) or needs_second_factor(user))


class EnforceMfaMiddleware:
    """Send staff with access to personal data to set up TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.HROMADA_MFA_ENFORCED
            and user.is_authenticated
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
            # Once a session's user is known to have TOTP the checks are skipped: they
            # cost queries on every page. Removing TOTP goes through /accounts/ (exempt),
            # where accounts.signals drops the mark.
            and request.session.get(MFA_OK_SESSION_KEY) != user.pk
            and must_use_totp(user)
        ):
            if _has_totp(user):
                request.session[MFA_OK_SESSION_KEY] = user.pk
                return self.get_response(request)
            message = _("Потрібна двофакторна автентифікація: увімкніть застосунок-автентифікатор.")
            if _wants_json(request):
                return JsonResponse({"detail": message}, status=403)
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = resolve_url("mfa_activate_totp")
                return response
            return redirect("mfa_activate_totp")
        return self.get_response(request)
