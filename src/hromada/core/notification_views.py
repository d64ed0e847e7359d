"""Staff screens for one's own notifications, and the dashboard panel "Мої сповіщення"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from hromada.core.exceptions import ApplicationError
from hromada.core.notifications import (
    notification_mark_read,
    notifications_for,
    notifications_mark_all_read,
    unread_count,
    unread_notifications_for,
)

PAGE_SIZE = 20
PANEL_SIZE = 5


def _require_staff(request: HttpRequest) -> None:
    if not request.user.has_perm("core.access_staff"):
        raise PermissionDenied


def _back(request: HttpRequest) -> HttpResponse:
    """Go back where the form was (the list page or the dashboard), never off-site."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    return redirect(target or "notifications")


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """List the user's notifications, newest first, optionally only the unread ones."""
    _require_staff(request)
    only_unread = request.GET.get("unread") == "1"
    items = (
        unread_notifications_for(request.user) if only_unread else notifications_for(request.user)
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/notifications/list.html",
        {
            "page": page,
            "only_unread": only_unread,
            "unread_total": unread_count(request.user),
        },
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read; with htmx, answer with the updated item only."""
    _require_staff(request)
    get_object_or_404(notifications_for(request.user), pk=notification_id)
    try:
        notification = notification_mark_read(notification_id=notification_id, actor=request.user)
    except ApplicationError as exc:  # deleted meanwhile
        raise PermissionDenied(str(exc)) from exc
    if getattr(request, "htmx", False):
        template = (
            "core/notifications/_panel_item.html"
            if request.POST.get("place") == "panel"
            else "core/notifications/_item.html"
        )
        return render(request, template, {"n": notification, "read_now": True})
    return _back(request)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    """Mark all the user's notifications read."""
    _require_staff(request)
    notifications_mark_all_read(actor=request.user)
    return _back(request)


def notifications_panel(request: HttpRequest) -> str | None:
    """Render the dashboard panel with the latest unread notifications."""
    latest = list(unread_notifications_for(request.user)[:PANEL_SIZE])
    total = len(latest) if len(latest) < PANEL_SIZE else unread_count(request.user)
    return render_to_string(
        "core/notifications/_panel.html",
        {"latest": latest, "total": total, "more": total - len(latest)},
        request=request,
    )
