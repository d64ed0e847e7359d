"""Forms for people and accounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hromada.core.validators import validate_person_name, validate_phone


class SignupExtraForm(forms.Form):
    """The citizen's name and phone, asked at sign-up in addition to e-mail and password."""

    surname = forms.CharField(label=_("Прізвище"), max_length=100, validators=[validate_person_name])
    given_name = forms.CharField(label=_("Ім'я"), max_length=100, validators=[validate_person_name])
    patronymic = forms.CharField(
        label=_("По батькові"), max_length=100, required=False, validators=[validate_person_name]
    )
    phone = forms.CharField(
        label=_("Телефон"), max_length=30, required=False, validators=[validate_phone],
        help_text=_("Необов'язково. Формат: +380XXXXXXXXX"),
    )

    def signup(self, request: Any, user: Any) -> None:
        """Fields are saved by the account adapter; allauth requires this hook."""
