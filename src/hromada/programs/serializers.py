"""API representations of programmes and their entries (parsed here, written by services)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from hromada.accounts.models import OrgUnit
from hromada.core.exceptions import ApplicationError
from hromada.programs.models import (
    Activity,
    Indicator,
    IndicatorValue,
    Measure,
    Narrative,
    Programme,
    Report,
    SpendingEntry,
)
from hromada.programs.periods import Period

UNITS = OrgUnit.objects.all()


class PeriodField(serializers.CharField):
    """A report period written as '2015' or '2015-Q3'."""

    def to_internal_value(self, data: Any) -> Period:  # type: ignore[override]
        try:
            return Period.parse(str(data))
        except ApplicationError as exc:
            raise serializers.ValidationError(exc.message) from exc

    def to_representation(self, value: Any) -> str:
        return value.key if isinstance(value, Period) else str(value)


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    coordinator_unit = serializers.SlugRelatedField(slug_field="code", queryset=UNITS)

    class Meta:
        model = Programme
        fields = [
            "id",
            "code",
            "title",
            "title_genitive",
            "year_from",
            "year_to",
            "decision_number",
            "decision_date",
            "coordinator_unit",
            "description",
        ]
        # Uniqueness is the service's to check (with a Ukrainian message).
        extra_kwargs: dict[str, Any] = {"code": {"validators": []}}


class MeasureSerializer(serializers.ModelSerializer[Measure]):
    responsible_units = serializers.SlugRelatedField(slug_field="code", queryset=UNITS, many=True)

    class Meta:
        model = Measure
        fields = ["id", "programme", "number", "title", "order", "responsible_units"]
        validators: list[Any] = []


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    targets = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2),
        required=False,
        write_only=True,
        help_text='Planned value per year: {"2015": "5000"}; returned the same way.',
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "programme",
            "measure",
            "code",
            "name",
            "unit_of_measure",
            "metric_key",
            "targets",
        ]
        read_only_fields = ["programme"]
        validators: list[Any] = []

    def to_representation(self, instance: Indicator) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["targets"] = {str(t.year): str(t.planned) for t in instance.targets.all()}
        return data


class IndicatorValueSerializer(serializers.ModelSerializer[IndicatorValue]):
    period = PeriodField(help_text="'2015' or '2015-Q3' (cumulative from 1 January).")
    actual = serializers.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        model = IndicatorValue
        fields = ["id", "programme", "measure", "indicator", "period", "actual", "evidence", "unit"]
        read_only_fields = ["programme", "measure", "unit"]
        validators: list[Any] = []

    def to_representation(self, instance: IndicatorValue) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["period"] = instance.period.key
        return data


class _EntrySerializer(serializers.ModelSerializer[Any]):
    unit = serializers.SlugRelatedField(
        slug_field="code", queryset=UNITS, required=False, allow_null=True
    )


class ActivitySerializer(_EntrySerializer):
    class Meta:
        model = Activity
        fields = ["id", "programme", "measure", "unit", "type", "date", "title", "place",
                  "participants", "attendance", "by_mayor"]  # fmt: skip


class SpendingSerializer(_EntrySerializer):
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        model = SpendingEntry
        fields = ["id", "programme", "measure", "unit", "date", "amount", "source", "purpose"]


class NarrativeSerializer(serializers.ModelSerializer[Narrative]):
    period = PeriodField()

    class Meta:
        model = Narrative
        fields = ["id", "programme", "measure", "period", "text", "unit"]
        read_only_fields = ["programme", "unit"]
        validators: list[Any] = []

    def to_representation(self, instance: Narrative) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["period"] = instance.period.key
        return data


class ReportSerializer(serializers.ModelSerializer[Report]):
    period = PeriodField()

    class Meta:
        model = Report
        fields = ["id", "programme", "period", "version", "status", "decision_number",
                  "decision_date", "submitted_at", "approved_at", "published_at"]  # fmt: skip
        read_only_fields = ["version", "status", "decision_number", "decision_date",
                            "submitted_at", "approved_at", "published_at"]  # fmt: skip
        validators: list[Any] = []

    def to_representation(self, instance: Report) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["period"] = instance.period.key
        return data


class ApproveSerializer(serializers.Serializer[Any]):
    decision_number = serializers.CharField(max_length=50)
    decision_date = serializers.DateField()


class ReturnSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
