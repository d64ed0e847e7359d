"""REST endpoints of execution control (/api/v1/control/…)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hromada.accounts.models import OrgUnit, User
from hromada.accounts.permissions import acting_for_ids
from hromada.api.permissions import HasRulePermission
from hromada.control import selectors, services
from hromada.control.models import Assignment, ExtensionRequest, Resolution
from hromada.control.serializers import (
    AssignmentSerializer,
    DecideSerializer,
    DelegateSerializer,
    DisciplineRowSerializer,
    ExtensionInputSerializer,
    ExtensionSerializer,
    ReportInputSerializer,
    ReportOutputSerializer,
    ResolutionCreateSerializer,
    ResolutionSerializer,
    ReviewSerializer,
)
from hromada.control.types import controlled_type


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _people(ids: list[int], field: str = "executors") -> list[User]:
    found = User.objects.in_bulk(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError({field: [f"Невідомий працівник: {missing[0]}."]})
    return [found[i] for i in ids]


def _person(pk: int | None, field: str) -> User | None:
    return None if pk is None else _people([pk], field)[0]


@extend_schema_view(
    list=extend_schema(
        summary="Мої доручення",
        parameters=[
            OpenApiParameter(
                "view",
                OpenApiTypes.STR,
                enum=["mine", "review"],
                description="mine — мої (типово); review — чекають на моє прийняття звіту",
            ),
            OpenApiParameter("state", OpenApiTypes.STR, description="стан доручення"),
            OpenApiParameter("open", OpenApiTypes.BOOL, description="лише невиконані"),
        ],
    ),
    retrieve=extend_schema(summary="Доручення"),
)
class AssignmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Assignment]
):
    """Assignments: one's own, those waiting for one's review; actions on them."""

    serializer_class = AssignmentSerializer
    permission_classes = [HasRulePermission]
    perms = {"*": "core.access_staff"}
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Assignment]:
        ids = acting_for_ids(self.request.user)
        qs = Assignment.objects.select_related("resolution", "executor", "unit").order_by(
            "due_date", "pk"
        )
        if self.action != "list":
            return qs
        params = self.request.query_params
        if params.get("view") == "review":
            qs = qs.filter(state=Assignment.State.REPORTED, reviewer_id__in=ids)
        else:
            qs = qs.filter(executor_id__in=ids)
        if state := params.get("state"):
            if state not in Assignment.State.values:
                raise ValidationError({"state": ["Невідомий стан."]})
            qs = qs.filter(state=state)
        if params.get("open") in ("1", "true"):
            qs = qs.open()
        return qs

    def get_object(self) -> Assignment:
        pk = str(self.kwargs.get("pk", ""))
        assignment = self.get_queryset().filter(pk=int(pk)).first() if pk.isdigit() else None
        if assignment is None or not self.request.user.has_perm(
            "control.view_assignment", assignment
        ):
            raise NotFound
        return assignment

    def _done(self, assignment: Assignment) -> Response:
        fresh = self.get_queryset().get(pk=assignment.pk)
        return Response(AssignmentSerializer(fresh).data)

    @extend_schema(summary="Прийняти до виконання", request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        return self._done(
            services.assignment_accept(assignment_id=assignment.pk, actor=_actor(request))
        )

    @extend_schema(summary="Розпочати виконання", request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        return self._done(
            services.assignment_start(assignment_id=assignment.pk, actor=_actor(request))
        )

    @extend_schema(
        summary="Звіт про виконання (текст і файли, multipart)",
        request={"multipart/form-data": ReportInputSerializer},
        responses={201: ReportOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        data = {"text": request.data.get("text", ""), "files": request.FILES.getlist("files")}
        serializer = ReportInputSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        report = services.assignment_report(
            assignment_id=assignment.pk,
            actor=_actor(request),
            text=serializer.validated_data["text"],
            files=serializer.validated_data.get("files", []),
        )
        return Response(
            {"id": report.pk, "text": report.text, "files": [f.name for f in report.files.all()]},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Прийняти звіт або повернути на доопрацювання",
        request=ReviewSerializer,
        responses=AssignmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._done(
            services.assignment_review(
                assignment_id=assignment.pk, actor=_actor(request), **serializer.validated_data
            )
        )

    @extend_schema(
        summary="Доручити підлеглим",
        request=DelegateSerializer,
        responses={201: AssignmentSerializer(many=True)},
    )
    @action(detail=True, methods=["post"])
    def delegate(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        serializer = DelegateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        children = services.assignment_delegate(
            assignment_id=assignment.pk,
            actor=_actor(request),
            executors=_people(data["executors"]),
            due_date=data["due_date"],
            text=data["text"],
        )
        return Response(
            AssignmentSerializer(children, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Попросити продовжити строк",
        request=ExtensionInputSerializer,
        responses={201: ExtensionSerializer},
    )
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        serializer = ExtensionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        extension = services.extension_request(
            assignment_id=assignment.pk, actor=_actor(request), **serializer.validated_data
        )
        return Response(ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    create=extend_schema(
        summary="Дати резолюцію на об'єкт контролю",
        request=ResolutionCreateSerializer,
        responses={201: ResolutionSerializer},
    ),
    retrieve=extend_schema(summary="Резолюція з дорученнями"),
)
class ResolutionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Resolution]):
    """Resolutions on controlled items."""

    serializer_class = ResolutionSerializer
    permission_classes = [HasRulePermission]
    perms = {"*": "core.access_staff"}

    def get_queryset(self) -> QuerySet[Resolution]:
        return Resolution.objects.select_related("author").prefetch_related(
            "assignments__executor", "assignments__unit"
        )

    def get_object(self) -> Resolution:
        pk = str(self.kwargs.get("pk", ""))
        resolution = self.get_queryset().filter(pk=int(pk)).first() if pk.isdigit() else None
        if resolution is None or not self.request.user.has_perm(
            "control.view_resolution", resolution
        ):
            raise NotFound
        return resolution

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ResolutionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        controlled = controlled_type(data["item_type"])
        if controlled is None:
            raise ValidationError({"item_type": ["Невідомий вид об'єкта контролю."]})
        item = controlled.model._default_manager.filter(pk=data["item_id"]).first()
        if item is None or not controlled.can_view(request.user, item):
            raise ValidationError({"item_id": ["Об'єкт не знайдено."]})
        resolution = services.resolution_create(
            item=item,
            actor=_actor(request),
            author=_person(data.get("author"), "author"),
            text=data["text"],
            executors=_people(data["executors"]),
            due_date=data.get("due_date"),
            term_days=data.get("term_days"),
            term_kind=data["term_kind"],
            on_control=data["on_control"],
            controller=_person(data.get("controller"), "controller"),
        )
        fresh = self.get_queryset().get(pk=resolution.pk)
        return Response(ResolutionSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="Прохання продовжити строк, що чекають на мене"))
class ExtensionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[ExtensionRequest]):
    """Extension requests waiting for one's decision."""

    serializer_class = ExtensionSerializer
    permission_classes = [HasRulePermission]
    perms = {"*": "core.access_staff"}

    def get_queryset(self) -> QuerySet[ExtensionRequest]:
        ids = acting_for_ids(self.request.user)
        qs = ExtensionRequest.objects.order_by("created_at", "pk")
        if self.action == "list":
            return qs.filter(state=ExtensionRequest.State.PENDING, decider_id__in=ids)
        return qs.filter(Q(decider_id__in=ids) | Q(requested_by_id__in=ids))

    @extend_schema(
        summary="Вирішити прохання про продовження строку",
        request=DecideSerializer,
        responses=ExtensionSerializer,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        extension = self.get_queryset().filter(pk=int(pk or 0) if str(pk).isdigit() else 0).first()
        if extension is None:
            raise NotFound
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        extension = services.extension_decide(
            request_id=extension.pk, actor=_actor(request), **serializer.validated_data
        )
        return Response(ExtensionSerializer(extension).data)


class DisciplineView(APIView):
    """Execution discipline for a period, per unit (or per person of ?unit=)."""

    permission_classes = [HasRulePermission]
    perms = {"*": "control.view_statistics"}

    @extend_schema(
        summary="Виконавська дисципліна",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
            OpenApiParameter("unit", OpenApiTypes.INT, description="по працівниках підрозділу"),
        ],
        responses=DisciplineRowSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        from hromada.control.forms import PeriodForm

        form = PeriodForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        start, end = form.period()
        unit_param = request.query_params.get("unit", "")
        if unit_param:
            unit = (
                OrgUnit.objects.filter(pk=int(unit_param)).first() if unit_param.isdigit() else None
            )
            if unit is None or not request.user.has_perm("control.view_statistics", unit):
                raise NotFound
            rows = selectors.discipline_by_person(
                viewer=request.user, start=start, end=end, unit_id=unit.pk
            )
        else:
            rows = selectors.discipline_by_unit(viewer=request.user, start=start, end=end)
        return Response(
            {
                "start": start,
                "end": end,
                "today": timezone.localdate(),
                "rows": DisciplineRowSerializer(rows, many=True).data,
            }
        )
