from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings

from hromada.control import services
from hromada.control.factories import item_in
from hromada.control.models import Assignment, ReminderLog
from hromada.core.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(org, hooks, today) -> Assignment:
    resolution = services.resolution_create(
        item=item_in(org.d),
        actor=org.head_d,
        text="Підготувати довідку",
        executors=[org.spec_d1],
        due_date=today + timedelta(days=10),
    )
    return resolution.assignments.get()


def reminders(user) -> list[str]:
    return sorted(
        n.key.split(":")[3]
        for n in Notification.objects.filter(recipient=user, key__startswith="control:assignment:")
        if n.key.count(":") >= 4
    )


@override_settings(HROMADA_CONTROL_REMINDER_DAYS={"default": [3, 1]})
def test_reminders_go_out_before_on_and_after_the_due_date(org, assignment):
    due = assignment.due_date
    for day in (due - timedelta(days=3), due - timedelta(days=1), due, due + timedelta(days=1)):
        services.reminders_sweep(today=day)
    assert reminders(org.spec_d1) == ["before-1", "before-3", "due", "overdue"]


def test_the_overdue_notice_also_goes_to_the_executors_head(org, assignment):
    services.reminders_sweep(today=assignment.due_date + timedelta(days=1))
    assert reminders(org.head_d1) == ["overdue"]
    assert reminders(org.head_d) == []


def test_a_sweep_run_twice_sends_each_reminder_once(org, assignment):
    day = assignment.due_date
    first = services.reminders_sweep(today=day)
    second = services.reminders_sweep(today=day)
    assert first.sent == {"due": 1}
    assert second.total_sent == 0
    assert Notification.objects.filter(recipient=org.spec_d1, key__contains=":due:").count() == 1


@override_settings(HROMADA_CONTROL_REMINDER_DAYS={"default": [3, 1]})
def test_a_late_sweep_sends_only_the_most_urgent_reminder(org, assignment):
    result = services.reminders_sweep(today=assignment.due_date + timedelta(days=2))
    assert result.sent == {"overdue": 1}
    assert reminders(org.spec_d1) == ["overdue"]
    logged = dict(ReminderLog.objects.values_list("kind", "skipped"))
    assert logged == {"before-3": True, "before-1": True, "due": True, "overdue": False}


def test_nothing_is_sent_before_the_first_reminder_day(org, assignment):
    result = services.reminders_sweep(today=assignment.due_date - timedelta(days=5))
    assert result.total_sent == 0
    assert result.looked_at == 0


def test_the_sweep_reads_only_assignments_whose_reminder_is_due(org, hooks, assignment, today):
    for _ in range(3):
        services.resolution_create(
            item=item_in(org.d),
            actor=org.head_d,
            text="Інше",
            executors=[org.spec_d],
            due_date=today + timedelta(days=60),
        )
    result = services.reminders_sweep(today=assignment.due_date)
    assert result.looked_at == 1


def test_a_reported_assignment_gets_no_reminders(org, assignment):
    services.assignment_accept(assignment_id=assignment.pk, actor=org.spec_d1)
    services.assignment_report(assignment_id=assignment.pk, actor=org.spec_d1, text="Готово")
    result = services.reminders_sweep(today=assignment.due_date + timedelta(days=1))
    assert result.total_sent == 0


def test_a_done_assignment_leaves_the_sweep_for_good(org, assignment):
    services.assignment_accept(assignment_id=assignment.pk, actor=org.spec_d1)
    services.assignment_report(assignment_id=assignment.pk, actor=org.spec_d1, text="Готово")
    services.assignment_review(assignment_id=assignment.pk, actor=org.head_d, accept=True)
    assignment.refresh_from_db()
    assert assignment.next_reminder_on is None


def test_an_extension_restarts_the_reminders_for_the_new_date(org, assignment):
    services.reminders_sweep(today=assignment.due_date)
    new_due = assignment.due_date + timedelta(days=10)
    request = services.extension_request(
        assignment_id=assignment.pk, actor=org.spec_d1, new_due_date=new_due, reason="Причина"
    )
    services.extension_decide(request_id=request.pk, actor=org.head_d, approve=True)
    result = services.reminders_sweep(today=new_due)
    assert result.sent == {"due": 1}


def test_a_sweep_interrupted_midway_loses_and_duplicates_nothing(org, hooks, today):
    due = today + timedelta(days=10)
    ids = [
        services.resolution_create(
            item=item_in(org.d),
            actor=org.head_d,
            text=f"Доручення {n}",
            executors=[org.spec_d1],
            due_date=due,
        )
        .assignments.get()
        .pk
        for n in range(4)
    ]
    # A worker that handled two assignments and died: their transactions committed.
    for pk in ids[:2]:
        services._remind_one(pk, due)
    result = services.reminders_sweep(today=due)
    assert result.sent == {"due": 2}
    assert Notification.objects.filter(key__contains=":due:").count() == 4
    assert ReminderLog.objects.filter(kind="due").count() == 4


def test_the_command_runs_the_sweep_here_with_now(org, assignment, capsys):
    call_command("control", "remind", "--now", "--date", assignment.due_date.isoformat())
    assert "sent 1 reminders" in capsys.readouterr().out


def test_the_daily_sweep_is_queued_once_for_the_next_morning():
    from datetime import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from hromada.control.tasks import next_sweep_time, schedule_daily_sweep

    assert schedule_daily_sweep() is True
    assert schedule_daily_sweep() is False
    assert DBTaskResult.objects.count() == 1
    morning = timezone.make_aware(datetime(2025, 3, 3, 6, 0))
    assert timezone.localtime(next_sweep_time(morning)).hour == 7
    evening = timezone.make_aware(datetime(2025, 3, 3, 20, 0))
    assert timezone.localtime(next_sweep_time(evening)).day == 4


def test_the_sweep_task_reschedules_itself(org, assignment):
    from django_tasks_db.models import DBTaskResult

    from hromada.control.tasks import sweep_reminders

    result = sweep_reminders.call(reschedule=True)
    assert "looked_at" in result
    assert DBTaskResult.objects.filter(status="READY").count() == 1
