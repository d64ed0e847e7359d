"""Shared kernel models: numbering counters, calendar, audit trail, notifications, classifiers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Abstract base with creation and update times."""

    created_at = models.DateTimeField(_("створено"), auto_now_add=True)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)

    class Meta:
        abstract = True


class Counter(models.Model):
    """The last number given in a journal (журнал реєстрації) for a year: one locked row."""

    journal = models.CharField(_("журнал"), max_length=100)
    year = models.PositiveIntegerField(_("рік"))
    value = models.PositiveIntegerField(_("останній номер"), default=0)

    class Meta:
        verbose_name = _("лічильник нумерації")
        verbose_name_plural = _("лічильники нумерації")
        constraints = [
            models.UniqueConstraint(fields=["journal", "year"], name="core_counter_journal_year")
        ]

    def __str__(self) -> str:
        return f"{self.journal}/{self.year}: {self.value}"


class CalendarOverride(models.Model):
    """A day whose working status differs from the law's calendar (transfers, decrees)."""

    date = models.DateField(_("дата"), unique=True)
    is_working = models.BooleanField(_("робочий день"))
    note = models.CharField(_("підстава"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("виняток календаря")
        verbose_name_plural = _("винятки календаря")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {'робочий' if self.is_working else 'вихідний'}"


class HolidaysWorkingPeriod(models.Model):
    """A period when public holidays are working days (e.g. martial law, Law 2136-IX)."""

    start = models.DateField(_("з"))
    end = models.DateField(_("по"), null=True, blank=True)
    note = models.CharField(_("підстава"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("період, коли святкові дні робочі")
        verbose_name_plural = _("періоди, коли святкові дні робочі")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="core_holidays_working_period_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.start} – {self.end or '…'}"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Audit events are never changed or removed in bulk either."""

    def update(self, **kwargs: Any) -> int:
        raise RuntimeError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit trail (ISO/IEC 27001 A.8.15)."""

    seq = models.PositiveBigIntegerField(_("номер"), unique=True)
    # The hash chain (потік) this event belongs to, and its position in that chain.
    stream = models.PositiveSmallIntegerField(_("потік"), default=1)
    stream_seq = models.PositiveBigIntegerField(_("номер у потоці"), default=0)
    created_at = models.DateTimeField(_("час"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто"),
        null=True,
        blank=True,
        # Never rewrite an event when a user is removed: that would break the chain.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_repr = models.CharField(_("хто (текст)"), max_length=255, blank=True)
    action = models.CharField(_("дія"), max_length=100, db_index=True)
    # No index of its own: (object_type, object_id) below serves a search by type, and each
    # index costs every audited write its insertion.
    object_type = models.CharField(_("тип об'єкта"), max_length=100, blank=True)
    object_id = models.CharField(_("ідентифікатор об'єкта"), max_length=64, blank=True)
    object_repr = models.CharField(_("об'єкт"), max_length=255, blank=True)
    data = models.JSONField(_("дані"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP-адреса"), null=True, blank=True)
    user_agent = models.CharField(_("браузер"), max_length=512, blank=True)
    prev_hash = models.CharField(_("попередній хеш"), max_length=64)
    hash = models.CharField(_("хеш"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("подія аудиту")
        verbose_name_plural = _("події аудиту")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(fields=["stream", "stream_seq"], name="core_audit_stream_seq")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A new event may come with its id set (PostgreSQL: id = seq); a loaded one never saves.
        if not self._state.adding:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only.")


class AuditChainHead(models.Model):
    """The head of one audit hash chain (stream), locked while an event is appended to it."""

    # The stream's number; stream 1 holds the events written before there were streams.
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("вершина ланцюга аудиту")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class Notification(models.Model):
    """An in-app notification, optionally mirrored by one e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("одержувач"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # Idempotency key: the same event never notifies the same person twice.
    key = models.CharField(_("ключ"), max_length=200)
    title = models.CharField(_("заголовок"), max_length=255)
    body = models.TextField(_("текст"), blank=True)
    url = models.CharField(_("посилання"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("створено"), auto_now_add=True)
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)
    email_wanted = models.BooleanField(_("надіслати e-mail"), default=True)
    emailed_at = models.DateTimeField(_("e-mail надіслано"), null=True, blank=True)

    class Meta:
        verbose_name = _("сповіщення")
        verbose_name_plural = _("сповіщення")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="core_notification_once")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class ClassifierItem(models.Model):
    """A code of a reference classifier (e.g. appeals classifier No. 858) with validity dates."""

    classifier = models.CharField(_("класифікатор"), max_length=50)
    code = models.CharField(_("код"), max_length=30)
    label = models.CharField(_("назва"), max_length=500)
    section = models.CharField(_("розділ"), max_length=30, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("батьківський код"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("чинний з"), null=True, blank=True)
    valid_to = models.DateField(_("чинний по"), null=True, blank=True)
    confirmed = models.BooleanField(
        _("підтверджено джерелом"),
        default=True,
        help_text=_("Ні — значення взято з практики і потребує звірки з чинною редакцією."),
    )
    order = models.PositiveIntegerField(_("порядок"), default=0)
    note = models.CharField(_("примітка"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("код класифікатора")
        verbose_name_plural = _("коди класифікаторів")
        ordering = ["classifier", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["classifier", "code", "valid_from"], name="core_classifier_code_from"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"
