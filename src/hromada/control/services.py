"""Every write of execution control: resolutions, assignments, reports, extensions, reminders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts.models import Employment, OrgUnit, Substitution, User
from hromada.accounts.permissions import require, role_covers
from hromada.accounts.roles import Role
from hromada.control.models import (
    Assignment,
    ExtensionRequest,
    ReminderLog,
    Report,
    ReportFile,
    Resolution,
    TermKind,
)
from hromada.control.types import ControlledType, controlled_type_of, item_title
from hromada.core.audit import audit_record
from hromada.core.calendar import add_calendar_days, add_working_days
from hromada.core.exceptions import ApplicationError
from hromada.core.notifications import notify
from hromada.core.uploads import DOCUMENTS, validate_upload

State = Assignment.State
MAX_TERM_DAYS = 366
MAX_TEXT = 5000
MAX_FILES = 10


# --- helpers ------------------------------------------------------------------------------
def _today() -> date:
    return timezone.localdate()


def acts_for(user: Any, person_id: int | None, *, on: date | None = None) -> bool:
    """Return whether the user is the person or acts for them today (substitution)."""
    if person_id is None or user is None or getattr(user, "pk", None) is None:
        return False
    if user.pk == person_id:
        return True
    return Substitution.objects.current(on).filter(absent_id=person_id, substitute=user).exists()


def primary_unit(person: User, *, on: date | None = None) -> OrgUnit | None:
    """Return the unit of the person's current position (the head post first)."""
    employment = (
        Employment.objects.current(on)
        .filter(user=person)
        .select_related("position__unit")
        .order_by("-position__is_head", "start", "pk")
        .first()
    )
    return employment.position.unit if employment else None


def heads_of(person: User, *, on: date | None = None) -> list[User]:
    """Return the heads above a person: their unit's head, or the parent unit's for a head."""
    unit = primary_unit(person, on=on)
    while unit is not None:
        heads = list(
            User.objects.filter(
                is_active=True,
                employments__in=Employment.objects.current(on).filter(
                    position__unit=unit, position__is_head=True
                ),
            )
            .exclude(pk=person.pk)
            .distinct()
        )
        if heads:
            return heads
        unit = unit.parent
    return []


def compute_due_date(*, start: date, term_days: int, term_kind: str) -> date:
    """Return the due date of a term counted from `start` (a day off moves to a working day)."""
    if term_days < 1 or term_days > MAX_TERM_DAYS:
        raise ApplicationError(
            _("Строк має бути від 1 до %(max)s днів.") % {"max": MAX_TERM_DAYS},
            field="term_days",
        )
    if term_kind == TermKind.WORKING:
        return add_working_days(start, term_days)
    return add_calendar_days(start, term_days)


def default_term_days() -> int:
    return int(settings.HROMADA_CONTROL_DEFAULT_TERM_DAYS)


def reminder_days(control_type: str) -> list[int]:
    """Return the days before a due date when reminders go out, for a control type."""
    conf: Mapping[str, Iterable[int]] = settings.HROMADA_CONTROL_REMINDER_DAYS
    days = conf.get(control_type, conf.get("default", (3, 1)))
    return sorted({int(d) for d in days if int(d) > 0}, reverse=True)


def reminder_schedule(due: date, days: Sequence[int]) -> list[tuple[str, date]]:
    """Return the reminders of a due date in order: N days before, on the day, overdue."""
    return [
        *((f"before-{n}", due - timedelta(days=n)) for n in days),
        ("due", due),
        ("overdue", due + timedelta(days=1)),
    ]


def _next_reminder(assignment: Assignment, logged: set[str]) -> date | None:
    if assignment.state not in Assignment.OWED_STATES:
        return None
    days = reminder_days(assignment.resolution.control_type)
    pending = [d for k, d in reminder_schedule(assignment.due_date, days) if k not in logged]
    return min(pending) if pending else None


def _logged_kinds(assignment: Assignment) -> set[str]:
    return set(
        ReminderLog.objects.filter(assignment=assignment, due_date=assignment.due_date).values_list(
            "kind", flat=True
        )
    )


def _reschedule(assignment: Assignment) -> None:
    assignment.next_reminder_on = _next_reminder(assignment, _logged_kinds(assignment))


