"""REST endpoints of the document workflow (/api/v1/documents/…)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from hromada.accounts.models import User
from hromada.api.permissions import HasRulePermission
from hromada.core.audit import audit_view
from hromada.documents import selectors, services
from hromada.documents.idempotency import HEADER, idempotent
from hromada.documents.models import CaseFile, Correspondent, Document, Journal
from hromada.documents.pagination import CappedPageNumberPagination
from hromada.documents.serializers import (
    CorrespondentSerializer,
    DocumentCardSerializer,
    DocumentDetailSerializer,
    DocumentFileSerializer,
    DocumentRegisterSerializer,
    DocumentSerializer,
    FileUploadSerializer,
    JournalSerializer,
)


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _get(model: Any, pk: int | None, field: str, message: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [message]})
    return found


@extend_schema_view(
    list=extend_schema(
        summary="Документи (пошук)",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="слова змісту/тексту, індекс"),
            OpenApiParameter("journal", OpenApiTypes.INT),
            OpenApiParameter(
                "direction", OpenApiTypes.STR, enum=["incoming", "outgoing", "internal"]
            ),
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
            OpenApiParameter("correspondent", OpenApiTypes.INT),
            OpenApiParameter("executor", OpenApiTypes.INT),
            OpenApiParameter(
                "control", OpenApiTypes.STR, enum=["on_control", "overdue", "removed", "none"]
            ),
        ],
    ),
    retrieve=extend_schema(summary="Картка документа (перегляд фіксується в журналі аудиту)"),
    create=extend_schema(
        summary="Зареєструвати документ (повертає реєстраційний індекс)",
        description=(
            "Заголовок Idempotency-Key робить реєстрацію ідемпотентною: повторений запит із тим "
            "самим ключем повертає ту саму відповідь і не реєструє документ удруге."
        ),
        parameters=[OpenApiParameter(HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER)],
        request=DocumentRegisterSerializer,
        responses={201: DocumentSerializer},
    ),
    partial_update=extend_schema(
        summary="Виправити картку зареєстрованого документа (не індекс і не журнал)",
        description=(
            "Передайте лише поля, які треба виправити. Зміни фіксуються в журналі аудиту. "
            "Доступно реєструвальній службі органу, що зареєстрував документ."
        ),
        request=DocumentCardSerializer,
        responses={200: DocumentDetailSerializer},
    ),
)
class DocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Document]
):
    """Documents the user may see; registration; files."""

    serializer_class = DocumentSerializer
    queryset = Document.objects.none()  # for the schema; get_queryset filters by permission
    pagination_class = CappedPageNumberPagination
    permission_classes = [HasRulePermission]
    perms = {"*": "core.access_staff", "create": "documents.register"}
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Document]:
        params = self.request.query_params
        if self.action != "list":
            return selectors.visible_documents(self.request.user)

        def number(name: str) -> int | None:
            value = params.get(name, "")
            if value and not value.isdigit():
                raise ValidationError({name: ["Очікується ціле число."]})
            return int(value) if value else None

        from django.utils.dateparse import parse_date

        def day(name: str) -> Any:
            value = params.get(name, "")
            try:
                parsed = parse_date(value) if value else None
            except ValueError:
                parsed = None
            if value and parsed is None:
                raise ValidationError({name: ["Невірна дата, очікується РРРР-ММ-ДД."]})
            return parsed

        control = params.get("control", "")
        if control and control not in selectors.CONTROL_FILTERS:
            raise ValidationError({"control": ["Невідоме значення."]})
        criteria = selectors.DocumentFilter(
            query=params.get("q", "")[:200],
            journal_id=number("journal"),
            direction=params.get("direction", "")
            if params.get("direction") in Journal.Kind.values
            else "",
            start=day("start"),
            end=day("end"),
            correspondent_id=number("correspondent"),
            executor_id=number("executor"),
            control=control,
        )
        return selectors.documents_list(user=self.request.user, criteria=criteria)

    def get_object(self) -> Document:
        pk = str(self.kwargs.get("pk", ""))
        document = selectors.document_for_page(int(pk)) if pk.isdigit() else None
        if document is None or not self.request.user.has_perm("documents.view_document", document):
            raise NotFound
        return document

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        document = self.get_object()
        audit_view(request=request, target=document)
        return Response(DocumentDetailSerializer(document).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = DocumentRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def produce() -> Response:
            journal = _get(Journal, data["journal"], "journal", "Невідомий журнал.")
            linked = {}
            for name in ("answer_to", "follow_up_of"):
                doc = _get(Document, data.get(name), name, "Документ не знайдено.")
                if doc is not None and not request.user.has_perm("documents.view_document", doc):
                    raise ValidationError({name: ["Документ не знайдено."]})
                linked[name] = doc
            card = services.Card(
                summary=data["summary"],
                doc_kind=data["doc_kind"],
                correspondent=_get(
                    Correspondent,
                    data.get("correspondent"),
                    "correspondent",
                    "Невідомий кореспондент.",
                ),
                correspondent_number=data["correspondent_number"],
                correspondent_date=data.get("correspondent_date"),
                received_date=data.get("received_date"),
                channel=data["channel"],
                pages=data["pages"],
                attachments_count=data["attachments_count"],
                access=data["access"],
                case_file=_get(CaseFile, data.get("case_file"), "case_file", "Невідома справа."),
                addressee=_get(User, data.get("addressee"), "addressee", "Невідомий адресат."),
                **linked,
            )
            document = services.document_register(journal=journal, actor=_actor(request), card=card)
            return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

        return idempotent(
            request, endpoint="documents.register", data=request.data, produce=produce
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        document = self.get_object()
        # Someone who may not correct the card learns nothing about it: not found.
        if not request.user.has_perm("documents.change_document", document):
            raise NotFound
        serializer = DocumentCardSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        lookups = {
            "correspondent": (Correspondent, "Невідомий кореспондент."),
            "case_file": (CaseFile, "Невідома справа."),
            "addressee": (User, "Невідомий адресат."),
        }
        for name, (model, message) in lookups.items():
            if name in changes:
                changes[name] = _get(model, changes[name], name, message)
        services.document_update_card(document_id=document.pk, actor=_actor(request), **changes)
        return Response(DocumentDetailSerializer(selectors.document_for_page(document.pk)).data)

    @extend_schema(
        summary="Додати файл до документа (multipart)",
        request={"multipart/form-data": FileUploadSerializer},
        responses={201: DocumentFileSerializer},
    )
    @action(detail=True, methods=["post"])
    def files(self, request: Request, pk: str | None = None) -> Response:
        document = self.get_object()
        serializer = FileUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        doc_file = services.document_attach_file(
            document_id=document.pk,
            actor=_actor(request),
            upload=data["file"],
            kind=data["kind"],
            title=data["title"],
        )
        return Response(DocumentFileSerializer(doc_file).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Довідник кореспондентів",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="назва, код, ЄДРПОУ")],
    ),
    create=extend_schema(
        summary="Додати кореспондента",
        request=CorrespondentSerializer,
        responses={201: CorrespondentSerializer},
    ),
)
class CorrespondentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Correspondent]
):
    serializer_class = CorrespondentSerializer
    permission_classes = [HasRulePermission]
    perms = {"*": "core.access_staff", "create": "documents.manage_correspondents"}

    def get_queryset(self) -> QuerySet[Correspondent]:
        query = self.request.query_params.get("q", "")[:100]
        if self.action == "list" and query.strip():
            return Correspondent.objects.filter(
                pk__in=selectors.correspondents_search(query, limit=100).values("pk")
            ).order_by("name", "pk")
        return Correspondent.objects.filter(is_active=True).order_by("name", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CorrespondentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        correspondent = services.correspondent_create(
            actor=_actor(request), **serializer.validated_data
        )
        return Response(CorrespondentSerializer(correspondent).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="Журнали реєстрації"))
class JournalViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Journal]):
    serializer_class = JournalSerializer
    permission_classes = [HasRulePermission]
    perms = {"*": "core.access_staff"}

    def get_queryset(self) -> QuerySet[Journal]:
        return Journal.objects.select_related("body").order_by("body__path", "order", "code")
