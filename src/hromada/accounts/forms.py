"""Forms for people and accounts.

The allauth forms are subclassed only to speak plain Ukrainian: visible labels
instead of placeholders, our field order, and the citizen's name at sign-up.
They are wired in by ACCOUNT_FORMS and MFA_FORMS in the settings.
"""

from __future__ import annotations

from typing import Any

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.totp import forms as mfa_totp_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from hromada.core.validators import validate_person_name, validate_phone


def _relabel(form: forms.BaseForm, name: str, label: Any, help_text: Any = None) -> None:
    field = form.fields.get(name)
    if field is None:
        return
    field.label = label
    field.widget.attrs.pop("placeholder", None)
    if help_text is not None:
        field.help_text = help_text


class SignupExtraForm(forms.Form):
    """The citizen's name and phone, asked at sign-up in addition to e-mail and password."""

    surname = forms.CharField(
        label=_("Прізвище"), max_length=100, validators=[validate_person_name]
    )
    given_name = forms.CharField(label=_("Ім'я"), max_length=100, validators=[validate_person_name])
    patronymic = forms.CharField(
        label=_("По батькові"), max_length=100, required=False, validators=[validate_person_name]
    )
    phone = forms.CharField(
        label=_("Телефон"),
        max_length=30,
        required=False,
        validators=[validate_phone],
        help_text=_("Наприклад, +380 56 123 45 67"),
    )

    def signup(self, request: Any, user: Any) -> None:
        """Fields are saved by the account adapter; allauth requires this hook."""


class LoginForm(account_forms.LoginForm):  # type: ignore[misc]
    """Log in by e-mail and password."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "login", _("Електронна пошта"))
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        # The "forgot password" link sits under the form, not in the field's hint.
        _relabel(self, "password", _("Пароль"), "")


class SignupForm(account_forms.SignupForm):  # type: ignore[misc]
    """A citizen's sign-up: name, e-mail, optional phone, password twice."""

    surname = SignupExtraForm.base_fields["surname"]
    given_name = SignupExtraForm.base_fields["given_name"]
    patronymic = SignupExtraForm.base_fields["patronymic"]
    phone = SignupExtraForm.base_fields["phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(
            self,
            "email",
            _("Електронна пошта"),
            _("Сюди надійде лист із посиланням для підтвердження адреси."),
        )
        _relabel(self, "password1", _("Пароль"))
        _relabel(self, "password2", _("Повторіть пароль"))
        self.fields["surname"].widget.attrs["autocomplete"] = "family-name"
        self.fields["given_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["patronymic"].widget.attrs["autocomplete"] = "additional-name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["phone"].widget.input_type = "tel"
        self.order_fields(
            ["surname", "given_name", "patronymic", "email", "phone", "password1", "password2"]
        )


class ResetPasswordForm(account_forms.ResetPasswordForm):  # type: ignore[misc]
    """Ask for a password reset link by e-mail."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "email", _("Електронна пошта"))
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class ResetPasswordKeyForm(account_forms.ResetPasswordKeyForm):  # type: ignore[misc]
    """Set a new password from the e-mailed link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "password1", _("Новий пароль"))
        _relabel(self, "password2", _("Повторіть новий пароль"))


class ChangePasswordForm(account_forms.ChangePasswordForm):  # type: ignore[misc]
    """Change the password, knowing the current one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "oldpassword", _("Поточний пароль"))
        _relabel(self, "password1", _("Новий пароль"))
        _relabel(self, "password2", _("Повторіть новий пароль"))


class SetPasswordForm(account_forms.SetPasswordForm):  # type: ignore[misc]
    """Set a password on an account that has none."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "password1", _("Пароль"))
        _relabel(self, "password2", _("Повторіть пароль"))


class AddEmailForm(account_forms.AddEmailForm):  # type: ignore[misc]
    """Add another e-mail address."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "email", _("Електронна пошта"))


class ReauthenticateForm(account_forms.ReauthenticateForm):  # type: ignore[misc]
    """Confirm the password before a sensitive change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "password", _("Пароль"))


_CODE_HINT = _("6 цифр із застосунку автентифікації або один із кодів відновлення.")


class MfaAuthenticateForm(mfa_base_forms.AuthenticateForm):  # type: ignore[misc]
    """Second step of logging in: a TOTP or recovery code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "code", _("Код"), _CODE_HINT)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        )


class MfaReauthenticateForm(mfa_base_forms.ReauthenticateForm):  # type: ignore[misc]
    """Confirm with a code before a sensitive change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "code", _("Код"), _CODE_HINT)
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code"})


class ActivateTotpForm(mfa_totp_forms.ActivateTOTPForm):  # type: ignore[misc]
    """Turn on the authenticator app by entering its first code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "code", _("Код із застосунку"), _("6 цифр, які зараз показує застосунок."))
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        )
