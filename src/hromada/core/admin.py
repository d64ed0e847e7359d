"""Django admin for the shared kernel's reference tables (system administrators only).

Writes go through the same services as everywhere else, so they are audited.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from hromada.core import calendar, classifiers
from hromada.core.exceptions import ApplicationError
from hromada.core.models import CalendarOverride, ClassifierItem, HolidaysWorkingPeriod


class _PermissionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """An admin whose every action needs one hromada permission."""

    permission = ""

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(self.permission))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(_PermissionAdmin):
    permission = "core.manage_calendar"
    list_display = ["date", "is_working", "note"]
    list_filter = ["is_working"]
    date_hierarchy = "date"
    search_fields = ["note"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["date"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = calendar.calendar_override_set(
            day=obj.date, is_working=obj.is_working, note=obj.note, actor=request.user
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        calendar.calendar_override_remove(day=obj.date, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for day in queryset.values_list("date", flat=True):
            calendar.calendar_override_remove(day=day, actor=request.user)


class HolidaysWorkingPeriodForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HolidaysWorkingPeriod
        fields = ["start", "end", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("start") or (self.instance.start if self.instance.pk else None)
        if start is not None:
            try:
                calendar.check_holidays_working_period(
                    start=start, end=data.get("end"), exclude_pk=self.instance.pk
                )
            except ApplicationError as exc:
                raise ValidationError({exc.field or "start": exc.message}) from exc
        return data


@admin.register(HolidaysWorkingPeriod)
class HolidaysWorkingPeriodAdmin(_PermissionAdmin):
    permission = "core.manage_calendar"
    form = HolidaysWorkingPeriodForm
    list_display = ["start", "end", "note"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["start", "note"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            calendar.holidays_working_period_end(period_id=obj.pk, end=obj.end, actor=request.user)
        else:
            saved = calendar.holidays_working_period_create(
                start=obj.start, end=obj.end, note=obj.note, actor=request.user
            )
            obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        calendar.holidays_working_period_remove(period_id=obj.pk, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for pk in queryset.values_list("pk", flat=True):
            calendar.holidays_working_period_remove(period_id=pk, actor=request.user)


@admin.register(ClassifierItem)
class ClassifierItemAdmin(_PermissionAdmin):
    permission = "core.manage_classifiers"
    list_display = ["classifier", "code", "label", "section", "valid_from", "valid_to", "confirmed"]
    list_filter = ["classifier", "section", "confirmed"]
    search_fields = ["code", "label"]
    raw_id_fields = ["parent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return ["classifier", "code", "section", "parent", "valid_from", "order"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Records refer to codes; a code that is no longer used gets a "valid to" date.
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            classifiers.classifier_item_update(
                item_id=obj.pk,
                label=obj.label,
                valid_to=obj.valid_to,
                confirmed=obj.confirmed,
                note=obj.note,
                actor=request.user,
            )
            return
        saved = classifiers.classifier_item_add(
            classifier=obj.classifier,
            code=obj.code,
            label=obj.label,
            section=obj.section,
            parent_id=obj.parent_id,
            valid_from=obj.valid_from,
            valid_to=obj.valid_to,
            confirmed=obj.confirmed,
            note=obj.note,
            actor=request.user,
        )
        obj.pk = saved.pk
