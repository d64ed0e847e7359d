"""django-allauth adapter: hromada's user fields and the audit trail."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

# When the user last logged in fully (set by accounts.signals on user_logged_in).
LOGGED_IN_AT_KEY = "_hromada_logged_in_at"


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Citizens sign up themselves; staff accounts are created by administrators."""

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        data = form.cleaned_data
        user.surname = data.get("surname", "")
        user.given_name = data.get("given_name", "")
        user.patronymic = data.get("patronymic", "")
        user.phone = data.get("phone", "")
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # after_login sends staff to their workspace and everyone else to the cabinet.
        return reverse("after_login")

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Refuse a login over the failed-attempts limit, and record the refusal."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            from hromada.accounts.signals import attempted_email, record_login_attempt

            record_login_attempt(action="auth.login_blocked", email=attempted_email(credentials))
            raise

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Ask for the password again, unless the user logged in within the last few minutes.

        Staff who must set up TOTP are sent there straight from the login form; asking
        for the password they typed a moment ago would only be in the way.
        """
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = self.request or context.request
        session = getattr(request, "session", None)
        if session is None:
            return True
        logged_in_at = session.get(LOGGED_IN_AT_KEY)
        if not isinstance(logged_in_at, (int, float)):
            return True
        return bool(time.time() - logged_in_at >= account_settings.REAUTHENTICATION_TIMEOUT)
