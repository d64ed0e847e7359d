"""Shell views: portal home, health check, staff dashboard, citizen cabinet landing."""

from __future__ import annotations

import secrets
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hromada.accounts.permissions import grants_of, has_perm_memo
from hromada.core.registry import registry


def home(request: HttpRequest) -> HttpResponse:
    """Render the portal home page."""
    return render(request, "core/home.html")


_HEALTHZ_MEMO_KEY = "hromada:healthz"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report liveness and readiness: database reachable, age of the oldest waiting task.

    Load balancers poll this often, so each process probes the database at most once per
    HROMADA_HEALTHZ_CACHE_SECONDS (1 s) and answers from that probe meanwhile (the
    per-process "local" cache): a failure shows within that time, and `checked_at` says
    when the answer was taken.
    """
    memo_seconds = float(settings.HROMADA_HEALTHZ_CACHE_SECONDS)
    memo = caches["local"] if memo_seconds > 0 else None
    answer: tuple[int, dict[str, Any]] | None = memo.get(_HEALTHZ_MEMO_KEY) if memo else None
    if answer is None:
        answer = probe_readiness()
        if memo is not None:
            memo.set(_HEALTHZ_MEMO_KEY, answer, memo_seconds)
    status, body = answer
    return JsonResponse(body, status=status)


def probe_readiness() -> tuple[int, dict[str, Any]]:
    """Probe the database and the task queue; return the HTTP status and the JSON body."""
    now = timezone.now()
    body: dict[str, Any] = {"status": "ok", "checked_at": now.isoformat(timespec="seconds")}
    try:
        oldest = oldest_ready_task_time()
    except Exception as exc:  # any failure means "not ready"
        body.update(status="error", database="error", error=exc.__class__.__name__)
        return 503, body
    body["database"] = "ok"
    body["task_lag_seconds"] = round((now - oldest).total_seconds(), 1) if oldest else 0.0
    return 200, body


def oldest_ready_task_time() -> datetime | None:
    """Return when the oldest task waiting to run was enqueued, in one cheap round trip.

    Raw SQL on purpose: the health check is polled often, and the ORM's query
    compilation would cost more than the query (the partial index on READY serves it).
    """
    from django_tasks_db.models import DBTaskResult, get_date_max

    table = connection.ops.quote_name(DBTaskResult._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT enqueued_at FROM {table} WHERE status = %s"  # noqa: S608 - table name only
            " AND (run_after <= %s OR run_after = %s) ORDER BY enqueued_at LIMIT 1",
            [
                "READY",
                connection.ops.adapt_datetimefield_value(now),
                connection.ops.adapt_datetimefield_value(get_date_max()),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    value = row[0]
    if isinstance(value, str):  # SQLite hands back text
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value  # type: ignore[no-any-return]


def bench_ceiling(request: HttpRequest) -> HttpResponse:
    """Return a constant response: the benchmark's ceiling (enabled by HROMADA_BENCH_VIEWS)."""
    return HttpResponse(b"ok", content_type="text/plain")


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Send staff to their workspace and citizens to their cabinet."""
    return redirect("staff_home" if request.user.has_perm("core.access_staff") else "cabinet")


# Set by static/js/init.js: the browser runs JavaScript, so the dashboard's panels can
# load after the page (progressive enhancement). Without it they are rendered inline.
JS_COOKIE = "hromada_js"


def _staff_or_403(request: HttpRequest) -> None:
    if not has_perm_memo(request.user, "core.access_staff"):
        raise PermissionDenied


# The dashboard's panel URLs, reversed once per process (per script prefix).
_panel_urls: dict[tuple[str, str], str] = {}


# The dashboard page with lazy panels, rendered once per process for each combination of what
# it shows (see _shell_key), with a marker where the request's CSRF token goes.
_SHELLS: OrderedDict[tuple[Any, ...], str] = OrderedDict()
_SHELLS_MAX = 512
_CSRF_MARKER = f"hromada-csrf-{secrets.token_hex(16)}"


def _shell_key(request: HttpRequest) -> tuple[Any, ...]:
    """Everything the dashboard page with lazy panels depends on.

    The page shows the user's name, the navigation and the panels their permissions allow
    (the rules decide from the grants and the user's flags), in their language, with the
    current path marked. Nothing else in it comes from the database, so two requests with
    the same key get the same page (only the CSRF token differs, and is put in per request).
    """
    user = request.user
    return (
        user.pk,
        getattr(user, "full_name", ""),
        user.is_active,
        user.is_staff,
        user.is_superuser,
        grants_of(user),
        get_language(),
        get_script_prefix(),
        request.get_full_path(),
    )


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """Render the staff dashboard with the panels the user may see.

    In a browser with JavaScript the page comes first and each panel is fetched from
    `staff_panel` as it loads (htmx), so a slow panel never holds up the workspace;
    otherwise (or with ?panels=inline) every panel is rendered into the page.

    The page with lazy panels holds nothing but the user's own shell (name, navigation,
    panel titles), so each process keeps it rendered per ``_shell_key``; a change of role,
    name or language is a different key. A page with messages to show is always rendered.
    """
    _staff_or_403(request)
    lazy = request.COOKIES.get(JS_COOKIE) == "1" and request.GET.get("panels") != "inline"
    if lazy and not len(get_messages(request)):
        key = _shell_key(request)
        html = _SHELLS.get(key)
        if html is None:
            context = {"panels": _lazy_panels(request), "lazy": True, "csrf_token": _CSRF_MARKER}
            html = render(request, "core/staff_home.html", context).content.decode()
            _SHELLS[key] = html
            while len(_SHELLS) > _SHELLS_MAX:
                _SHELLS.popitem(last=False)
        return HttpResponse(html.replace(_CSRF_MARKER, get_token(request)))
    if lazy:
        return render(
            request, "core/staff_home.html", {"panels": _lazy_panels(request), "lazy": True}
        )
    panels = []
    for panel in registry.panels_for(request.user):
        html = panel.render(request)
        if html is not None:
            panels.append({"key": panel.key, "title": panel.title, "html": html})
    return render(request, "core/staff_home.html", {"panels": panels, "lazy": False})


def _lazy_panels(request: HttpRequest) -> list[dict[str, Any]]:
    """The panels the user may see, each with the URL it is fetched from."""
    panels = []
    for panel in registry.panels_for(request.user):
        url = _panel_urls.get((get_script_prefix(), panel.key))
        if url is None:
            url = _panel_urls[(get_script_prefix(), panel.key)] = reverse(
                "staff_panel", args=[panel.key]
            )
        panels.append({"key": panel.key, "title": panel.title, "html": None, "url": url})
    return panels


@login_required
def staff_panel(request: HttpRequest, key: str) -> HttpResponse:
    """Render one dashboard panel's body (fetched by the dashboard with htmx)."""
    _staff_or_403(request)
    panel = registry.panels.get(key)
    if panel is None or not has_perm_memo(request.user, panel.perm):
        raise Http404
    html = panel.render(request)
    if html is None:  # nothing here for this user (inline, such a panel is left out)
        html = format_html('<p class="govuk-body">{}</p>', _("Тут поки нічого для вас."))
    return HttpResponse(html)
