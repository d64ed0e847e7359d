"""Staff screens of the appeals statistics: the 858 report (HTML, XLSX, PDF) and the dashboard."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hromada.accounts.models import OrgUnit
from hromada.accounts.permissions import grants_of, is_everything, scope_q
from hromada.accounts.roles import Role
from hromada.appeals import reports
from hromada.control.http import date_param, int_param, require_or_403, staff_view
from hromada.core.exceptions import ApplicationError

STAT_ROLES = (Role.OPERATOR, Role.CONTROLLER, Role.HEAD, Role.SECURITY_OFFICER)


def _scopes(request: HttpRequest) -> tuple[bool, list[OrgUnit]]:
    """Return whether the user sees the whole city, and the units their grants cover."""
    city = is_everything(scope_q(request.user, STAT_ROLES))
    paths = {g.unit_path for g in grants_of(request.user) if g.role in STAT_ROLES and g.unit_path}
    return city, list(OrgUnit.objects.filter(path__in=paths).order_by("path"))


def _scope(request: HttpRequest) -> OrgUnit | None:
    """The unit chosen for the report: any for city-wide users, else one their grants cover."""
    city, units = _scopes(request)
    unit_id = int_param(request, "unit")
    if unit_id is None:
        if city:
            return None
        if not units:
            raise PermissionDenied
        return units[0]
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    if not city and not any(unit.path.startswith(u.path) for u in units):
        raise PermissionDenied
    return unit


def _period(request: HttpRequest) -> tuple[date, date, str]:
    """Period from ?year=&quarter= or ?start=&end=; the last finished quarter by default."""
    today = timezone.localdate()
    start, end = date_param(request, "start"), date_param(request, "end")
    year, quarter = int_param(request, "year"), int_param(request, "quarter")
    if start and end:
        return start, end, ""
    if year and quarter:
        try:
            first, last = reports.quarter_bounds(year, quarter)
        except ApplicationError as exc:
            return *reports.quarter_bounds(today.year, 1), exc.message
        return first, last, ""
    if year:
        return date(year, 1, 1), date(year, 12, 31), ""
    current = (today.month - 1) // 3 + 1
    y, q = (today.year, current - 1) if current > 1 else (today.year - 1, 4)
    first, last = reports.quarter_bounds(y, q)
    return first, last, ""


def _filename(report: reports.ClassifierReport, ext: str) -> str:
    return f"zvernennia-858-{report.start:%Y%m%d}-{report.end:%Y%m%d}.{ext}"


@staff_view
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """The quarterly classifier report for a period, on screen, with XLSX and PDF downloads."""
    require_or_403(request, "appeals.view_statistics")
    start, end, error = _period(request)
    scope = _scope(request)
    city, units = _scopes(request)
    try:
        result = reports.classifier_report(start, end, scope)
    except ApplicationError as exc:
        error = exc.message
        result = None
    fmt = request.GET.get("format", "")
    if result is not None and fmt in ("xlsx", "pdf"):
        if fmt == "xlsx":
            body = reports.report_xlsx(result)
            mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            body = reports.report_pdf(result)
            mime = "application/pdf"
        response = HttpResponse(body, content_type=mime)
        response["Content-Disposition"] = f'attachment; filename="{_filename(result, fmt)}"'
        return response
    today = timezone.localdate()
    return render(
        request,
        "appeals/reports/report.html",
        {
            "report": result,
            "error": error,
            "start": start,
            "end": end,
            "scope": scope,
            "city": city,
            "units": units,
            "quarters": [(today.year, q) for q in range(1, 5)]
            + [(today.year - 1, q) for q in range(1, 5)],
            "query": request.GET.urlencode(),
        },
    )


@staff_view
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Heads' dashboard: received, on time, overdue; by unit, topic, district, channel."""
    require_or_403(request, "appeals.view_statistics")
    today = timezone.localdate()
    start = date_param(request, "start") or date(today.year, 1, 1)
    end = date_param(request, "end") or today
    error = ""
    try:
        board = reports.dashboard(start, end, scope_q(request.user, STAT_ROLES), today=today)
    except ApplicationError as exc:
        error = exc.message
        start, end = date(today.year, 1, 1), today
        board = reports.dashboard(start, end, scope_q(request.user, STAT_ROLES), today=today)
    return render(
        request,
        "appeals/reports/dashboard.html",
        {"board": board, "start": start, "end": end, "error": error, "title": _("Звернення")},
    )
