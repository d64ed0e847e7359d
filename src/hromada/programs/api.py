"""REST API of programmes under /api/v1/programs/: staff read everything; writes go through
the services, which check the unit-scoped permissions (a unit changes only the entries of
its own measures)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from hromada.accounts.models import User
from hromada.core.exceptions import ApplicationError
from hromada.programs import serializers as s
from hromada.programs import services
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
from hromada.programs.rendering import CONTENT_TYPES, FORMATS, document_for_report, render


def _actor(request: Request) -> User:
    return cast(User, request.user)


class CanViewProgrammes(permissions.BasePermission):
    """Staff who may read programmes (writes are checked by the services, per object)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.has_perm("programs.view_programme"))


def _param(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=description)


PROGRAMME = _param("programme", "Programme id.")
MEASURE = _param("measure", "Measure id.")
UNIT = _param("unit", "Unit code (the entry's unit; for measures: a responsible unit).")
PERIOD = _param("period", "Period: '2015' or '2015-Q3' (from 1 January to the quarter's end).")
YEAR = _param("year", "A year the programme covers.")


def _int(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError({name: ["Має бути числом."]})
    return int(value)


def _period(request: Request) -> Period | None:
    value = request.query_params.get("period", "")
    if not value:
        return None
    try:
        return Period.parse(value)
    except ApplicationError as exc:
        raise ValidationError({"period": [exc.message]}) from None


class _Base(viewsets.GenericViewSet):  # type: ignore[type-arg]
    permission_classes = [permissions.IsAuthenticated, CanViewProgrammes]

    def _respond(self, instance: Any, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(instance).data, status=code)

    def _input(self, partial: bool = False) -> dict[str, Any]:
        serializer = self.get_serializer(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


@extend_schema_view(list=extend_schema(parameters=[YEAR, UNIT]))
class ProgrammeViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Programmes: title, years, the approving council decision, the coordinator unit."""

    serializer_class = s.ProgrammeSerializer

    def get_queryset(self) -> QuerySet[Programme]:
        qs = Programme.objects.select_related("coordinator_unit").order_by("-year_from", "pk")
        year = _int(self.request, "year")
        if year is not None:
            qs = qs.filter(year_from__lte=year, year_to__gte=year)
        unit = self.request.query_params.get("unit")
        if unit:
            qs = qs.filter(coordinator_unit__code=unit)
        return qs

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        programme = services.programme_create(actor=_actor(request), **self._input())
        return self._respond(programme, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        data = self._input(partial=partial)
        programme = services.programme_update(
            actor=_actor(request), programme=self.get_object(), **data
        )
        return self._respond(programme)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME, UNIT]))
class MeasureViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Numbered measures of programmes, with their responsible units."""

    serializer_class = s.MeasureSerializer

    def get_queryset(self) -> QuerySet[Measure]:
        qs = Measure.objects.prefetch_related("responsible_units").order_by(
            "programme_id", "order", "number"
        )
        programme = _int(self.request, "programme")
        if programme is not None:
            qs = qs.filter(programme_id=programme)
        unit = self.request.query_params.get("unit")
        if unit:
            qs = qs.filter(responsible_units__code=unit)
        return qs

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._input()
        data.pop("order", None)
        measure = services.measure_create(actor=_actor(request), **data)
        return self._respond(measure, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        measure = self.get_object()
        data = self._input(partial=True)
        if "programme" in data and data["programme"].pk != measure.programme_id:
            raise ValidationError({"programme": ["Програму заходу змінити не можна."]})
        data.pop("programme", None)
        measure = services.measure_update(actor=_actor(request), measure=measure, **data)
        return self._respond(measure)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME, MEASURE]))
class IndicatorViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Indicators of measures with their planned values per year."""

    serializer_class = s.IndicatorSerializer

    def get_queryset(self) -> QuerySet[Indicator]:
        qs = Indicator.objects.prefetch_related("targets").order_by("programme_id", "order", "pk")
        for name in ("programme", "measure"):
            value = _int(self.request, name)
            if value is not None:
                qs = qs.filter(**{f"{name}_id": value})
        return qs

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._input()
        targets = {int(y): v for y, v in (data.pop("targets", None) or {}).items() if y.isdigit()}
        indicator = services.indicator_create(actor=_actor(request), targets=targets, **data)
        return self._respond(indicator, status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME, MEASURE, PERIOD, UNIT]))
class IndicatorValueViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Actual values of indicators per period; POST records or corrects the period's value."""

    serializer_class = s.IndicatorValueSerializer

    def get_queryset(self) -> QuerySet[IndicatorValue]:
        qs = IndicatorValue.objects.select_related("unit").order_by(
            "indicator_id", "year", "quarter"
        )
        for name in ("programme", "measure"):
            value = _int(self.request, name)
            if value is not None:
                qs = qs.filter(**{f"{name}_id": value})
        period = _period(self.request)
        if period is not None:
            qs = qs.filter(year=period.year, quarter=period.quarter)
        unit = self.request.query_params.get("unit")
        if unit:
            qs = qs.filter(unit__code=unit)
        return qs

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._input()
        value = services.indicator_value_record(actor=_actor(request), **data)
        return self._respond(value, status.HTTP_201_CREATED)


