"""Reads of execution control: "my work", item resolutions, discipline statistics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from hromada.accounts.models import OrgUnit, User
from hromada.accounts.permissions import acting_for_ids, scope_q
from hromada.accounts.roles import Role
from hromada.control.models import Assignment, ExtensionRequest, Report, Resolution
from hromada.control.types import WaitingItem, controlled_types

State = Assignment.State


def due_soon_days() -> int:
    return int(settings.HROMADA_CONTROL_DUE_SOON_DAYS)


def _assignment_list(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return qs.select_related("resolution", "executor", "unit").order_by("due_date", "pk")


@dataclass
class MyWork:
    """What waits for one member of staff."""

    overdue: list[Assignment]
    due_soon: list[Assignment]
    later: list[Assignment]
    reported: list[Assignment]
    to_review: list[Assignment]
    extensions: list[ExtensionRequest]
    to_resolve: list[WaitingItem] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.overdue,
                self.due_soon,
                self.later,
                self.reported,
                self.to_review,
                self.extensions,
                self.to_resolve,
            )
        )


def my_work(*, user: Any, today: date | None = None, limit: int = 40) -> MyWork:
    """Return the user's (and those they act for) assignments, reviews and decisions to make.

    Each list is bounded (the page stays fast for someone with thousands of assignments);
    the dashboard counts and the statistics give the totals.
    """
    today = today or timezone.localdate()
    ids = acting_for_ids(user)
    mine = _assignment_list(Assignment.objects.filter(executor_id__in=ids))
    owed = mine.filter(state__in=Assignment.OWED_STATES)
    soon = today + timedelta(days=due_soon_days())
    to_resolve: list[WaitingItem] = []
    for controlled in controlled_types():
        if controlled.awaiting_resolution is not None:
            to_resolve.extend(controlled.awaiting_resolution(user))
    return MyWork(
        overdue=list(owed.filter(due_date__lt=today)[:limit]),
        due_soon=list(owed.filter(due_date__gte=today, due_date__lte=soon)[:limit]),
        later=list(owed.filter(due_date__gt=soon)[: limit // 4]),
        reported=list(mine.filter(state=State.REPORTED)[: limit // 4]),
        to_review=list(
            _assignment_list(Assignment.objects.filter(state=State.REPORTED, reviewer_id__in=ids))[
                :limit
            ]
        ),
        extensions=list(
            ExtensionRequest.objects.filter(
                state=ExtensionRequest.State.PENDING, decider_id__in=ids
            )
            .select_related("assignment__resolution", "requested_by")
            .order_by("created_at")[:limit]
        ),
        to_resolve=to_resolve,
    )


def my_counts(*, user: Any, today: date | None = None) -> dict[str, int]:
    """Return counts for the dashboard panel (three queries)."""
    today = today or timezone.localdate()
    ids = acting_for_ids(user)
    owed = Assignment.objects.filter(executor_id__in=ids, state__in=Assignment.OWED_STATES)
    counts = owed.aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        due_soon=Count(
            "pk",
            filter=Q(due_date__gte=today, due_date__lte=today + timedelta(days=due_soon_days())),
        ),
        total=Count("pk"),
    )
    counts["to_review"] = Assignment.objects.filter(
        state=State.REPORTED, reviewer_id__in=ids
    ).count()
    counts["extensions"] = ExtensionRequest.objects.filter(
        state=ExtensionRequest.State.PENDING, decider_id__in=ids
    ).count()
    return counts


def resolutions_for_item(item: models.Model) -> list[Resolution]:
    """Return an item's resolutions with their assignment trees and reports (a few queries)."""
    content_type = ContentType.objects.get_for_model(item)
    resolutions = list(
        Resolution.objects.filter(item_type=content_type, item_id=item.pk)
        .select_related("author", "entered_by", "controller", "removed_by")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("executor", "unit").order_by(
                    "parent_id", "order", "pk"
                ),
            )
        )
        .order_by("resolution_date", "pk")
    )
    for resolution in resolutions:
        resolution.tree = assignment_tree(list(resolution.assignments.all()))  # type: ignore[attr-defined]
    return resolutions


