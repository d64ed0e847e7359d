"""Tests of logging in and its security: MFA, rate limits, idle sessions, reset, sign-up, audit."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache

from hromada.accounts.adapter import LOGGED_IN_AT_KEY
from hromada.accounts.factories import OrgUnitFactory, UserFactory, staff_with_role
from hromada.accounts.middleware import LAST_SEEN_KEY
from hromada.accounts.models import User
from hromada.accounts.roles import Role
from hromada.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOGIN = "/accounts/login/"
ACTIVATE_TOTP = "/accounts/2fa/totp/activate/"
MFA_AUTHENTICATE = "/accounts/2fa/authenticate/"


def verified(user: User) -> User:
    """Mark the user's e-mail as verified, as after following the confirmation link."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def staff(role: str, **kwargs: Any) -> User:
    return verified(staff_with_role(role, unit=OrgUnitFactory(), password=PASSWORD, **kwargs))


def log_in(client: Any, email: str, password: str = PASSWORD) -> Any:
    return client.post(LOGIN, {"login": email, "password": password})


def is_logged_in(client: Any) -> bool:
    return SESSION_KEY in client.session


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def current_code(secret: str) -> str:
    """Return the TOTP code of now, waiting out the last 2 s of a period first.

    allauth accepts only the current period's code; one read just before the period ends
    may reach the server after it (a slow machine), and the test would fail by chance.
    """
    if 30 - time.time() % 30 < 2:
        time.sleep(2.1)
    return pyotp.TOTP(secret).now()


def activate_totp(client: Any) -> str:
    """Walk through TOTP activation as the logged-in user; return the secret."""
    page = client.get(ACTIVATE_TOTP)
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(ACTIVATE_TOTP, {"code": current_code(secret)})
    assert response.status_code == 302, response.context["form"].errors
    return secret


def fresh_totp_code(secret: str) -> str:
    # allauth refuses a code twice within its period; forget the codes seen so far,
    # as if the next period had begun (the cache is where allauth remembers them).
    cache.clear()
    return current_code(secret)


def failed_login_limit() -> int:
    """Return N of the 'N failed logins per period' rule in the settings."""
    rule = settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")[0]
    return int(rule.split("/")[0])


# --- audit of logging in and out ----------------------------------------------------------


def test_successful_login_is_audited(client):
    user = staff(Role.EDITOR)
    log_in(client, user.email)
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor_id == user.pk


def test_failed_login_records_the_email_and_never_the_password(client):
    user = staff(Role.EDITOR)
    log_in(client, user.email, "Wrong-Secret-123")
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.data == {"email": user.email}
    assert event.object_id == str(user.pk)
    assert event.actor_id is None
    row = str(AuditEvent.objects.filter(pk=event.pk).values().get())
    assert "Wrong-Secret-123" not in row


def test_failed_login_for_an_unknown_address_names_no_account(client):
    log_in(client, "nobody@example.org", "whatever-123")
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.object_id == ""
    assert event.object_repr == "nobody@example.org"


def test_logout_is_audited(client):
    user = staff(Role.EDITOR)
    log_in(client, user.email)
    client.post("/accounts/logout/")
    event = AuditEvent.objects.get(action="auth.logout")
    assert event.actor_id == user.pk
    assert event.data == {"reason": "user"}


def test_password_change_is_audited(client):
    user = staff(Role.EDITOR)
    log_in(client, user.email)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "Нова-Гасло-2025", "password2": "Нова-Гасло-2025"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="auth.password_changed").actor_id == user.pk


# --- MFA enforcement -------------------------------------------------------------------------


def test_operator_without_totp_is_sent_to_totp_activation_after_login(client):
    operator = staff(Role.OPERATOR)
    response = log_in(client, operator.email)
    assert is_logged_in(client)
    landing = client.get(response["Location"])
    assert landing.status_code == 302
    assert landing["Location"] == ACTIVATE_TOTP


def test_operator_without_totp_cannot_open_the_staff_workspace(client):
    log_in(client, staff(Role.OPERATOR).email)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE_TOTP


def test_operator_without_totp_gets_403_from_the_api(client):
    log_in(client, staff(Role.OPERATOR).email)
    response = client.get("/api/v1/")
    assert response.status_code == 403
    assert "двофакторна" in response.json()["detail"]


