"""Background jobs of execution control."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from hromada.control.services import reminders_sweep


@task()
def sweep_reminders() -> dict[str, Any]:
    """Send the reminders due today (idempotent: each reminder goes out once)."""
    result = reminders_sweep()
    return {"looked_at": result.looked_at, "sent": result.sent}