@dataclass
class AssignmentNode:
    assignment: Assignment
    children: list[AssignmentNode] = field(default_factory=list)


def assignment_tree(assignments: list[Assignment]) -> list[AssignmentNode]:
    """Arrange a resolution's assignments as a tree, in their order."""
    nodes = {a.pk: AssignmentNode(a) for a in sorted(assignments, key=lambda a: (a.order, a.pk))}
    roots: list[AssignmentNode] = []
    for node in nodes.values():
        parent = nodes.get(node.assignment.parent_id) if node.assignment.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def assignment_for_page(assignment_id: int) -> Assignment | None:
    """Return an assignment with what its page shows."""
    return (
        Assignment.objects.select_related(
            "resolution__author",
            "resolution__controller",
            "resolution__unit",
            "executor",
            "unit",
            "reviewer",
            "assigned_by",
            "parent__executor",
        )
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.select_related("author", "decided_by").prefetch_related(
                    "files"
                ),
            ),
            Prefetch(
                "extension_requests",
                queryset=ExtensionRequest.objects.select_related(
                    "requested_by", "decider", "decided_by"
                ),
            ),
        )
        .filter(pk=assignment_id)
        .first()
    )


def resolution_assignments(resolution: Resolution) -> list[Assignment]:
    return list(resolution.assignments.select_related("executor", "unit").order_by("order", "pk"))


def executor_choices(author: User) -> QuerySet[User]:
    """Return the staff in posts under the author's authority as head (for the form)."""
    from hromada.accounts.models import Employment

    q = scope_q(author, [Role.HEAD], "position__unit__path")
    employments = Employment.objects.current().filter(q)
    return (
        User.objects.filter(is_active=True, is_staff=True, employments__in=employments)
        .distinct()
        .order_by("surname", "given_name", "pk")
    )


# --- discipline statistics ----------------------------------------------------------------------
CATEGORIES = ("due", "on_time", "late", "overdue", "open")


def _category_q(category: str, today: date) -> Q:
    if category == "on_time":
        return Q(state=State.DONE, completed_on__lte=F("due_date"))
    if category == "late":
        return Q(state=State.DONE, completed_on__gt=F("due_date"))
    if category == "overdue":
        return Q(state__in=Assignment.OPEN_STATES, due_date__lt=today)
    if category == "open":
        return Q(state__in=Assignment.OPEN_STATES, due_date__gte=today)
    return Q()


def discipline_scope(*, viewer: Any, start: date, end: date) -> QuerySet[Assignment]:
    """Return the assignments due in a period, in the units the viewer heads or controls."""
    return Assignment.objects.filter(
        scope_q(viewer, [Role.HEAD, Role.CONTROLLER]), due_date__gte=start, due_date__lte=end
    )


@dataclass
class DisciplineRow:
    key: int
    label: str
    due: int
    on_time: int
    late: int
    overdue: int
    open: int
    avg_days: float | None

    @property
    def on_time_share(self) -> int:
        return round(100 * self.on_time / self.due) if self.due else 0

    def share(self, value: int) -> int:
        return round(100 * value / self.due) if self.due else 0


def _aggregate(qs: QuerySet[Assignment], group: str, label: str, today: date) -> list[Any]:
    return list(
        qs.values(group, label)
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=_category_q("on_time", today)),
            late=Count("pk", filter=_category_q("late", today)),
            overdue=Count("pk", filter=_category_q("overdue", today)),
            open=Count("pk", filter=_category_q("open", today)),
            avg_days=Avg("days_taken", filter=Q(state=State.DONE)),
        )
        .order_by(label, group)
    )


