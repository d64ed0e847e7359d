"""Live metrics: named figures of platform data that indicators bind to.

A module registers its metrics from its AppConfig.ready() in the shared registry
(so it never imports this app), e.g. the appeals module::

    registry.add_metric(Metric(
        key="appeals.received",
        label="Кількість звернень громадян, що надійшли",
        unit="од.",
        compute=lambda first, last: Appeal.objects.filter(
            registered_on__range=(first, last)).count(),
    ))

An indicator with ``metric_key`` gets its actual value computed for the report's
period (1 January to the period's end) when the report is generated, and the value
is frozen with the report when it is approved.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from hromada.core.exceptions import ApplicationError
from hromada.core.registry import Metric, Registry, registry
from hromada.programs.periods import Period


def _day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    return start, end


def staff_accounts(first: date, last: date) -> int:
    """Count active staff accounts that existed on the last day."""
    from hromada.accounts.models import User

    _start, end = _day_bounds(first, last)
    return User.objects.filter(is_staff=True, is_active=True, date_joined__lt=end).count()


def audit_events(first: date, last: date) -> int:
    """Count events written to the audit trail over the days."""
    from hromada.core.models import AuditEvent

    start, end = _day_bounds(first, last)
    return AuditEvent.objects.filter(created_at__gte=start, created_at__lt=end).count()


def active_units(first: date, last: date) -> int:
    """Count the organisation's active units (today's structure)."""
    from hromada.accounts.models import OrgUnit

    return OrgUnit.objects.filter(is_active=True).count()


BUILTIN = (
    Metric("accounts.staff_accounts", "Кількість облікових записів працівників", "од.",
           staff_accounts),
    Metric("core.audit_events", "Кількість подій журналу аудиту", "од.", audit_events),
    Metric("accounts.active_units", "Кількість діючих підрозділів", "од.", active_units),
)  # fmt: skip


def register_builtin_metrics(target: Registry) -> None:
    """Register the metrics computed from data of the foundation (accounts, audit)."""
    for metric in BUILTIN:
        target.add_metric(metric)


def metric_exists(key: str) -> bool:
    return key in registry.metrics


def metric_value(key: str, period: Period) -> Decimal:
    """Compute a registered metric over a report period (1 January to the period's end)."""
    metric = registry.metrics.get(key)
    if metric is None:
        raise ApplicationError(f"Невідомий показник платформи «{key}».")
    return Decimal(metric.compute(period.start, period.end))


def metric_choices() -> list[tuple[str, str]]:
    """Return (key, label) of every registered metric, by key."""
    return sorted((m.key, f"{m.label} ({m.key})") for m in registry.metrics.values())
