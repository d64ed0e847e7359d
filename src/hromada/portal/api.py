"""REST API of the resource centre under /api/v1/portal/: anyone reads; staff of a resource's
owner unit write its objects (through the services)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hromada.core.exceptions import ApplicationError
from hromada.portal import services
from hromada.portal.models import (
    BuildingPassport,
    BuildingRepair,
    District,
    Resource,
    ResourceObject,
    Rubric,
)
from hromada.portal.search import query_terms, word_filter
from hromada.portal.selectors import portal_search


class RubricSerializer(serializers.ModelSerializer[Rubric]):
    class Meta:
        model = Rubric
        fields = ["id", "slug", "name", "description", "order"]


class ResourceSerializer(serializers.ModelSerializer[Resource]):
    rubric: serializers.SlugRelatedField[Rubric] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    unit: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Resource
        fields = ["id", "slug", "name", "description", "rubric", "unit", "attribute_schema"]


class ResourceObjectSerializer(serializers.ModelSerializer[ResourceObject]):
    resource = serializers.SlugRelatedField(slug_field="slug", queryset=Resource.objects.all())

    class Meta:
        model = ResourceObject
        fields = [
            "id",
            "resource",
            "name",
            "address",
            "district",
            "latitude",
            "longitude",
            "phone",
            "email",
            "website",
            "opening_hours",
            "attributes",
            "last_checked",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]


class RepairSerializer(serializers.ModelSerializer[BuildingRepair]):
    class Meta:
        model = BuildingRepair
        fields = ["year", "kind", "cost"]


class PassportSerializer(serializers.ModelSerializer[BuildingPassport]):
    repairs = RepairSerializer(many=True, read_only=True)
    # Heating and hot water share one set of choices: plain codes keep the schema's enums apart.
    heating = serializers.CharField(read_only=True, help_text="central|building|individual|none")
    hot_water = serializers.CharField(read_only=True, help_text="central|building|individual|none")

    class Meta:
        model = BuildingPassport
        exclude = ["search_text"]


class RubricViewSet(viewsets.ReadOnlyModelViewSet[Rubric]):
    """Rubrics of the resource centre."""

    permission_classes = [permissions.AllowAny]
    serializer_class = RubricSerializer
    lookup_field = "slug"
    queryset = Rubric.objects.order_by("order", "name")


class ResourceViewSet(viewsets.ReadOnlyModelViewSet[Resource]):
    """Information resources (registries) with their attribute schemas; ?rubric=slug."""

    permission_classes = [permissions.AllowAny]
    serializer_class = ResourceSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Resource]:
        qs = Resource.objects.select_related("rubric", "unit").order_by("pk")
        rubric = self.request.query_params.get("rubric")
        return qs.filter(rubric__slug=rubric) if rubric else qs


class ReadAnyoneWriteStaff(permissions.BasePermission):
    """Anyone reads; writing needs a signed-in user (the object rule is checked per object)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated)


class ResourceObjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[ResourceObject],
):
    """Objects of the registries; filters ?resource=slug, ?district=CODE, ?q=words."""

    permission_classes = [ReadAnyoneWriteStaff]
    serializer_class = ResourceObjectSerializer

    def get_queryset(self) -> QuerySet[ResourceObject]:
        qs = ResourceObject.objects.select_related("resource").order_by("pk")
        params = self.request.query_params
        if params.get("resource"):
            qs = qs.filter(resource__slug=params["resource"])
        if params.get("district") in District.values:
            qs = qs.filter(district=params["district"])
        terms = query_terms(params.get("q", ""))
        if terms:
            qs = qs.filter(word_filter(terms))
        return qs

    def _check(self, perm: str, obj: Any) -> None:
        if not self.request.user.has_perm(perm, obj):
            raise PermissionDenied

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        resource = data.pop("resource")
        self._check("portal.change_objects", resource)
        try:
            obj = services.resource_object_create(
                resource_id=resource.pk, data=data, actor=request.user
            )
        except ApplicationError as exc:
            raise ValidationError({"detail": exc.message}) from exc
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        self._check("portal.change_objects", obj)
        serializer = self.get_serializer(obj, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.pop("resource", obj.resource) != obj.resource:
            raise ValidationError({"resource": "Об'єкт не можна перенести до іншого ресурсу."})
        try:
            obj = services.resource_object_update(object_id=obj.pk, data=data, actor=request.user)
        except ApplicationError as exc:
            raise ValidationError({"detail": exc.message}) from exc
        return Response(self.get_serializer(obj).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        self._check("portal.change_objects", obj)
        services.resource_object_delete(object_id=obj.pk, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PassportWriteSerializer(serializers.ModelSerializer[BuildingPassport]):
    # Plain codes (checked by the service's full_clean), as in PassportSerializer.
    heating = serializers.CharField(required=False, help_text="central|building|individual|none")
    hot_water = serializers.CharField(required=False, help_text="central|building|individual|none")

    class Meta:
        model = BuildingPassport
        fields = list(services.PASSPORT_FIELDS)
        # Uniqueness of the address is checked by the service, with a Ukrainian message.
        validators: list[Any] = []


class PassportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[BuildingPassport],
):
    """Electronic passports of apartment buildings; ?q=address words, ?district=CODE.

    Editors and administrators create and change passports and add repairs.
    """

    permission_classes = [ReadAnyoneWriteStaff]

    def get_serializer_class(self) -> Any:
        if self.request.method in permissions.SAFE_METHODS:
            return PassportSerializer
        return PassportWriteSerializer

    def get_queryset(self) -> QuerySet[BuildingPassport]:
        qs = BuildingPassport.objects.prefetch_related("repairs").order_by("pk")
        params = self.request.query_params
        if params.get("district") in District.values:
            qs = qs.filter(district=params["district"])
        terms = query_terms(params.get("q", ""))
        return qs.filter(word_filter(terms)) if terms else qs

    def _save(self, passport_id: int | None, data: dict[str, Any]) -> Response:
        if not self.request.user.has_perm("portal.change_passport"):
            raise PermissionDenied
        try:
            passport = services.passport_save(
                passport_id=passport_id, data=data, actor=self.request.user
            )
        except ApplicationError as exc:
            raise ValidationError({"detail": exc.message}) from exc
        return Response(
            PassportSerializer(passport).data,
            status=status.HTTP_201_CREATED if passport_id is None else status.HTTP_200_OK,
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = PassportWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._save(None, dict(serializer.validated_data))

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        passport = self.get_object()
        serializer = PassportWriteSerializer(passport, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self._save(passport.pk, dict(serializer.validated_data))

    @extend_schema(request=RepairSerializer, responses=RepairSerializer)
    @action(detail=True, methods=["post"])
    def repairs(self, request: Request, pk: str | None = None) -> Response:
        """Record a major repair in the building's history."""
        passport = self.get_object()
        if not request.user.has_perm("portal.change_passport"):
            raise PermissionDenied
        serializer = RepairSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            repair = services.passport_repair_add(
                passport_id=passport.pk, actor=request.user, **serializer.validated_data
            )
        except ApplicationError as exc:
            raise ValidationError({"detail": exc.message}) from exc
        return Response(RepairSerializer(repair).data, status=status.HTTP_201_CREATED)


class PortalSearchView(APIView):
    """Search objects, building passports and resources (?q=, ?type=objects|passports|resources)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Search words."),
            OpenApiParameter("type", OpenApiTypes.STR, description="objects|passports|resources"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        results = portal_search(
            request.query_params.get("q", ""), kind=request.query_params.get("type", "")
        )
        return Response(
            {
                "terms": results.terms,
                "objects": {
                    "total": results.objects_total,
                    "items": ResourceObjectSerializer(results.objects, many=True).data,
                },
                "passports": {
                    "total": results.passports_total,
                    "more": results.passports_more,
                    "items": [{"id": p.pk, "address": p.address} for p in results.passports],
                },
                "resources": ResourceSerializer(results.resources, many=True).data,
            }
        )


ROUTES: list[tuple[str, Any, str]] = [
    ("portal/rubrics", RubricViewSet, "portal-rubric"),
    ("portal/resources", ResourceViewSet, "portal-resource"),
    ("portal/objects", ResourceObjectViewSet, "portal-object"),
    ("portal/passports", PassportViewSet, "portal-passport"),
]
