"""Shell views: portal home, health check, staff dashboard, citizen cabinet landing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hromada.core.registry import registry


def home(request: HttpRequest) -> HttpResponse:
    """Render the portal home page."""
    return render(request, "core/home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report liveness and readiness: database reachable, age of the oldest waiting task."""
    from django_tasks_db.models import DBTaskResult

    body: dict[str, Any] = {"status": "ok"}
    try:
        # One round trip: reading the queue also proves the database answers.
        oldest = (
            DBTaskResult.objects.ready()
            .order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
        body["database"] = "ok"
        body["task_lag_seconds"] = (
            round((timezone.now() - oldest).total_seconds(), 1) if oldest else 0.0
        )
    except Exception as exc:  # any failure means "not ready"
        body.update(status="error", database="error", error=exc.__class__.__name__)
        return JsonResponse(body, status=503)
    return JsonResponse(body)


def bench_ceiling(request: HttpRequest) -> HttpResponse:
    """Return a constant response: the benchmark's ceiling (enabled by HROMADA_BENCH_VIEWS)."""
    return HttpResponse(b"ok", content_type="text/plain")


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Send staff to their workspace and citizens to their cabinet."""
    return redirect("staff_home" if request.user.has_perm("core.access_staff") else "cabinet")


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """Render the staff dashboard with the panels the user may see."""
    if not request.user.has_perm("core.access_staff"):
        raise PermissionDenied
    panels = []
    for panel in registry.panels_for(request.user):
        html = panel.render(request)
        if html is not None:
            panels.append({"key": panel.key, "title": panel.title, "html": html})
    return render(request, "core/staff_home.html", {"panels": panels})
