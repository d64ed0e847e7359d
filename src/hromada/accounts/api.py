"""REST endpoints of the organisation and people (/api/v1/org-units/, positions/, people/)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from hromada.accounts import selectors, services
from hromada.accounts.models import OrgUnit, Position, User
from hromada.accounts.serializers import (
    OrgUnitCreateSerializer,
    OrgUnitMoveSerializer,
    OrgUnitSerializer,
    OrgUnitTreeNodeSerializer,
    OrgUnitWriteSerializer,
    PersonDetailSerializer,
    PersonSerializer,
    PositionSerializer,
    StaffCreateSerializer,
)
from hromada.api.permissions import HasRulePermission
from hromada.core.audit import audit_record, audit_view


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError({name: ["Очікується ціле число."]})
    return int(value)


@extend_schema_view(
    list=extend_schema(
        summary="Підрозділи (список)",
        parameters=[
            OpenApiParameter(
                "parent",
                OpenApiTypes.STR,
                description="id батьківського або root (верхній рівень)",
            ),
            OpenApiParameter("code", OpenApiTypes.STR, description="точний код"),
            OpenApiParameter("inactive", OpenApiTypes.BOOL, description="також ліквідовані"),
        ],
    ),
    retrieve=extend_schema(summary="Підрозділ"),
    create=extend_schema(
        summary="Створити підрозділ (адміністратор)",
        request=OrgUnitCreateSerializer,
        responses={201: OrgUnitSerializer},
    ),
    partial_update=extend_schema(
        summary="Змінити підрозділ (адміністратор)",
        request=OrgUnitWriteSerializer,
        responses={200: OrgUnitSerializer},
    ),
    update=extend_schema(
        summary="Змінити підрозділ (адміністратор)",
        request=OrgUnitWriteSerializer,
        responses={200: OrgUnitSerializer},
    ),
)
class OrgUnitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[OrgUnit],
):
    """The organisation's units: read by all staff, changed by administrators in their scope."""

    serializer_class = OrgUnitSerializer
    permission_classes = [HasRulePermission]
    perms = {
        "list": "accounts.view_orgunit",
        "retrieve": "accounts.view_orgunit",
        "tree": "accounts.view_orgunit",
        "create": "accounts.change_orgunit",
        "update": "accounts.change_orgunit",
        "partial_update": "accounts.change_orgunit",
        "move": "accounts.change_orgunit",
    }

    def get_queryset(self) -> QuerySet[OrgUnit]:
        units = OrgUnit.objects.order_by("path")
        if self.action != "list":
            return units
        if self.request.query_params.get("inactive") not in ("1", "true"):
            units = units.filter(is_active=True)
        parent = self.request.query_params.get("parent", "")
        if parent == "root":
            units = units.filter(parent__isnull=True)
        elif parent:
            units = units.filter(parent_id=_int_param(self.request, "parent"))
        if code := self.request.query_params.get("code", ""):
            units = units.filter(code__iexact=code)
        return units

    @extend_schema(summary="Дерево підрозділів", responses=OrgUnitTreeNodeSerializer(many=True))
    @action(detail=False, pagination_class=None)
    def tree(self, request: Request) -> Response:
        """Return the whole tree of active units, nested."""
        nodes = selectors.orgunit_tree()
        return Response(OrgUnitTreeNodeSerializer(cast(Any, nodes), many=True).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = OrgUnitCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        unit = services.orgunit_create(actor=_actor(request), **serializer.validated_data)
        return Response(OrgUnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        unit = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = OrgUnitWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        unit = services.orgunit_update(
            actor=_actor(request), unit=unit, **serializer.validated_data
        )
        return Response(OrgUnitSerializer(unit).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        summary="Перемістити підрозділ разом з підпорядкованими (адміністратор)",
        request=OrgUnitMoveSerializer,
        responses={200: OrgUnitSerializer},
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Put the unit, with its subtree, under another parent (null: the top level)."""
        unit = self.get_object()
        serializer = OrgUnitMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        unit = services.orgunit_move(
            actor=_actor(request), unit=unit, new_parent=serializer.validated_data["parent"]
        )
        return Response(OrgUnitSerializer(unit).data)


@extend_schema_view(
    list=extend_schema(
        summary="Посади",
        parameters=[OpenApiParameter("unit", OpenApiTypes.INT, description="id підрозділу")],
    ),
    retrieve=extend_schema(summary="Посада"),
)
class PositionViewSet(viewsets.ReadOnlyModelViewSet[Position]):
    """Positions (посади) in units."""

    serializer_class = PositionSerializer
    permission_classes = [HasRulePermission]
    perms = {"list": "accounts.view_orgunit", "retrieve": "accounts.view_orgunit"}

    def get_queryset(self) -> QuerySet[Position]:
        positions = Position.objects.order_by("unit__path", "order", "pk")
        if self.action == "list" and (unit := _int_param(self.request, "unit")) is not None:
            positions = positions.filter(unit_id=unit)
        return positions


@extend_schema_view(
    list=extend_schema(
        summary="Працівники",
        description="E-mail і телефон — лише тих, чиї особові дані вам дозволено бачити.",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="ім'я, e-mail, телефон")],
    ),
    retrieve=extend_schema(
        summary="Картка працівника (перегляд фіксується в журналі аудиту)",
        responses=PersonDetailSerializer,
    ),
    create=extend_schema(
        summary="Створити обліковий запис працівника (адміністратор)",
        request=StaffCreateSerializer,
        responses={201: PersonDetailSerializer},
    ),
)
class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[User],
):
    """Staff: the directory for all staff; personal data where accounts.view_person holds."""

    serializer_class = PersonSerializer
    permission_classes = [HasRulePermission]
    perms = {
        "list": "accounts.view_people",
        "retrieve": "accounts.view_people",
        "create": "accounts.create_staff",
    }

    def get_queryset(self) -> QuerySet[User]:
        return selectors.people_search(
            viewer=self.request.user, query=self.request.query_params.get("q", "")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        user = self.request.user
        return {
            **super().get_serializer_context(),
            "may_see_personal": lambda person: user.has_perm("accounts.view_person", person),
        }

    def get_object(self) -> User:
        pk = self.kwargs.get("pk", "")
        if not str(pk).isdigit():
            raise NotFound
        person = User.objects.filter(pk=pk).first()
        # Not "403": whether an id exists is not told to someone who may not see it.
        if person is None or not self.request.user.has_perm("accounts.view_person", person):
            raise NotFound
        return selectors.person_for_card(person_id=person.pk)

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        # Whose contacts were shown (one's own card is not someone else's personal data).
        shown = [
            row["id"]
            for row in response.data["results"]
            if "email" in row and row["id"] != request.user.pk
        ]
        if shown:
            audit_record(
                actor=request.user,
                action="accounts.user.listed",
                object_type="accounts.user",
                data={"ids": shown, "path": request.path[:300]},
            )
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        audit_view(request=request, target=person)
        return Response(self.get_serializer(person).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = StaffCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        roles = [(r["role"], r.get("unit")) for r in data.pop("roles", [])]
        person = services.user_create_staff(
            actor=_actor(request), roles=roles, base_url=request.build_absolute_uri("/"), **data
        )
        person = selectors.person_for_card(person_id=person.pk)
        return Response(
            PersonDetailSerializer(person, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
