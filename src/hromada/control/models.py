"""Execution control: resolutions, assignments, reports, extensions and the reminder log.

A resolution (резолюція) is written on any controlled item (a document, an appeal…)
and creates one assignment (доручення) per executor; an assignment may be delegated
further down, so the assignments of a resolution form a tree. The item is linked
generically (content type + id); its unit and title are copied onto the resolution so
that lists and statistics never need to load the items.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hromada.core.models import TimeStampedModel


class TermKind(models.TextChoices):
    CALENDAR = "calendar", _("календарних днів")
    WORKING = "working", _("робочих днів")


class Resolution(TimeStampedModel):
    """A head's resolution on a controlled item: instruction, executors, due date, control."""

    class ControlState(models.TextChoices):
        NONE = "none", _("не на контролі")
        ON_CONTROL = "on_control", _("на контролі")
        REMOVED = "removed", _("знято з контролю")

    item_type = models.ForeignKey(
        ContentType, verbose_name=_("тип об'єкта"), on_delete=models.PROTECT, related_name="+"
    )
    item_id = models.PositiveBigIntegerField(_("ідентифікатор об'єкта"))
    item = GenericForeignKey("item_type", "item_id")
    # The key of the controlled type (e.g. "documents.document"): reminder settings, hooks.
    control_type = models.CharField(_("вид контролю"), max_length=100)
    item_title = models.CharField(_("об'єкт"), max_length=300)
    # What notices (in-app and e-mail) call the item: without personal data (see types.py).
    notice_title = models.CharField(_("назва для сповіщень"), max_length=300, blank=True)
    unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("підрозділ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор резолюції"),
        on_delete=models.PROTECT,
        related_name="resolutions_authored",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто вніс"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("зміст резолюції"))
    resolution_date = models.DateField(_("дата резолюції"))
    start_date = models.DateField(_("строк обчислюється від"))
    term_days = models.PositiveSmallIntegerField(_("строк, днів"), null=True, blank=True)
    term_kind = models.CharField(
        _("вид строку"), max_length=10, choices=TermKind.choices, blank=True
    )
    due_date = models.DateField(_("строк виконання"))
    control_state = models.CharField(
        _("контроль"), max_length=12, choices=ControlState.choices, default=ControlState.NONE
    )
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("контролер"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions_controlled",
    )
    completed_at = models.DateTimeField(_("виконано"), null=True, blank=True)
    removed_at = models.DateTimeField(_("знято з контролю"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто зняв з контролю"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removal_note = models.TextField(_("підстава зняття з контролю"), blank=True)

    class Meta:
        verbose_name = _("резолюція")
        verbose_name_plural = _("резолюції")
        ordering = ["-resolution_date", "-pk"]
        indexes = [
            models.Index(fields=["item_type", "item_id"]),
            models.Index(fields=["control_state", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.item_title}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("control:resolution_detail", args=[self.pk])

    @property
    def on_control(self) -> bool:
        return self.control_state == self.ControlState.ON_CONTROL


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def open(self) -> AssignmentQuerySet:
        return self.filter(state__in=Assignment.OPEN_STATES)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Assignment]:
        """Create the assignments, each with its resolution's item (`Assignment.copy_item`)."""
        objs = list(objs)
        for obj in objs:
            obj.copy_item()
        return super().bulk_create(objs, *args, **kwargs)


class Assignment(TimeStampedModel):
    """One executor's assignment (доручення) under a resolution; may be delegated further."""

    class State(models.TextChoices):
        NEW = "new", _("нове")
        ACCEPTED = "accepted", _("прийняте до виконання")
        IN_PROGRESS = "in_progress", _("виконується")
        REPORTED = "reported", _("звіт надано")
        RETURNED = "returned", _("повернуто на доопрацювання")
        DONE = "done", _("виконано")

    # The allowed transitions; every state change in services goes through this table.
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        State.NEW: frozenset({State.ACCEPTED}),
        State.ACCEPTED: frozenset({State.IN_PROGRESS, State.REPORTED}),
        State.IN_PROGRESS: frozenset({State.REPORTED}),
        State.REPORTED: frozenset({State.DONE, State.RETURNED}),
        State.RETURNED: frozenset({State.IN_PROGRESS, State.REPORTED}),
        State.DONE: frozenset(),
    }
    OPEN_STATES: ClassVar[tuple[str, ...]] = (
        State.NEW,
        State.ACCEPTED,
        State.IN_PROGRESS,
        State.REPORTED,
        State.RETURNED,
    )
    # States in which the executor still owes work (a reported assignment waits on the reviewer).
    OWED_STATES: ClassVar[tuple[str, ...]] = (
        State.NEW,
        State.ACCEPTED,
        State.IN_PROGRESS,
        State.RETURNED,
    )

    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("резолюція"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("доручення вищого рівня"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    # The controlled item, copied from the resolution when the assignment is created (a
    # resolution's item never changes, nor an assignment's resolution). Lists of the items a
    # user's assignments reach (the appeals queue of a head of a department) read them from
    # one index of this table instead of mapping every assignment through control_resolution.
    item_type = models.ForeignKey(
        ContentType,
        verbose_name=_("тип об'єкта"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        editable=False,
    )
    item_id = models.PositiveBigIntegerField(_("ідентифікатор об'єкта"), editable=False)
    # Indexed with the item by `control_assignment_exec_item` (no index of its own).
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("виконавець"),
        on_delete=models.PROTECT,
        related_name="assignments",
        db_index=False,
    )
    # The executor's unit when the assignment was given: statistics count it there.
    # Indexed with the item by `control_assignment_unit_item` (no index of its own).
    unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("підрозділ виконавця"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто доручив"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_responsible = models.BooleanField(_("відповідальний виконавець"), default=False)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    text = models.TextField(_("доручення"), blank=True)
    assigned_on = models.DateField(_("дата доручення"))
    due_date = models.DateField(_("строк виконання"))
    state = models.CharField(
        _("стан"), max_length=12, choices=State.choices, default=State.NEW, db_index=True
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("приймає звіт"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments_to_review",
    )
    accepted_at = models.DateTimeField(_("прийнято до виконання"), null=True, blank=True)
    reported_at = models.DateTimeField(_("звіт надано"), null=True, blank=True)
    done_at = models.DateTimeField(_("виконання підтверджено"), null=True, blank=True)
    completed_on = models.DateField(_("дата виконання"), null=True, blank=True)
    days_taken = models.PositiveIntegerField(_("днів на виконання"), null=True, blank=True)
    # When the reminder sweep should next look at this assignment (None: nothing left to send).
    next_reminder_on = models.DateField(null=True, blank=True, editable=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("доручення")
        verbose_name_plural = _("доручення")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["executor", "state", "due_date"]),
            models.Index(fields=["reviewer", "state"]),
            models.Index(fields=["unit", "due_date"]),
            models.Index(fields=["due_date", "state"]),
            # "My work": one's owed assignments in due-date order, read a page at a time.
            models.Index(
                fields=["executor", "due_date", "id"],
                name="control_assignment_owed",
                condition=Q(state__in=["new", "accepted", "in_progress", "returned"]),
            ),
            # Overdue-by-unit and discipline counts read only the open assignments.
            models.Index(
                fields=["due_date", "unit"],
                name="control_assignment_open_due",
                condition=Q(state__in=["new", "accepted", "in_progress", "reported", "returned"]),
            ),
            models.Index(
                fields=["next_reminder_on"],
                name="control_assignment_remind",
                condition=Q(next_reminder_on__isnull=False),
            ),
            # The items of one's assignments and of a unit's (index-only scans); they also
            # serve every lookup by executor or unit (the foreign keys have no index of their own).
            models.Index(
                fields=["executor", "item_type", "item_id"], name="control_assignment_exec_item"
            ),
            models.Index(
                fields=["unit", "item_type", "item_id"], name="control_assignment_unit_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.executor} — {self.resolution.item_title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("control:assignment_detail", args=[self.pk])

    def copy_item(self) -> None:
        """Set the controlled item from the resolution (when not set yet)."""
        if self.item_id is None or self.item_type_id is None:
            resolution = self.resolution
            self.item_type_id = resolution.item_type_id
            self.item_id = resolution.item_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            self.copy_item()
        super().save(*args, **kwargs)

    def permission_units(self) -> list[Any]:
        """Return the units the assignment belongs to: the executor's and the item's."""
        return [self.unit, self.resolution.unit]

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def can_become(self, state: str) -> bool:
        return state in self.TRANSITIONS.get(self.state, frozenset())


def report_upload_to(instance: ReportFile, filename: str) -> str:
    return f"control/reports/{instance.report.assignment_id}/{filename}"


class Report(models.Model):
    """An executor's report on an assignment; the reviewer accepts or returns it."""

    class Decision(models.TextChoices):
        PENDING = "", _("очікує розгляду")
        ACCEPTED = "accepted", _("прийнято")
        RETURNED = "returned", _("повернуто")

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("доручення"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("зміст звіту"))
    created_at = models.DateTimeField(_("надано"), auto_now_add=True)
    decision = models.CharField(
        _("рішення"), max_length=10, choices=Decision.choices, blank=True, default=""
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто розглянув"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("розглянуто"), null=True, blank=True)
    decision_note = models.TextField(_("зауваження"), blank=True)

    class Meta:
        verbose_name = _("звіт про виконання")
        verbose_name_plural = _("звіти про виконання")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:60]}"


class ReportFile(models.Model):
    """A file attached to a report (checked by content, stored outside static)."""

    report = models.ForeignKey(
        Report, verbose_name=_("звіт"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("файл"), upload_to=report_upload_to, max_length=300)
    name = models.CharField(_("назва"), max_length=200)
    mime = models.CharField(_("тип"), max_length=120)
    size = models.PositiveBigIntegerField(_("розмір"))

    class Meta:
        verbose_name = _("файл звіту")
        verbose_name_plural = _("файли звітів")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ExtensionRequest(models.Model):
    """A request to move an assignment's due date, with its reason and the decision."""

    class State(models.TextChoices):
        PENDING = "pending", _("на розгляді")
        APPROVED = "approved", _("погоджено")
        REJECTED = "rejected", _("відхилено")

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("доручення"),
        on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто просить"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто вирішує"),
        on_delete=models.PROTECT,
        related_name="extension_requests_to_decide",
    )
    reason = models.TextField(_("обґрунтування"))
    old_due_date = models.DateField(_("строк був"))
    requested_due_date = models.DateField(_("новий строк"))
    state = models.CharField(_("стан"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("подано"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто вирішив"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("вирішено"), null=True, blank=True)
    decision_note = models.TextField(_("примітка до рішення"), blank=True)

    class Meta:
        verbose_name = _("прохання про продовження строку")
        verbose_name_plural = _("прохання про продовження строку")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(state="pending"),
                name="control_one_pending_extension",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.old_due_date} → {self.requested_due_date}"


class ReminderLog(models.Model):
    """That a reminder of one kind was handled for an assignment's due date: each happens once."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("доручення"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    # "before-3", "before-1", "due", "overdue"
    kind = models.CharField(_("вид"), max_length=20)
    due_date = models.DateField(_("строк"))
    sent_at = models.DateTimeField(_("надіслано"), auto_now_add=True)
    # A stale reminder (the sweep came later than its day) is logged without being sent.
    skipped = models.BooleanField(_("пропущено"), default=False)

    class Meta:
        verbose_name = _("нагадування")
        verbose_name_plural = _("нагадування")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind", "due_date"], name="control_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.kind} ({self.due_date})"