class _EntryViewSet(
    _Base,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
):
    """Dated entries of a programme: list with filters; create, correct, delete via services."""

    model: Any = None
    arg = ""

    def get_queryset(self) -> QuerySet[Any]:
        qs: QuerySet[Any] = self.model.objects.select_related("unit").order_by("-date", "-pk")
        for name in ("programme", "measure"):
            value = _int(self.request, name)
            if value is not None:
                qs = qs.filter(**{f"{name}_id": value})
        period = _period(self.request)
        if period is not None:
            qs = qs.filter(date__gte=period.start, date__lte=period.end)
        unit = self.request.query_params.get("unit")
        if unit:
            qs = qs.filter(unit__code=unit)
        return qs

    def _create(self, **data: Any) -> Any:
        raise NotImplementedError

    def _update(self, entry: Any, **data: Any) -> Any:
        raise NotImplementedError

    def _delete(self, entry: Any) -> None:
        raise NotImplementedError

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self._create(**self._input())
        return self._respond(entry, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.get_object()
        data = self._input(partial=True)
        # An entry stays in its programme: moving it elsewhere is refused, not ignored.
        programme = data.pop("programme", None)
        if programme is not None and programme.pk != entry.programme_id:
            raise ValidationError({"programme": ["Програму запису змінити не можна."]})
        return self._respond(self._update(entry, **data))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._delete(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME, MEASURE, PERIOD, UNIT]))
class ActivityViewSet(_EntryViewSet):
    """Activities (events) held under measures."""

    serializer_class = s.ActivitySerializer
    model = Activity

    def _create(self, **data: Any) -> Activity:
        return services.activity_create(actor=_actor(self.request), **data)

    def _update(self, entry: Any, **data: Any) -> Activity:
        return services.activity_update(actor=_actor(self.request), activity=entry, **data)

    def _delete(self, entry: Any) -> None:
        services.activity_delete(actor=_actor(self.request), activity=entry)


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME, MEASURE, PERIOD, UNIT]))
class SpendingViewSet(_EntryViewSet):
    """Spending entries (UAH) of measures."""

    serializer_class = s.SpendingSerializer
    model = SpendingEntry

    def _create(self, **data: Any) -> SpendingEntry:
        return services.spending_create(actor=_actor(self.request), **data)

    def _update(self, entry: Any, **data: Any) -> SpendingEntry:
        return services.spending_update(actor=_actor(self.request), entry=entry, **data)

    def _delete(self, entry: Any) -> None:
        services.spending_delete(actor=_actor(self.request), entry=entry)


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME, MEASURE, PERIOD]))
class NarrativeViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Report text of a measure for a period; POST writes it (an empty text removes it)."""

    serializer_class = s.NarrativeSerializer

    def get_queryset(self) -> QuerySet[Narrative]:
        qs = Narrative.objects.order_by("measure_id", "year", "quarter")
        for name in ("programme", "measure"):
            value = _int(self.request, name)
            if value is not None:
                qs = qs.filter(**{f"{name}_id": value})
        period = _period(self.request)
        if period is not None:
            qs = qs.filter(year=period.year, quarter=period.quarter)
        return qs

    @extend_schema(responses={201: s.NarrativeSerializer, 204: None})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._input()
        narrative = services.narrative_set(actor=_actor(request), **data)
        if narrative is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._respond(narrative, status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME, PERIOD]))
class ReportViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Implementation reports: draft → submitted → approved (frozen) → published."""

    serializer_class = s.ReportSerializer

    def get_queryset(self) -> QuerySet[Report]:
        qs = Report.objects.select_related("programme").order_by(
            "programme_id", "-year", "-quarter", "-version"
        )
        programme = _int(self.request, "programme")
        if programme is not None:
            qs = qs.filter(programme_id=programme)
        period = _period(self.request)
        if period is not None:
            qs = qs.filter(year=period.year, quarter=period.quarter)
        return qs

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "approve":
            return s.ApproveSerializer
        if self.action == "return_to_draft":
            return s.ReturnSerializer
        return s.ReportSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._input()
        report = services.report_create(actor=_actor(request), **data)
        return self._respond(report, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        report = services.report_submit(actor=_actor(request), report=self.get_object())
        return Response(s.ReportSerializer(report).data)

    @extend_schema(request=s.ReturnSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_draft(self, request: Request, pk: str | None = None) -> Response:
        data = self._input()
        report = services.report_return(actor=_actor(request), report=self.get_object(), **data)
        return Response(s.ReportSerializer(report).data)

    @extend_schema(request=s.ApproveSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        data = self._input()
        report = services.report_approve(actor=_actor(request), report=self.get_object(), **data)
        return Response(s.ReportSerializer(report).data)

    @extend_schema(request=None, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        report = services.report_publish(actor=_actor(request), report=self.get_object())
        return Response(s.ReportSerializer(report).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(FORMATS))
        ],
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"], url_path=r"download/(?P<fmt>html|docx|pdf)")
    def download(self, request: Request, pk: str | None = None, fmt: str = "pdf") -> HttpResponse:
        """Return the report as HTML, DOCX or PDF (frozen figures once approved)."""
        document = document_for_report(self.get_object())
        response = HttpResponse(render(document, fmt), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{document.filename}.{fmt}"'
        return response


ROUTES: list[tuple[str, type[viewsets.GenericViewSet], str]] = [  # type: ignore[type-arg]
    ("programs/programmes", ProgrammeViewSet, "programs-programme"),
    ("programs/measures", MeasureViewSet, "programs-measure"),
    ("programs/indicators", IndicatorViewSet, "programs-indicator"),
    ("programs/indicator-values", IndicatorValueViewSet, "programs-indicator-value"),
    ("programs/activities", ActivityViewSet, "programs-activity"),
    ("programs/spending", SpendingViewSet, "programs-spending"),
    ("programs/narratives", NarrativeViewSet, "programs-narrative"),
    ("programs/reports", ReportViewSet, "programs-report"),
]