def _move(assignment: Assignment, to: str) -> None:
    """Change an assignment's state through the table of allowed transitions."""
    if not assignment.can_become(to):
        raise ApplicationError(
            _("Доручення у стані «%(state)s» не можна перевести у стан «%(to)s».")
            % {"state": assignment.get_state_display(), "to": State(to).label},
            code="invalid_state",
        )
    assignment.state = to


def _clean_text(text: str, *, field_name: str, label: str, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ApplicationError(
            _("Заповніть поле «%(label)s».") % {"label": label}, field=field_name
        )
    if len(text) > MAX_TEXT:
        raise ApplicationError(
            _("Поле «%(label)s» задовге: не більше %(max)s знаків.")
            % {"label": label, "max": MAX_TEXT},
            field=field_name,
        )
    return text


def _fmt(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _controlled(item: models.Model) -> ControlledType:
    controlled = controlled_type_of(item)
    if controlled is None:
        raise ApplicationError(_("Цей об'єкт не можна поставити на контроль."))
    return controlled


def _check_executor(author: User, executor: User, *, who: str = "author") -> OrgUnit:
    """Check the executor is active staff in a post under the author's authority; their unit."""
    if not executor.is_active or not executor.is_staff:
        raise ApplicationError(
            _("%(name)s не є діючим працівником.") % {"name": executor.full_name},
            field="executors",
        )
    unit = primary_unit(executor)
    if unit is None:
        raise ApplicationError(
            _("%(name)s не обіймає жодної посади, доручення дати не можна.")
            % {"name": executor.full_name},
            field="executors",
        )
    if not role_covers(author, [Role.HEAD], executor):
        message = (
            _("%(name)s не підпорядкований(а) автору резолюції: доручити не можна.")
            if who == "author"
            else _("%(name)s не підпорядкований(а) вам: доручити не можна.")
        )
        raise ApplicationError(message % {"name": executor.full_name}, field="executors")
    return unit


def _notice_name(resolution: Resolution) -> str:
    return resolution.notice_title or resolution.item_title


def _notify_assigned(assignment: Assignment) -> None:
    resolution = assignment.resolution
    notify(
        recipient=assignment.executor,
        key=f"control:assignment:{assignment.pk}:new",
        title=_("Нове доручення: %(item)s") % {"item": _notice_name(resolution)},
        body=_("%(text)s\nСтрок виконання: %(due)s.")
        % {"text": assignment.text or resolution.text, "due": _fmt(assignment.due_date)},
        url=assignment.get_absolute_url(),
    )


# --- resolutions ----------------------------------------------------------------------------
@transaction.atomic
def resolution_create(
    *,
    item: models.Model,
    actor: User,
    text: str,
    executors: Sequence[User],
    author: User | None = None,
    due_date: date | None = None,
    term_days: int | None = None,
    term_kind: str = TermKind.CALENDAR,
    on_control: bool = True,
    controller: User | None = None,
    resolution_date: date | None = None,
) -> Resolution:
    """Give a resolution on an item: one assignment per executor, the first responsible."""
    controlled = _controlled(item)
    # One resolution at a time per item: the item's row is the lock.
    item = type(item)._default_manager.select_for_update().get(pk=item.pk)
    author = author or actor
    today = _today()
    require(actor, "control.add_resolution", item)
    if not controlled.can_view(actor, item):
        raise ApplicationError(_("Недостатньо прав для цієї дії."), code="permission_denied")
    unit: OrgUnit | None = getattr(item, "unit", None)
    if unit is None:
        raise ApplicationError(_("Об'єкт не належить жодному підрозділу."))
    if not _is_head(author):
        raise ApplicationError(
            _("Резолюцію може дати лише керівник (або особа, яка виконує його обов'язки)."),
            field="author",
        )
    if not (acts_for(actor, author.pk) or role_covers(actor, [Role.OPERATOR], item)):
        raise ApplicationError(
            _("Ви не можете вносити резолюції від імені цього керівника."),
            field="author",
            code="permission_denied",
        )
    text = _clean_text(text, field_name="text", label=_("Зміст резолюції"))
    resolution_date = resolution_date or today
    if resolution_date > today:
        raise ApplicationError(_("Дата резолюції не може бути в майбутньому."), field="date")
    start = controlled.start_date(item)
    if resolution_date < start:
        raise ApplicationError(
            _("Дата резолюції не може бути раніше дати реєстрації (%(start)s).")
            % {"start": _fmt(start)},
            field="date",
        )
    if term_kind not in TermKind.values:
        raise ApplicationError(_("Невідомий вид строку."), field="term_kind")
    if due_date is None:
        term_days = term_days or default_term_days()
        due_date = compute_due_date(start=start, term_days=term_days, term_kind=term_kind)
    else:
        term_days, term_kind = None, ""
        if due_date < start:
            raise ApplicationError(
                _("Строк виконання не може бути раніше дати реєстрації (%(start)s).")
                % {"start": _fmt(start)},
                field="due_date",
            )
        if due_date < today:
            raise ApplicationError(
                _("Строк виконання вже минув: вкажіть сьогоднішню або пізнішу дату."),
                field="due_date",
            )
    _check_max_due(controlled, item, due_date)
    executors = list(executors)
    if not executors:
        raise ApplicationError(_("Вкажіть хоча б одного виконавця."), field="executors")
    if len({e.pk for e in executors}) != len(executors):
        raise ApplicationError(_("Виконавця вказано двічі."), field="executors")
    units = [_check_executor(author, e) for e in executors]
    if controller is not None and not (
        controller.pk == author.pk or role_covers(controller, [Role.CONTROLLER], item)
    ):
        raise ApplicationError(
            _("%(name)s не є контролером цього підрозділу.") % {"name": controller.full_name},
            field="controller",
        )
    resolution = Resolution.objects.create(
        item_type_id=_content_type_id(item),
        item_id=item.pk,
        control_type=controlled.key,
        item_title=item_title(item),
        notice_title=(controlled.notice_title(item) if controlled.notice_title else "")[:300],
        unit=unit,
        author=author,
        entered_by=actor,
        text=text,
        resolution_date=resolution_date,
        start_date=start,
        term_days=term_days,
        term_kind=term_kind,
        due_date=due_date,
        control_state=(
            Resolution.ControlState.ON_CONTROL if on_control else Resolution.ControlState.NONE
        ),
        controller=controller if on_control else None,
    )
    reviewer = (controller if on_control else None) or author
    for order, (executor, executor_unit) in enumerate(zip(executors, units, strict=True)):
        assignment = Assignment(
            resolution=resolution,
            executor=executor,
            unit=executor_unit,
            assigned_by=author,
            is_responsible=order == 0,
            order=order,
            text="",
            assigned_on=resolution_date,
            due_date=due_date,
            reviewer=reviewer,
        )
        assignment.next_reminder_on = _next_reminder(assignment, set())
        assignment.save()
        _notify_assigned(assignment)
    audit_record(
        actor=actor,
        action="control.resolution.created",
        target=resolution,
        data={
            "item": f"{controlled.key}:{item.pk}",
            "author": author.pk,
            "executors": [e.pk for e in executors],
            "due_date": due_date,
            "term": [term_days, term_kind],
            "on_control": on_control,
            "controller": controller.pk if controller else None,
        },
    )
    if controlled.on_resolution is not None:
        controlled.on_resolution(item=item, resolution=resolution, actor=actor)
    return resolution


def _is_head(user: User) -> bool:
    from hromada.accounts.permissions import has_role

    return has_role(user, Role.HEAD)


def _content_type_id(item: models.Model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(item).pk


def _check_max_due(controlled: ControlledType, item: Any, due: date) -> None:
    if controlled.max_due_date is None:
        return
    latest = controlled.max_due_date(item)
    if latest is not None and due > latest:
        raise ApplicationError(
            _("Строк не може бути пізніше %(latest)s (граничний строк).")
            % {"latest": _fmt(latest)},
            field="due_date",
        )


def _lock_assignment(assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("resolution", "executor", "parent")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise ApplicationError(_("Доручення не знайдено."), code="not_found")
    return assignment


def _audit_state(actor: User, assignment: Assignment, action: str, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=f"control.assignment.{action}",
        target=assignment,
        data={"state": assignment.state, **data},
    )


# --- assignments ----------------------------------------------------------------------------
@transaction.atomic
def assignment_accept(*, assignment_id: int, actor: User) -> Assignment:
    """Accept an assignment for execution (прийняти до виконання)."""
    assignment = _lock_assignment(assignment_id)
    require(actor, "control.work_assignment", assignment)
    _move(assignment, State.ACCEPTED)
    assignment.accepted_at = timezone.now()
    assignment.save(update_fields=["state", "accepted_at", "updated_at"])
    _audit_state(actor, assignment, "accepted")
    return assignment


@transaction.atomic
def assignment_start(*, assignment_id: int, actor: User) -> Assignment:
    """Mark an accepted (or returned) assignment as being worked on."""
    assignment = _lock_assignment(assignment_id)
    require(actor, "control.work_assignment", assignment)
    _move(assignment, State.IN_PROGRESS)
    assignment.save(update_fields=["state", "updated_at"])
    _audit_state(actor, assignment, "started")
    return assignment


def _save_report_files(report: Report, files: Sequence[Any]) -> list[ReportFile]:
    saved = []
    for upload in files:
        checked = validate_upload(upload, allowed=DOCUMENTS)
        upload.name = checked.name
        saved.append(
            ReportFile.objects.create(
                report=report, file=upload, name=checked.name, mime=checked.mime, size=checked.size
            )
        )
    return saved


def check_report_files(files: Sequence[Any]) -> None:
    """Refuse too many files, or any file failing the upload checks, before anything is written."""
    from django.core.exceptions import ValidationError

    if len(files) > MAX_FILES:
        raise ApplicationError(
            _("Не більше %(max)s файлів до звіту.") % {"max": MAX_FILES}, field="files"
        )
    for upload in files:
        try:
            validate_upload(upload, allowed=DOCUMENTS)
        except ValidationError as exc:
            raise ApplicationError(" ".join(exc.messages), field="files") from exc


@transaction.atomic
def assignment_report(
    *,
    assignment_id: int,
    actor: User,
    text: str,
    files: Sequence[UploadedFile | Any] = (),
) -> Report:
    """Report on an assignment (text and files); the reviewer is told."""
    assignment = _lock_assignment(assignment_id)
    require(actor, "control.work_assignment", assignment)
    text = _clean_text(text, field_name="text", label=_("Зміст звіту"))
    check_report_files(files)
    open_children = assignment.children.exclude(state=State.DONE).count()
    if open_children:
        raise ApplicationError(
            _("Спершу прийміть звіти працівників, яким ви доручили виконання (%(n)s).")
            % {"n": open_children},
            code="invalid_state",
        )
    _move(assignment, State.REPORTED)
    if assignment.parent is not None:
        assignment.reviewer = assignment.parent.executor
    elif assignment.reviewer_id is None:
        resolution = assignment.resolution
        assignment.reviewer_id = resolution.controller_id or resolution.author_id
    assignment.reported_at = timezone.now()
    assignment.next_reminder_on = None
    assignment.save(
        update_fields=["state", "reviewer", "reported_at", "next_reminder_on", "updated_at"]
    )
    report = Report.objects.create(assignment=assignment, author=actor, text=text)
    saved = _save_report_files(report, files)
    _audit_state(actor, assignment, "reported", report=report.pk, files=[f.name for f in saved])
    assert assignment.reviewer is not None
    notify(
        recipient=assignment.reviewer,
        key=f"control:report:{report.pk}:submitted",
        title=_("Звіт про виконання: %(item)s") % {"item": _notice_name(assignment.resolution)},
        body=_("%(executor)s надав(ла) звіт. Прийміть його або поверніть на доопрацювання.")
        % {"executor": assignment.executor.full_name},
        url=assignment.get_absolute_url(),
    )
    return report


@transaction.atomic
def assignment_review(
    *, assignment_id: int, actor: User, accept: bool, note: str = ""
) -> Assignment:
    """Accept a report (the assignment is done) or return it for rework with a note."""
    assignment = _lock_assignment(assignment_id)
    require(actor, "control.review_assignment", assignment)
    note = _clean_text(note, field_name="note", label=_("Зауваження"), required=not accept)
    report = assignment.reports.filter(decision="").order_by("-created_at", "-pk").first()
    now = timezone.now()
    if accept:
        _move(assignment, State.DONE)
        assignment.done_at = now
        reported = assignment.reported_at or now
        assignment.completed_on = timezone.localdate(reported)
        assignment.days_taken = max((assignment.completed_on - assignment.assigned_on).days, 0)
        assignment.next_reminder_on = None
    else:
        _move(assignment, State.RETURNED)
        _reschedule(assignment)
    assignment.save(
        update_fields=[
            "state",
            "done_at",
            "completed_on",
            "days_taken",
            "next_reminder_on",
            "updated_at",
        ]
    )
    if report is not None:
        report.decision = Report.Decision.ACCEPTED if accept else Report.Decision.RETURNED
        report.decided_by = actor
        report.decided_at = now
        report.decision_note = note
        report.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    _audit_state(actor, assignment, "accepted_report" if accept else "returned", note=note)
    if accept:
        _complete_if_done(assignment.resolution, actor)
    else:
        notify(
            recipient=assignment.executor,
            key=f"control:report:{report.pk if report else assignment.pk}:returned",
            title=_("Звіт повернуто на доопрацювання: %(item)s")
            % {"item": _notice_name(assignment.resolution)},
            body=note,
            url=assignment.get_absolute_url(),
        )
    return assignment


def _complete_if_done(resolution: Resolution, actor: User) -> None:
    """When every top-level assignment is done, the resolution is executed (and off control)."""
    resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
    if resolution.completed_at is not None:
        return
    if resolution.assignments.filter(parent__isnull=True).exclude(state=State.DONE).exists():
        return
    now = timezone.now()
    resolution.completed_at = now
    fields = ["completed_at", "updated_at"]
    if resolution.control_state == Resolution.ControlState.ON_CONTROL:
        resolution.control_state = Resolution.ControlState.REMOVED
        resolution.removed_at = now
        resolution.removed_by = actor
        fields += ["control_state", "removed_at", "removed_by"]
    resolution.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="control.resolution.completed",
        target=resolution,
        data={"removed_from_control": "control_state" in fields},
    )
    controlled = controlled_type_of_key(resolution.control_type)
    if controlled is not None and controlled.on_completed is not None:
        item = resolution.item
        if item is not None:
            controlled.on_completed(item=item, resolution=resolution, actor=actor)


def controlled_type_of_key(key: str) -> ControlledType | None:
    from hromada.control.types import controlled_type

    return controlled_type(key)


@transaction.atomic
def assignment_delegate(
    *,
    assignment_id: int,
    actor: User,
    executors: Sequence[User],
    due_date: date,
    text: str = "",
) -> list[Assignment]:
    """Pass an assignment down to subordinates with a due date no later than one's own."""
    parent = _lock_assignment(assignment_id)
    require(actor, "control.delegate_assignment", parent)
    if parent.state not in Assignment.OWED_STATES:
        raise ApplicationError(
            _("Доручення у стані «%(state)s» не можна передати далі.")
            % {"state": parent.get_state_display()},
            code="invalid_state",
        )
    text = _clean_text(text, field_name="text", label=_("Доручення"), required=False)
    today = _today()
    if due_date < today:
        raise ApplicationError(_("Строк виконання вже минув."), field="due_date")
    if due_date > parent.due_date:
        raise ApplicationError(
            _("Строк не може бути пізніше строку вашого доручення (%(due)s).")
            % {"due": _fmt(parent.due_date)},
            field="due_date",
        )
    executors = list(executors)
    if not executors:
        raise ApplicationError(_("Вкажіть хоча б одного виконавця."), field="executors")
    existing = set(parent.children.values_list("executor_id", flat=True))
    if len({e.pk for e in executors}) != len(executors) or existing & {e.pk for e in executors}:
        raise ApplicationError(_("Виконавця вказано двічі."), field="executors")
    if any(e.pk == parent.executor_id for e in executors):
        raise ApplicationError(_("Не можна доручити самому собі."), field="executors")
    delegator = parent.executor
    units = [_check_executor(delegator, e, who="delegator") for e in executors]
    if parent.state == State.NEW:
        _move(parent, State.ACCEPTED)
        parent.accepted_at = timezone.now()
    if parent.state in (State.ACCEPTED, State.RETURNED):
        _move(parent, State.IN_PROGRESS)
    parent.save(update_fields=["state", "accepted_at", "updated_at"])
    offset = parent.children.count()
    children = []
    for order, (executor, unit) in enumerate(zip(executors, units, strict=True)):
        child = Assignment(
            resolution=parent.resolution,
            parent=parent,
            executor=executor,
            unit=unit,
            assigned_by=delegator,
            is_responsible=order == 0 and offset == 0,
            order=offset + order,
            text=text,
            assigned_on=today,
            due_date=due_date,
            reviewer=delegator,
        )
        child.next_reminder_on = _next_reminder(child, set())
        child.save()
        _notify_assigned(child)
        children.append(child)
    audit_record(
        actor=actor,
        action="control.assignment.delegated",
        target=parent,
        data={
            "to": [e.pk for e in executors],
            "due_date": due_date,
            "children": [c.pk for c in children],
        },
    )
    return children


# --- extensions -------------------------------------------------------------------------------
@transaction.atomic
def extension_request(
    *, assignment_id: int, actor: User, new_due_date: date, reason: str
) -> ExtensionRequest:
    """Ask to move an assignment's due date; the resolution's author (or the delegator) decides."""
    assignment = _lock_assignment(assignment_id)
    require(actor, "control.work_assignment", assignment)
    if assignment.state not in Assignment.OPEN_STATES:
        raise ApplicationError(_("Доручення вже виконано."), code="invalid_state")
    reason = _clean_text(reason, field_name="reason", label=_("Обґрунтування"))
    if new_due_date <= assignment.due_date:
        raise ApplicationError(
            _("Новий строк має бути пізніше чинного (%(due)s).")
            % {"due": _fmt(assignment.due_date)},
            field="new_due_date",
        )
    if assignment.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
        raise ApplicationError(
            _("Попереднє прохання про продовження строку ще не розглянуто."),
            code="invalid_state",
        )
    decider = assignment.parent.executor if assignment.parent else assignment.resolution.author
    request = ExtensionRequest.objects.create(
        assignment=assignment,
        requested_by=actor,
        decider=decider,
        reason=reason,
        old_due_date=assignment.due_date,
        requested_due_date=new_due_date,
    )
    audit_record(
        actor=actor,
        action="control.extension.requested",
        target=request,
        data={"assignment": assignment.pk, "from": assignment.due_date, "to": new_due_date},
    )
    notify(
        recipient=decider,
        key=f"control:extension:{request.pk}:requested",
        title=_("Прохання продовжити строк: %(item)s")
        % {"item": _notice_name(assignment.resolution)},
        body=_("%(who)s просить перенести строк з %(old)s на %(new)s. Обґрунтування: %(reason)s")
        % {
            "who": actor.full_name,
            "old": _fmt(assignment.due_date),
            "new": _fmt(new_due_date),
            "reason": reason,
        },
        url=assignment.get_absolute_url(),
    )
    return request


@transaction.atomic
def extension_decide(
    *, request_id: int, actor: User, approve: bool, note: str = ""
) -> ExtensionRequest:
    """Approve (the due date moves) or reject a request for an extension."""
    request = ExtensionRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise ApplicationError(_("Прохання не знайдено."), code="not_found")
    require(actor, "control.decide_extension", request)
    if request.state != ExtensionRequest.State.PENDING:
        raise ApplicationError(_("Прохання вже розглянуто."), code="invalid_state")
    note = _clean_text(note, field_name="note", label=_("Примітка"), required=not approve)
    assignment = _lock_assignment(request.assignment_id)
    if approve:
        if assignment.state not in Assignment.OPEN_STATES:
            raise ApplicationError(_("Доручення вже виконано."), code="invalid_state")
        if (
            assignment.parent is not None
            and request.requested_due_date > assignment.parent.due_date
        ):
            raise ApplicationError(
                _("Строк не може бути пізніше строку доручення вищого рівня (%(due)s).")
                % {"due": _fmt(assignment.parent.due_date)},
                field="new_due_date",
            )
        controlled = controlled_type_of_key(assignment.resolution.control_type)
        item = assignment.resolution.item
        if controlled is not None and item is not None:
            _check_max_due(controlled, item, request.requested_due_date)
        assignment.due_date = request.requested_due_date
        _reschedule(assignment)
        assignment.save(update_fields=["due_date", "next_reminder_on", "updated_at"])
        if assignment.parent_id is None:
            resolution = Resolution.objects.select_for_update().get(pk=assignment.resolution_id)
            latest = max(
                resolution.assignments.filter(parent__isnull=True).values_list(
                    "due_date", flat=True
                )
            )
            if latest != resolution.due_date:
                resolution.due_date = latest
                resolution.save(update_fields=["due_date", "updated_at"])
    request.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        action=f"control.extension.{request.state}",
        target=request,
        data={"assignment": assignment.pk, "due_date": assignment.due_date, "note": note},
    )
    notify(
        recipient=assignment.executor,
        key=f"control:extension:{request.pk}:decided",
        title=(
            _("Строк продовжено до %(due)s") % {"due": _fmt(request.requested_due_date)}
            if approve
            else _("У продовженні строку відмовлено")
        ),
        body=note,
        url=assignment.get_absolute_url(),
    )
    return request


# --- reminders --------------------------------------------------------------------------------
@dataclass
class SweepResult:
    """What a reminder sweep did."""

    looked_at: int = 0
    sent: dict[str, int] = field(default_factory=dict)

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())


def _reminder_texts(kind: str, assignment: Assignment) -> tuple[str, str]:
    item = _notice_name(assignment.resolution)
    due = _fmt(assignment.due_date)
    if kind.startswith("before-"):
        days = kind.removeprefix("before-")
        return (
            _("Нагадування: %(days)s дн. до строку — %(item)s") % {"days": days, "item": item},
            _("Строк виконання доручення — %(due)s.") % {"due": due},
        )
    if kind == "due":
        return (
            _("Сьогодні строк виконання: %(item)s") % {"item": item},
            _("Строк виконання доручення — сьогодні, %(due)s.") % {"due": due},
        )
    return (
        _("Прострочено доручення: %(item)s") % {"item": item},
        _("Строк виконання минув %(due)s. Виконайте доручення або попросіть продовжити строк.")
        % {"due": due},
    )


def _remind_one(assignment_id: int, today: date) -> str | None:
    """Send the reminder due for one assignment, once; return its kind (None if nothing)."""
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("resolution", "executor")
            .filter(pk=assignment_id, next_reminder_on__lte=today)
            .first()
        )
        if assignment is None:  # another worker has it, or it was handled meanwhile
            return None
        logged = _logged_kinds(assignment)
        if assignment.state not in Assignment.OWED_STATES:
            assignment.next_reminder_on = None
            assignment.save(update_fields=["next_reminder_on"])
            return None
        days = reminder_days(assignment.resolution.control_type)
        schedule = reminder_schedule(assignment.due_date, days)
        due_now = [k for k, d in schedule if d <= today and k not in logged]
        sent_kind = due_now[-1] if due_now else None
        for kind in due_now:
            # The unique constraint is the last guard: a reminder is logged (and sent) once.
            ReminderLog.objects.create(
                assignment=assignment,
                kind=kind,
                due_date=assignment.due_date,
                skipped=kind != sent_kind,
            )
        if sent_kind is not None:
            title, body = _reminder_texts(sent_kind, assignment)
            key = f"control:assignment:{assignment.pk}:{sent_kind}:{assignment.due_date}"
            notify(
                recipient=assignment.executor,
                key=key,
                title=title,
                body=body,
                url=assignment.get_absolute_url(),
            )
            if sent_kind == "overdue":
                for head in heads_of(assignment.executor):
                    notify(
                        recipient=head,
                        key=key,
                        title=_("Прострочено доручення працівника %(name)s: %(item)s")
                        % {
                            "name": assignment.executor.full_name,
                            "item": _notice_name(assignment.resolution),
                        },
                        body=body,
                        url=assignment.get_absolute_url(),
                    )
        assignment.next_reminder_on = _next_reminder(assignment, logged | set(due_now))
        assignment.save(update_fields=["next_reminder_on"])
        return sent_kind


def reminders_sweep(*, today: date | None = None, batch_size: int = 500) -> SweepResult:
    """Send every reminder due today: before the due date, on it, and when overdue.

    Each assignment is handled in its own short transaction, so a worker killed midway
    loses nothing (the rest is picked up next time) and duplicates nothing (the log).
    The sweep reads only assignments whose next reminder is due (a partial index).
    """
    today = today or _today()
    result = SweepResult()
    last_pk = 0
    while True:
        ids = list(
            Assignment.objects.filter(next_reminder_on__lte=today, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        last_pk = ids[-1]
        for pk in ids:
            result.looked_at += 1
            kind = _remind_one(pk, today)
            if kind is not None:
                label = "before" if kind.startswith("before-") else kind
                result.sent[label] = result.sent.get(label, 0) + 1
    return result
