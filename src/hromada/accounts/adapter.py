"""django-allauth adapter: hromada's user fields and the audit trail."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


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
        return "/staff/" if request.user.is_staff else "/cabinet/"
