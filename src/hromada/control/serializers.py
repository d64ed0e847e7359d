"""REST representations of execution control; input validation with Ukrainian messages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hromada.control.models import Assignment, ExtensionRequest, Resolution, TermKind

_DATE_ERRORS: dict[str, Any] = {"invalid": _("Невірна дата, очікується РРРР-ММ-ДД.")}


class PersonRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class AssignmentSerializer(serializers.ModelSerializer[Assignment]):
    executor = PersonRefSerializer(read_only=True)
    unit = serializers.CharField(source="unit.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    item_type = serializers.CharField(source="resolution.control_type", read_only=True)
    item_id = serializers.IntegerField(source="resolution.item_id", read_only=True)
    item_title = serializers.CharField(source="resolution.item_title", read_only=True)
    resolution_text = serializers.CharField(source="resolution.text", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "resolution",
            "parent",
            "item_type",
            "item_id",
            "item_title",
            "resolution_text",
            "text",
            "executor",
            "unit",
            "is_responsible",
            "assigned_on",
            "due_date",
            "state",
            "state_display",
            "reviewer",
            "reported_at",
            "completed_on",
        ]
        read_only_fields = fields


class ResolutionSerializer(serializers.ModelSerializer[Resolution]):
    author = PersonRefSerializer(read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)
    item_type = serializers.CharField(source="control_type", read_only=True)

    class Meta:
        model = Resolution
        fields = [
            "id",
            "item_type",
            "item_id",
            "item_title",
            "author",
            "entered_by",
            "text",
            "resolution_date",
            "start_date",
            "term_days",
            "term_kind",
            "due_date",
            "control_state",
            "controller",
            "completed_at",
            "removed_at",
            "assignments",
        ]
        read_only_fields = fields


class ResolutionCreateSerializer(serializers.Serializer[Any]):
    item_type = serializers.CharField(
        max_length=100, help_text=_("Вид об'єкта, напр. documents.document")
    )
    item_id = serializers.IntegerField(min_value=1)
    author = serializers.IntegerField(required=False, help_text=_("id керівника; типово — ви самі"))
    text = serializers.CharField(max_length=5000)
    executors = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=50,
        help_text=_("id виконавців; перший — відповідальний"),
        error_messages={"min_length": _("Вкажіть хоча б одного виконавця.")},
    )
    due_date = serializers.DateField(required=False, error_messages=_DATE_ERRORS)
    term_days = serializers.IntegerField(required=False, min_value=1, max_value=366)
    term_kind = serializers.ChoiceField(choices=TermKind.choices, default=TermKind.CALENDAR)
    on_control = serializers.BooleanField(default=True)
    controller = serializers.IntegerField(required=False)


class ReportInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=5000)
    files = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=10, allow_empty=True
    )


class ReportOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    text = serializers.CharField()
    files = serializers.ListField(child=serializers.CharField())


class ReviewSerializer(serializers.Serializer[Any]):
    accept = serializers.BooleanField()
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class DelegateSerializer(serializers.Serializer[Any]):
    executors = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=50
    )
    due_date = serializers.DateField(error_messages=_DATE_ERRORS)
    text = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ExtensionInputSerializer(serializers.Serializer[Any]):
    new_due_date = serializers.DateField(error_messages=_DATE_ERRORS)
    reason = serializers.CharField(max_length=5000)


class ExtensionSerializer(serializers.ModelSerializer[ExtensionRequest]):
    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "assignment",
            "requested_by",
            "decider",
            "reason",
            "old_due_date",
            "requested_due_date",
            "state",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class DecideSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class DisciplineRowSerializer(serializers.Serializer[Any]):
    key = serializers.IntegerField()
    name = serializers.CharField(source="label")
    due = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    overdue = serializers.IntegerField()
    open = serializers.IntegerField()
    avg_days = serializers.FloatField(allow_null=True)
