"""Background jobs of execution control: the daily reminder sweep."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from hromada.control.services import reminders_sweep


@task()
def sweep_reminders(*, reschedule: bool = False) -> dict[str, Any]:
    """Send the reminders due today (idempotent: each goes out once); maybe queue tomorrow's."""
    result = reminders_sweep()
    if reschedule:
        schedule_daily_sweep()
    return {"looked_at": result.looked_at, "sent": result.sent}


def next_sweep_time(now: datetime | None = None) -> datetime:
    """Return the next HROMADA_CONTROL_SWEEP_HOUR o'clock (local time) after `now`."""
    now = timezone.localtime(now)
    at = timezone.make_aware(
        datetime.combine(now.date(), time(int(settings.HROMADA_CONTROL_SWEEP_HOUR)))
    )
    return at if at > now else at + timedelta(days=1)


def _sweep_waiting() -> bool:
    """Return whether a sweep is already queued (database task backend only)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: a duplicate sweep is harmless anyway
        return False
    return DBTaskResult.objects.filter(
        task_path=sweep_reminders.module_path, status="READY"
    ).exists()


def schedule_daily_sweep(now: datetime | None = None) -> bool:
    """Queue the next daily sweep unless one is waiting; it queues the following one itself."""
    if _sweep_waiting():
        return False
    sweep_reminders.using(run_after=next_sweep_time(now)).enqueue(reschedule=True)
    return True
