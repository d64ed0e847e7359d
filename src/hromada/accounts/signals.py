"""Record authentication events in the audit trail.

Logging in and out happen inside Django and allauth, not in our services, so
their signals are the one place to observe them. The receivers only record;
they never decide anything. Passwords never reach the trail: of the login
credentials only the e-mail that was tried is kept.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.http import HttpRequest

from hromada.accounts.adapter import LOGGED_IN_AT_KEY
from hromada.accounts.middleware import LAST_SEEN_KEY, LOGOUT_REASON_ATTR
from hromada.core.audit import audit_record

_MAX_EMAIL = 254


def attempted_email(credentials: dict[str, Any]) -> str:
    """Return the e-mail a login attempt used; never any other credential."""
    for key in ("email", "username", "login"):
        value = credentials.get(key)
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()[:_MAX_EMAIL]
    return ""


def _find_user(email: str) -> Any:
    from hromada.accounts.models import User

    if not email:
        return None
    return User.objects.filter(email__iexact=email).first()


def record_login_attempt(*, action: str, email: str) -> None:
    """Record a refused login against the account it named (if there is one)."""
    user = _find_user(email)
    audit_record(
        actor=None,
        action=action,
        object_type="accounts.user",
        object_id=str(user.pk) if user is not None else "",
        object_repr=email,
        data={"email": email},
    )


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        # A fresh session starts its idle clock now.
        now = int(time.time())
        request.session[LAST_SEEN_KEY] = now
        request.session[LOGGED_IN_AT_KEY] = now
    audit_record(actor=user, action="auth.login", target=user)


def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    reason = getattr(request, LOGOUT_REASON_ATTR, "user") if request is not None else "user"
    audit_record(actor=user, action="auth.logout", target=user, data={"reason": reason})


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    record_login_attempt(action="auth.login_failed", email=attempted_email(credentials))


def on_signed_up(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="auth.signed_up", target=user)


def _on_user_event(action: str) -> Any:
    def receiver(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        audit_record(actor=user, action=action, target=user)

    receiver.__name__ = f"on_{action.replace('.', '_')}"
    return receiver


on_password_changed = _on_user_event("auth.password_changed")
on_password_set = _on_user_event("auth.password_set")
on_password_reset = _on_user_event("auth.password_reset")


def on_email_confirmed(
    sender: Any, request: HttpRequest, email_address: Any, **kwargs: Any
) -> None:
    user = email_address.user
    audit_record(
        actor=user if request is not None and request.user.is_authenticated else None,
        action="auth.email_confirmed",
        target=user,
        data={"email": email_address.email},
    )


def on_email_added(
    sender: Any, request: HttpRequest, user: Any, email_address: Any, **kwargs: Any
) -> None:
    audit_record(
        actor=user, action="auth.email_added", target=user, data={"email": email_address.email}
    )


def on_email_removed(
    sender: Any, request: HttpRequest, user: Any, email_address: Any, **kwargs: Any
) -> None:
    audit_record(
        actor=user, action="auth.email_removed", target=user, data={"email": email_address.email}
    )


def on_email_changed(
    sender: Any,
    request: HttpRequest,
    user: Any,
    from_email_address: Any,
    to_email_address: Any,
    **kwargs: Any,
) -> None:
    audit_record(
        actor=user,
        action="auth.email_changed",
        target=user,
        data={
            "from": getattr(from_email_address, "email", ""),
            "to": getattr(to_email_address, "email", ""),
        },
    )


def _authenticator_action(authenticator: Any, verb: str) -> str:
    kind = getattr(authenticator, "type", "")
    if kind == "recovery_codes":
        return {
            "added": "auth.recovery_codes_generated",
            "removed": "auth.recovery_codes_removed",
            "reset": "auth.recovery_codes_generated",
        }[verb]
    return {
        "added": "auth.mfa_activated",
        "removed": "auth.mfa_deactivated",
        "reset": "auth.mfa_reset",
    }[verb]


def _on_authenticator(verb: str) -> Any:
    def receiver(
        sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
    ) -> None:
        audit_record(
            actor=user,
            action=_authenticator_action(authenticator, verb),
            target=user,
            data={"type": str(getattr(authenticator, "type", ""))},
        )
        if verb == "removed" and request is not None and hasattr(request, "session"):
            # The enforcement middleware checks this session again from the next request.
            from hromada.accounts.middleware import MFA_OK_SESSION_KEY

            request.session.pop(MFA_OK_SESSION_KEY, None)

    receiver.__name__ = f"on_authenticator_{verb}"
    return receiver


on_authenticator_added = _on_authenticator("added")
on_authenticator_removed = _on_authenticator("removed")
on_authenticator_reset = _on_authenticator("reset")


def on_mfa_failed(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    audit_record(
        actor=None,
        action="auth.mfa_failed",
        target=user,
        data={"reauthentication": bool(kwargs.get("reauthentication", False))},
    )


def on_recovery_code_used(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    if getattr(authenticator, "type", "") == "recovery_codes":
        audit_record(actor=None, action="auth.recovery_code_used", target=user)


_CONNECTIONS: list[tuple[Any, Any]] = [
    (auth_signals.user_logged_in, on_logged_in),
    (auth_signals.user_logged_out, on_logged_out),
    (auth_signals.user_login_failed, on_login_failed),
    (account_signals.user_signed_up, on_signed_up),
    (account_signals.password_changed, on_password_changed),
    (account_signals.password_set, on_password_set),
    (account_signals.password_reset, on_password_reset),
    (account_signals.email_confirmed, on_email_confirmed),
    (account_signals.email_added, on_email_added),
    (account_signals.email_removed, on_email_removed),
    (account_signals.email_changed, on_email_changed),
    (mfa_signals.authenticator_added, on_authenticator_added),
    (mfa_signals.authenticator_removed, on_authenticator_removed),
    (mfa_signals.authenticator_reset, on_authenticator_reset),
    (mfa_signals.authentication_failed, on_mfa_failed),
    (mfa_signals.authenticator_used, on_recovery_code_used),
]


def connect() -> None:
    """Connect the receivers (from AccountsConfig.ready; idempotent)."""
    for signal, receiver in _CONNECTIONS:
        signal.connect(receiver, dispatch_uid=f"hromada.audit.{receiver.__name__}")
