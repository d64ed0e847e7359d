"""Small helpers shared by the staff views of control and of the modules built on it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme

from hromada.accounts.models import User

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def staff_view(view: View) -> View:
    """Require a logged-in member of staff (object permissions are checked in the view)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm("core.access_staff"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return cast(View, login_required(wrapper))


def actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def require_or_404(request: HttpRequest, perm: str, obj: Any) -> None:
    """Answer "not found" to someone who may not see an object (its id tells them nothing)."""
    if not request.user.has_perm(perm, obj):
        raise Http404


def require_or_403(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def go_back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to the form's `next` (a local path only), or to `default`."""
    target = request.POST.get("next", "") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    return redirect(target or default)


def date_param(request: HttpRequest, name: str) -> date | None:
    value = request.GET.get(name, "")
    try:
        return parse_date(value) if value else None
    except ValueError:
        return None


def int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 18 else None