def discipline_by_unit(
    *, viewer: Any, start: date, end: date, today: date | None = None
) -> list[DisciplineRow]:
    """Return per unit: assignments due in the period, on time, late, overdue now, average days."""
    today = today or timezone.localdate()
    rows = _aggregate(
        discipline_scope(viewer=viewer, start=start, end=end), "unit_id", "unit__name", today
    )
    return [
        DisciplineRow(
            key=r["unit_id"],
            label=r["unit__name"],
            due=r["due"],
            on_time=r["on_time"],
            late=r["late"],
            overdue=r["overdue"],
            open=r["open"],
            avg_days=r["avg_days"],
        )
        for r in rows
    ]


def discipline_by_person(
    *,
    viewer: Any,
    start: date,
    end: date,
    unit_id: int | None = None,
    today: date | None = None,
) -> list[DisciplineRow]:
    """Return the same figures per executor (of one unit, when given)."""
    today = today or timezone.localdate()
    qs = discipline_scope(viewer=viewer, start=start, end=end)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    rows = list(
        qs.values("executor_id", "executor__surname", "executor__given_name")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=_category_q("on_time", today)),
            late=Count("pk", filter=_category_q("late", today)),
            overdue=Count("pk", filter=_category_q("overdue", today)),
            open=Count("pk", filter=_category_q("open", today)),
            avg_days=Avg("days_taken", filter=Q(state=State.DONE)),
        )
        .order_by("executor__surname", "executor__given_name", "executor_id")
    )
    return [
        DisciplineRow(
            key=r["executor_id"],
            label=f"{r['executor__surname']} {r['executor__given_name']}",
            due=r["due"],
            on_time=r["on_time"],
            late=r["late"],
            overdue=r["overdue"],
            open=r["open"],
            avg_days=r["avg_days"],
        )
        for r in rows
    ]


def discipline_total(rows: list[DisciplineRow]) -> DisciplineRow:
    done = [r for r in rows if r.avg_days is not None and (r.on_time + r.late)]
    weight = sum(r.on_time + r.late for r in done)
    avg = sum((r.avg_days or 0) * (r.on_time + r.late) for r in done) / weight if weight else None
    return DisciplineRow(
        key=0,
        label="",
        due=sum(r.due for r in rows),
        on_time=sum(r.on_time for r in rows),
        late=sum(r.late for r in rows),
        overdue=sum(r.overdue for r in rows),
        open=sum(r.open for r in rows),
        avg_days=avg,
    )


def discipline_assignments(
    *,
    viewer: Any,
    start: date,
    end: date,
    unit_id: int | None = None,
    executor_id: int | None = None,
    category: str = "due",
    today: date | None = None,
) -> QuerySet[Assignment]:
    """Return the assignments behind one figure of the statistics (the drill-down list)."""
    today = today or timezone.localdate()
    qs = discipline_scope(viewer=viewer, start=start, end=end).filter(_category_q(category, today))
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if executor_id is not None:
        qs = qs.filter(executor_id=executor_id)
    return _assignment_list(qs)


def overdue_by_unit(*, viewer: Any, today: date | None = None, limit: int = 10) -> list[Any]:
    """Return the units with the most overdue assignments now (for the dashboard panel)."""
    today = today or timezone.localdate()
    rows = list(
        Assignment.objects.filter(
            scope_q(viewer, [Role.HEAD, Role.CONTROLLER]),
            state__in=Assignment.OPEN_STATES,
            due_date__lt=today,
        )
        .values("unit_id")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "unit_id")[:limit]
    )
    # Names are looked up after counting: the count itself reads only the open-due index.
    names = dict(
        OrgUnit.objects.filter(pk__in=[r["unit_id"] for r in rows]).values_list("pk", "name")
    )
    return [{**r, "unit__name": names.get(r["unit_id"], "")} for r in rows]


def units_for_statistics(viewer: Any) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(scope_q(viewer, [Role.HEAD, Role.CONTROLLER], "path")).order_by(
        "path"
    )