def test_htmx_request_without_totp_is_redirected_by_header(client):
    log_in(client, staff(Role.OPERATOR).email)
    response = client.get("/staff/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == ACTIVATE_TOTP


def test_activation_page_shows_qr_code_and_secret(client):
    log_in(client, staff(Role.OPERATOR).email)
    response = client.get(ACTIVATE_TOTP)
    html = response.content.decode()
    secret = response.context["form"].secret
    assert 'src="data:image/svg+xml;base64,' in html
    assert f'value="{secret}"' in html
    assert 'for="id_code"' in html


def test_operator_can_open_the_workspace_once_totp_is_active(client):
    log_in(client, staff(Role.OPERATOR).email)
    activate_totp(client)
    assert client.get("/staff/").status_code == 200


def test_totp_setup_right_after_login_does_not_ask_for_the_password_again(client):
    log_in(client, staff(Role.OPERATOR).email)
    assert client.get(ACTIVATE_TOTP).status_code == 200


def test_totp_setup_long_after_login_asks_for_the_password_again(client):
    log_in(client, staff(Role.OPERATOR).email)
    session = client.session
    session[LOGGED_IN_AT_KEY] = int(time.time()) - 3600
    session.save()
    response = client.get(ACTIVATE_TOTP)
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_activation_with_a_wrong_code_is_refused(client):
    operator = staff(Role.OPERATOR)
    log_in(client, operator.email)
    client.get(ACTIVATE_TOTP)
    response = client.post(ACTIVATE_TOTP, {"code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert "govuk-error-summary" in response.content.decode()
    assert not Authenticator.objects.filter(user=operator, type="totp").exists()


def test_activation_creates_recovery_codes_and_shows_them(client):
    operator = staff(Role.OPERATOR)
    log_in(client, operator.email)
    page = client.get(ACTIVATE_TOTP)
    response = client.post(ACTIVATE_TOTP, {"code": pyotp.TOTP(page.context["form"].secret).now()})
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    codes_page = client.get(response["Location"])
    assert len(codes_page.context["unused_codes"]) > 0
    assert codes_page.context["unused_codes"][0] in codes_page.content.decode()


def test_activation_and_deactivation_are_audited(client, django_capture_on_commit_callbacks):
    operator = staff(Role.OPERATOR)
    log_in(client, operator.email)
    with django_capture_on_commit_callbacks(execute=True):
        activate_totp(client)
    assert "auth.mfa_activated" in actions()
    client.post("/accounts/2fa/totp/deactivate/")
    assert "auth.mfa_deactivated" in actions()


def _operator_with_totp(client: Any) -> tuple[User, str]:
    operator = staff(Role.OPERATOR)
    log_in(client, operator.email)
    secret = activate_totp(client)
    client.post("/accounts/logout/")
    return operator, secret


def test_after_activation_login_asks_for_the_code(client):
    operator, _ = _operator_with_totp(client)
    response = log_in(client, operator.email)
    assert response["Location"] == MFA_AUTHENTICATE
    assert not is_logged_in(client)
    assert client.get("/staff/").status_code == 302


def test_login_with_password_and_correct_totp_code_succeeds(client):
    operator, secret = _operator_with_totp(client)
    log_in(client, operator.email)
    response = client.post(MFA_AUTHENTICATE, {"code": fresh_totp_code(secret)})
    assert response.status_code == 302
    assert is_logged_in(client)
    assert client.get("/staff/").status_code == 200


def test_login_with_a_wrong_totp_code_fails(client):
    operator, secret = _operator_with_totp(client)
    log_in(client, operator.email)
    right = pyotp.TOTP(secret).now()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(MFA_AUTHENTICATE, {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not is_logged_in(client)
    assert "auth.mfa_failed" in actions()


def test_a_totp_code_cannot_be_used_twice(client):
    operator, secret = _operator_with_totp(client)
    code = fresh_totp_code(secret)
    log_in(client, operator.email)
    client.post(MFA_AUTHENTICATE, {"code": code})
    client.post("/accounts/logout/")
    log_in(client, operator.email)
    response = client.post(MFA_AUTHENTICATE, {"code": code})
    assert not is_logged_in(client)
    assert response.context["form"].errors["code"]


def test_each_recovery_code_works_exactly_once(client):
    operator, _ = _operator_with_totp(client)
    codes = RecoveryCodes(Authenticator.objects.get(user=operator, type="recovery_codes"))
    first, second = codes.get_unused_codes()[:2]

    log_in(client, operator.email)
    client.post(MFA_AUTHENTICATE, {"code": first})
    assert is_logged_in(client)
    client.post("/accounts/logout/")

    log_in(client, operator.email)
    response = client.post(MFA_AUTHENTICATE, {"code": first})
    assert not is_logged_in(client)
    assert response.context["form"].errors["code"]

    client.post(MFA_AUTHENTICATE, {"code": second})
    assert is_logged_in(client)
    assert actions().count("auth.recovery_code_used") == 2


@pytest.mark.parametrize("role", [Role.EDITOR, Role.COORDINATOR])
def test_staff_without_personal_data_roles_are_not_forced_to_use_totp(client, role):
    user = staff(role)
    response = log_in(client, user.email)
    assert is_logged_in(client)
    assert client.get(response["Location"], follow=True).redirect_chain[-1][0] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_a_system_superuser_must_use_totp(client):
    admin = verified(UserFactory(is_staff=True, is_superuser=True, password=PASSWORD))
    log_in(client, admin.email)
    response = client.get("/admin/")
    assert response["Location"] == ACTIVATE_TOTP


def test_citizen_is_not_asked_for_totp(client):
    citizen = verified(UserFactory(password=PASSWORD))
    log_in(client, citizen.email)
    assert client.get("/cabinet/").status_code == 200


# --- rate limit ----------------------------------------------------------------------------


def test_login_is_refused_after_too_many_failures_even_with_the_right_password(client):
    user = staff(Role.EDITOR)
    for _ in range(failed_login_limit()):
        log_in(client, user.email, "wrong-password-1")
    response = log_in(client, user.email)
    assert response.status_code == 200
    assert not is_logged_in(client)
    assert "Занадто багато невдалих спроб входу" in response.content.decode()


def test_refused_login_is_audited(client):
    user = staff(Role.EDITOR)
    for _ in range(failed_login_limit() + 1):
        log_in(client, user.email, "wrong-password-1")
    event = AuditEvent.objects.get(action="auth.login_blocked")
    assert event.data == {"email": user.email}


def test_failures_below_the_limit_do_not_block(client):
    user = staff(Role.EDITOR)
    for _ in range(failed_login_limit() - 1):
        log_in(client, user.email, "wrong-password-1")
    log_in(client, user.email)
    assert is_logged_in(client)


# --- password hashing ----------------------------------------------------------------------


def test_passwords_are_stored_as_argon2_hashes(client, settings):
    from hromada.config import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    client.post(
        "/accounts/signup/",
        {
            "surname": "Шевченко",
            "given_name": "Тарас",
            "email": "taras@example.org",
            "password1": "Кобзар-1814-рік",
            "password2": "Кобзар-1814-рік",
        },
    )
    user = User.objects.get(email="taras@example.org")
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("Кобзар-1814-рік")


# --- idle sessions -------------------------------------------------------------------------


def _age_session(client: Any, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def test_session_idle_longer_than_the_timeout_is_logged_out(client, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    log_in(client, staff(Role.EDITOR).email)
    assert client.get("/staff/").status_code == 200
    _age_session(client, 30 * 60 + 1)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=/staff/")
    assert not is_logged_in(client)
    assert AuditEvent.objects.filter(action="auth.logout").get().data == {"reason": "idle"}


def test_idle_logout_explains_itself_on_the_login_page(client, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    log_in(client, staff(Role.EDITOR).email)
    _age_session(client, 31 * 60)
    response = client.get("/staff/", follow=True)
    assert "сеанс завершено" in response.content.decode()


def test_session_used_within_the_timeout_stays_open(client, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    log_in(client, staff(Role.EDITOR).email)
    _age_session(client, 29 * 60)
    assert client.get("/staff/").status_code == 200
    assert is_logged_in(client)


def test_activity_renews_the_idle_clock(client, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    log_in(client, staff(Role.EDITOR).email)
    _age_session(client, 29 * 60)
    client.get("/staff/")
    assert int(time.time()) - client.session[LAST_SEEN_KEY] < 5


def test_idle_api_call_gets_401(client, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    log_in(client, staff(Role.EDITOR).email)
    _age_session(client, 31 * 60)
    assert client.get("/api/v1/").status_code == 401


# --- password reset by e-mail ------------------------------------------------------------


def _link(message: Any) -> str:
    match = re.search(r"http://testserver(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_by_email_end_to_end(client):
    user = staff(Role.EDITOR)
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response["Location"] == "/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert mail.outbox[0].subject == "[hromada] Відновлення пароля"

    form_page = client.get(_link(mail.outbox[0]), follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"password1": "Зовсім-Новий-2025", "password2": "Зовсім-Новий-2025"}
    )
    assert done.status_code == 302

    assert not is_logged_in(client)
    log_in(client, user.email, "Зовсім-Новий-2025")
    assert is_logged_in(client)
    assert "auth.password_reset" in actions()


def test_password_reset_link_works_only_once(client):
    user = staff(Role.EDITOR)
    client.post("/accounts/password/reset/", {"email": user.email})
    link = _link(mail.outbox[0])
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"password1": "Зовсім-Новий-2025", "password2": "Зовсім-Новий-2025"})
    again = client.get(link, follow=True)
    assert again.context["token_fail"] is True


def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "ghost@example.org"})
    assert response["Location"] == "/accounts/password/reset/done/"


# --- citizen sign-up with e-mail verification ------------------------------------------------

SIGNUP = {
    "surname": "Коваленко",
    "given_name": "Оксана",
    "patronymic": "Петрівна",
    "phone": "+380 56 123 45 67",
    "email": "oksana@example.org",
    "password1": "Степ-і-Дніпро-2025",
    "password2": "Степ-і-Дніпро-2025",
}


def test_signup_stores_the_name_and_phone(client):
    client.post("/accounts/signup/", SIGNUP)
    user = User.objects.get(email="oksana@example.org")
    assert (user.surname, user.given_name, user.patronymic, user.phone) == (
        "Коваленко",
        "Оксана",
        "Петрівна",
        "+380 56 123 45 67",
    )
    assert not user.is_staff


def test_signup_then_verify_email_then_log_in(client):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response["Location"] == "/accounts/confirm-email/"
    assert not is_logged_in(client)
    assert "auth.signed_up" in actions()

    # Not verified yet: the password is right, but there is no way in.
    client.post(LOGIN, {"login": SIGNUP["email"], "password": SIGNUP["password1"]})
    assert not is_logged_in(client)
    assert client.get("/cabinet/").status_code == 302

    confirmation = [m for m in mail.outbox if SIGNUP["email"] in m.to][-1]
    assert confirmation.subject == "[hromada] Підтвердьте адресу електронної пошти"
    link = _link(confirmation)
    page = client.get(link)
    assert page.status_code == 200
    assert "Підтвердити" in page.content.decode()
    client.post(link)
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified
    assert "auth.email_confirmed" in actions()

    client.post("/accounts/logout/")
    client.post(LOGIN, {"login": SIGNUP["email"], "password": SIGNUP["password1"]})
    assert is_logged_in(client)
    assert client.get("/cabinet/").status_code == 200


def test_signup_without_patronymic_and_phone_is_accepted(client):
    data = {**SIGNUP, "patronymic": "", "phone": ""}
    assert client.post("/accounts/signup/", data).status_code == 302
    assert User.objects.filter(email=SIGNUP["email"]).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("surname", "<script>alert(1)</script>"),
        ("surname", "К" * 10_000),
        ("given_name", ""),
        ("phone", "дзвоніть увечері"),
        ("email", "not-an-email"),
        ("password2", "інший-пароль-123"),
    ],
)
def test_bad_signup_input_is_refused_with_a_message(client, field, value):
    response = client.post("/accounts/signup/", {**SIGNUP, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "<script>alert(1)</script>" not in html
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_signup_with_a_taken_email_is_refused(client):
    UserFactory(email=SIGNUP["email"])
    client.post("/accounts/signup/", SIGNUP)
    assert User.objects.filter(email=SIGNUP["email"]).count() == 1
