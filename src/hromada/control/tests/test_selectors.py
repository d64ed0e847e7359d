from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hromada.control import selectors, services
from hromada.control.factories import item_in
from hromada.control.models import Assignment

pytestmark = pytest.mark.django_db


def give(org, executor, due):
    resolution = services.resolution_create(
        item=item_in(org.d),
        actor=org.head_d,
        text="Виконати",
        executors=[executor],
        due_date=due,
    )
    return resolution.assignments.get()


def finish(org, assignment, completed_on=None):
    services.assignment_accept(assignment_id=assignment.pk, actor=assignment.executor)
    services.assignment_report(assignment_id=assignment.pk, actor=assignment.executor, text="Так")
    services.assignment_review(assignment_id=assignment.pk, actor=org.head_d, accept=True)
    if completed_on is not None:
        Assignment.objects.filter(pk=assignment.pk).update(completed_on=completed_on, days_taken=4)


def test_discipline_counts_on_time_late_and_overdue_per_unit(org, hooks, today):
    on_time = give(org, org.spec_d1, today + timedelta(days=5))
    late = give(org, org.spec_d1b, today + timedelta(days=2))
    overdue = give(org, org.spec_d, today + timedelta(days=3))
    finish(org, on_time)
    finish(org, late, completed_on=today + timedelta(days=4))
    Assignment.objects.filter(pk=overdue.pk).update(due_date=today - timedelta(days=1))
    rows = {
        r.label: r
        for r in selectors.discipline_by_unit(
            viewer=org.head_d, start=today - timedelta(days=10), end=today + timedelta(days=10)
        )
    }
    d1 = rows["Відділ D1"]
    assert (d1.due, d1.on_time, d1.late, d1.overdue) == (2, 1, 1, 0)
    assert d1.avg_days == pytest.approx(2.0)
    assert rows["Департамент D"].overdue == 1


def test_discipline_per_person_within_a_unit(org, hooks, today):
    give(org, org.spec_d1, today + timedelta(days=5))
    give(org, org.spec_d1b, today + timedelta(days=5))
    rows = selectors.discipline_by_person(
        viewer=org.head_d, start=today, end=today + timedelta(days=10), unit_id=org.d1.pk
    )
    assert {r.key for r in rows} == {org.spec_d1.pk, org.spec_d1b.pk}


def test_discipline_shows_only_the_viewers_units(org, hooks, today):
    give(org, org.spec_d1, today + timedelta(days=5))
    rows = selectors.discipline_by_unit(
        viewer=org.head_x, start=today, end=today + timedelta(days=10)
    )
    assert rows == []


def test_the_drill_down_lists_the_assignments_of_a_figure(org, hooks, today):
    a = give(org, org.spec_d1, today + timedelta(days=5))
    give(org, org.spec_d1b, today + timedelta(days=5))
    finish(org, a)
    found = selectors.discipline_assignments(
        viewer=org.head_d, start=today, end=today + timedelta(days=10), category="on_time"
    )
    assert list(found) == [a]


def test_my_work_sorts_overdue_and_due_soon(org, hooks, today):
    soon = give(org, org.spec_d1, today + timedelta(days=2))
    later = give(org, org.spec_d1, today + timedelta(days=40))
    overdue = give(org, org.spec_d1, today + timedelta(days=1))
    Assignment.objects.filter(pk=overdue.pk).update(due_date=today - timedelta(days=1))
    work = selectors.my_work(user=org.spec_d1)
    assert [a.pk for a in work.overdue] == [overdue.pk]
    assert [a.pk for a in work.due_soon] == [soon.pk]
    assert [a.pk for a in work.later] == [later.pk]


def test_my_work_lists_reports_waiting_for_my_acceptance(org, hooks, today):
    a = give(org, org.spec_d1, today + timedelta(days=2))
    services.assignment_accept(assignment_id=a.pk, actor=org.spec_d1)
    services.assignment_report(assignment_id=a.pk, actor=org.spec_d1, text="Готово")
    assert [x.pk for x in selectors.my_work(user=org.head_d).to_review] == [a.pk]


def test_the_dashboard_counts(org, hooks, today):
    give(org, org.spec_d1, today + timedelta(days=2))
    counts = selectors.my_counts(user=org.spec_d1)
    assert (counts["due_soon"], counts["total"], counts["overdue"]) == (1, 1, 0)
    assert timezone.localdate() == today
