"""REST endpoints of appeals (/api/v1/appeals/…) for hotline and contact-centre integrations.

- ``POST /appeals/`` registers an appeal through the one registration path
  (``services.appeal_register``), as a member of staff holding ``appeals.register`` over
  the body. An ``Idempotency-Key`` header makes it safe to retry: the key is scoped per
  user and kept on the appeal with a hash of the request; the same key again replays the
  registration, the same key with another body is refused (422). Concurrent retries meet
  at the unique index on ``Appeal.idempotency_key``.
- ``GET /appeals/`` (visible appeals, filters), ``GET /appeals/{id}/`` (audited view),
  ``GET /appeals/status/?index=`` (status without personal data), and the answers:
  ``POST /appeals/{id}/answers/``, ``…/answers/{answer_id}/sign/``, ``…/send/``.

Anyone who may not see an appeal gets 404, whatever its id.
"""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from typing import Any, cast

from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from hromada.accounts.models import OrgUnit, User
from hromada.appeals import answers, selectors, services
from hromada.appeals.api_parse import LeanParser
from hromada.appeals.models import Answer, Appeal, Channel
from hromada.appeals.serializers import (
    AnswerCreateSerializer,
    AnswerSendSerializer,
    AnswerSerializer,
    AnswerSignSerializer,
    AppealDetailSerializer,
    AppealRegisterSerializer,
    AppealSerializer,
    AppealStatusSerializer,
    RegisteredSerializer,
    appeal_data,
)
from hromada.core.audit import audit_view

HEADER = "Idempotency-Key"
MAX_KEY = 100
COUNT_CAP = 1000
LIST_FILTERS = ("state", "channel", "body", "topic", "due_before", "due_after", "start", "end")
_REGISTER_PARSER = LeanParser(AppealRegisterSerializer)


class _CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Count at most COUNT_CAP + 1 rows: counting a million visible appeals is not worth it."""

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list
        return int(rows.order_by().values("pk")[: COUNT_CAP + 1].count())


class AppealPagination(PageNumberPagination):
    django_paginator_class = _CappedPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _is_staff(request: Request) -> bool:
    return bool(request.user.has_perm("core.access_staff"))


def _request_hash(data: Any) -> str:
    payload = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def scoped_key(user: User, key: str) -> str:
    """Return the stored form of a client's Idempotency-Key: its user's id and a hash."""
    return f"api:{user.pk}:{hashlib.sha256(key.encode()).hexdigest()[:64]}"


def _day(params: Any, name: str) -> Any:
    value = params.get(name, "")
    try:
        parsed = parse_date(value) if value else None
    except ValueError:
        parsed = None
    if value and parsed is None:
        raise ValidationError({name: ["Невірна дата, очікується РРРР-ММ-ДД."]})
    return parsed


REGISTER_DESCRIPTION = (
    "Реєструє звернення з гарячої лінії чи контакт-центру (канал «api» або телефонний канал) "
    "у журналі органу `body` (типово — виконавчий комітет). Потрібне право appeals.register "
    "над органом.\n\n"
    "Заголовок **Idempotency-Key** (до 100 друкованих символів, окремо для кожного "
    "користувача) робить реєстрацію безпечною для повторів: повторений запит із тим самим "
    "ключем і тим самим тілом повертає вже зареєстроване звернення (200, "
    "`replayed: true`, `Idempotent-Replayed: true`) і не реєструє його вдруге; той самий ключ "
    "з іншим тілом — 422."
)


@extend_schema_view(
    list=extend_schema(
        summary="Звернення, які бачить користувач",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=Appeal.State.values),
            OpenApiParameter("channel", OpenApiTypes.STR, enum=Channel.values),
            OpenApiParameter("body", OpenApiTypes.STR, description="код органу"),
            OpenApiParameter("topic", OpenApiTypes.STR, description="код питання (858)"),
            OpenApiParameter("index", OpenApiTypes.STR, description="реєстраційний індекс"),
            OpenApiParameter("due_before", OpenApiTypes.DATE),
            OpenApiParameter("due_after", OpenApiTypes.DATE),
            OpenApiParameter("start", OpenApiTypes.DATE, description="зареєстровано з"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="зареєстровано по"),
        ],
    ),
    retrieve=extend_schema(summary="Картка звернення (перегляд фіксується в журналі аудиту)"),
    create=extend_schema(
        summary="Зареєструвати звернення (гаряча лінія, контакт-центр)",
        description=REGISTER_DESCRIPTION,
        parameters=[OpenApiParameter(HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER)],
        request=AppealRegisterSerializer,
        responses={201: RegisteredSerializer, 200: RegisteredSerializer},
    ),
)
class AppealViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Appeal]
):
    """Appeals for integrations: registration, lists, cards, status, answers."""

    serializer_class = AppealSerializer
    queryset = Appeal.objects.none()  # for the schema; get_queryset filters by visibility
    pagination_class = AppealPagination
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "head", "options"]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Lists and writes are for staff; an id-bearing URL answers 404 to anyone else.
        if self.action in ("list", "create", "status") and not _is_staff(request):
            raise PermissionDenied

    def get_queryset(self) -> QuerySet[Appeal]:
        qs = selectors.visible_appeals(self.request.user).exclude(state=Appeal.State.DRAFT)
        if self.action != "list":
            return qs
        params = self.request.query_params
        state = params.get("state", "")
        if state:
            if state not in Appeal.State.values:
                raise ValidationError({"state": ["Невідомий стан."]})
            qs = qs.filter(state=state)
        channel = params.get("channel", "")
        if channel:
            if channel not in Channel.values:
                raise ValidationError({"channel": ["Невідомий канал."]})
            qs = qs.filter(channel=channel)
        if params.get("body"):
            qs = qs.filter(unit__code=params["body"][:50])
        if params.get("topic"):
            qs = qs.filter(topics__code=params["topic"][:30])
        if params.get("index"):
            qs = qs.filter(reg_index=params["index"][:100])
        for name, lookup in (
            ("due_before", "due_date__lte"),
            ("due_after", "due_date__gte"),
            ("start", "reg_date__gte"),
            ("end", "reg_date__lte"),
        ):
            day = _day(params, name)
            if day is not None:
                qs = qs.filter(**{lookup: day})
        return (
            qs.select_related("unit")
            .prefetch_related("topics")
            .order_by("-reg_date", "-seq", "-pk")
            .distinct()
        )

    def get_object(self) -> Appeal:
        pk = str(self.kwargs.get("pk", ""))
        appeal = (
            Appeal.objects.select_related("unit", "applicant").filter(pk=int(pk)).first()
            if pk.isdigit() and len(pk) < 18
            else None
        )
        if (
            appeal is None
            or appeal.state == Appeal.State.DRAFT
            or not _is_staff(self.request)
            or not self.request.user.has_perm("appeals.view_appeal", appeal)
        ):
            raise NotFound
        return appeal

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        appeal = self.get_object()
        audit_view(request=request, target=appeal, what="api")
        appeal = (
            Appeal.objects.select_related("unit")
            .prefetch_related("topics", "events", "answers__signer")
            .get(pk=appeal.pk)
        )
        return Response(AppealDetailSerializer(appeal).data)

    # --- registration -------------------------------------------------------------------

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = _actor(request)
        key = request.headers.get(HEADER, "")
        if key and (len(key) > MAX_KEY or not key.isprintable()):
            raise ValidationError({HEADER: [f"Ключ має бути до {MAX_KEY} друкованих символів."]})
        # Well-formed JSON is read by the lean parser (what the serializer would give); any
        # other input goes through the serializer, which reports its errors as always.
        data = _REGISTER_PARSER.parse(request.data)
        if data is None:
            serializer = AppealRegisterSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        digest = _request_hash(request.data)
        stored_key = scoped_key(user, key) if key else ""
        body = self._body(data.get("body", ""))
        card = services.AppealCard(
            text=data["text"],
            surname=data.get("surname", ""),
            given_name=data.get("given_name", ""),
            patronymic=data.get("patronymic", ""),
            address=data.get("address", ""),
            district=data.get("district", ""),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            sex=data.get("sex", ""),
            category=data.get("category", ""),
            social_status=data.get("social_status", ""),
            subject=data["subject"],
            signatories=data["signatories"],
            kind=data["kind"],
            summary=data.get("summary", ""),
            topics=data["topics"],
            needs_study=data["needs_study"],
            written_date=data.get("written_date"),
            consent=data["consent"],
            source_ref=data.get("source_ref", ""),
            confirm_anonymous=data["confirm_anonymous"],
            confirm_not_duplicate=data["confirm_not_duplicate"],
        )
        # One transaction, the service's own: the key's earlier appeal is looked up there
        # (a retry is answered with it) and the request's hash is written with the row.
        try:
            registered = services.appeal_register(
                actor=user,
                body=body,
                channel=data["channel"],
                card=card,
                idempotency_key=stored_key,
                idempotency_hash=digest,
            )
        except IntegrityError:
            # A concurrent retry with the same key committed first: answer as a retry.
            previous = (
                Appeal.objects.filter(idempotency_key=stored_key).first() if stored_key else None
            )
            if previous is None:
                raise
            return self._replay(previous, digest)
        if not registered.tracking_code:  # the service found the key already registered
            return self._replay(registered.appeal, digest)
        # The response is made from the registered appeal as it is in memory (the row, its
        # body and its topics were just written): no second read.
        topics = [t for t in dict.fromkeys(c.strip() for c in data["topics"]) if t]
        payload = {
            "appeal": appeal_data(registered.appeal, topics=topics),
            "tracking_code": registered.tracking_code,
            "replayed": False,
            "repeated_of": [a.reg_index for a in registered.related.repeated],
        }
        return Response(payload, status=status.HTTP_201_CREATED)

    def _body(self, code: str) -> OrgUnit:
        # The body's journal comes with it (services.journal_for then reads nothing).
        if not code:
            return selectors.default_body(with_journal=True)
        body = selectors.body_with_journal(code[:50])
        if body is None:
            raise ValidationError({"body": ["Невідомий орган."]})
        return body

    def _replay(self, appeal: Appeal, digest: str) -> Response:
        if appeal.idempotency_hash and appeal.idempotency_hash != digest:
            return Response(
                {"detail": "Цей Idempotency-Key уже використано з іншим запитом.", "errors": {}},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        appeal = Appeal.objects.select_related("unit").prefetch_related("topics").get(pk=appeal.pk)
        response = Response(
            {
                "appeal": AppealSerializer(appeal).data,
                "tracking_code": None,
                "replayed": True,
                "repeated_of": [],
            },
            status=status.HTTP_200_OK,
        )
        response["Idempotent-Replayed"] = "true"
        return response

    # --- status by index ----------------------------------------------------------------

    @extend_schema(
        summary="Стан звернення за реєстраційним індексом (без персональних даних)",
        parameters=[
            OpenApiParameter("index", OpenApiTypes.STR, required=True),
            OpenApiParameter("body", OpenApiTypes.STR, description="код органу"),
            OpenApiParameter("year", OpenApiTypes.INT, description="рік реєстрації"),
        ],
        responses={200: AppealStatusSerializer},
    )
    @action(detail=False, methods=["get"])
    def status(self, request: Request) -> Response:
        params = request.query_params
        index = params.get("index", "").strip()[:100]
        if not index:
            raise ValidationError({"index": ["Вкажіть реєстраційний індекс."]})
        condition = Q(reg_index=index)
        if params.get("body"):
            condition &= Q(unit__code=params["body"][:50])
        year = params.get("year", "")
        if year:
            if not year.isdigit() or len(year) != 4:
                raise ValidationError({"year": ["Очікується рік, напр. 2026."]})
            condition &= Q(year=int(year))
        found = [
            a
            for a in Appeal.objects.filter(condition)
            .exclude(state=Appeal.State.DRAFT)
            .select_related("unit")
            .order_by("-reg_date", "-pk")[:20]
            if request.user.has_perm("appeals.view_appeal", a)
        ]
        if not found:
            raise NotFound
        appeal = found[0]
        return Response(
            AppealStatusSerializer(
                {
                    "id": appeal.pk,
                    "reg_index": appeal.reg_index,
                    "reg_date": appeal.reg_date,
                    "body": appeal.unit.code,
                    "state": appeal.state,
                    "state_label": appeal.get_state_display(),
                    "due_date": appeal.due_date,
                    "result": appeal.result,
                    "answered_at": appeal.answered_at,
                    "closed_at": appeal.closed_at,
                }
            ).data
        )

    # --- answers ------------------------------------------------------------------------

    @extend_schema(
        methods=["post"],
        summary="Підготувати проєкт відповіді",
        description=(
            "Остаточна відповідь (`final`) вимагає результату 9.1, 9.2 або 9.3; відмова (9.2) — "
            "підстав (`grounds`). Проміжна (`interim`) вимагає нового строку `next_date`, не "
            "пізніше строку розгляду звернення."
        ),
        request=AnswerCreateSerializer,
        responses={201: AnswerSerializer},
    )
    @extend_schema(
        methods=["get"], summary="Відповіді на звернення", responses=AnswerSerializer(many=True)
    )
    @action(detail=True, methods=["get", "post"], url_path="answers")
    def answers(self, request: Request, pk: str | None = None) -> Response:
        appeal = self.get_object()
        if request.method == "GET":
            return Response(AnswerSerializer(answers.answers_of(appeal), many=True).data)
        serializer = AnswerCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        answer = answers.answer_prepare(
            actor=_actor(request),
            appeal_id=appeal.pk,
            kind=data["kind"],
            text=data["text"],
            result=data.get("result", ""),
            grounds=data.get("grounds", ""),
            next_date=data.get("next_date"),
            template=data.get("template", ""),
        )
        return Response(AnswerSerializer(answer).data, status=status.HTTP_201_CREATED)

    def _answer(self, appeal: Appeal, answer_id: str) -> Answer:
        answer = (
            answers.answers_of(appeal).filter(pk=int(answer_id)).first()
            if answer_id.isdigit() and len(answer_id) < 18
            else None
        )
        if answer is None:
            raise NotFound
        return answer

    @extend_schema(
        summary="Підписати відповідь (керівник)",
        description=(
            "`signature_kind=qes` з контейнером підпису в `signature_data` — точка інтеграції "
            "кваліфікованого електронного підпису."
        ),
        request=AnswerSignSerializer,
        responses={200: AnswerSerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"answers/(?P<answer_id>[0-9]+)/sign")
    def sign(self, request: Request, pk: str | None = None, answer_id: str = "") -> Response:
        appeal = self.get_object()
        answer = self._answer(appeal, answer_id)
        serializer = AnswerSignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signed = answers.answer_sign(
            actor=_actor(request),
            answer_id=answer.pk,
            signature_kind=serializer.validated_data["signature_kind"],
            signature_data=serializer.validated_data.get("signature_data", ""),
        )
        return Response(AnswerSerializer(signed).data)

    @extend_schema(
        summary="Надіслати підписану відповідь (e-mail з PDF, поштою, особисто)",
        request=AnswerSendSerializer,
        responses={200: AnswerSerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"answers/(?P<answer_id>[0-9]+)/send")
    def send(self, request: Request, pk: str | None = None, answer_id: str = "") -> Response:
        appeal = self.get_object()
        answer = self._answer(appeal, answer_id)
        serializer = AnswerSendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sent = answers.answer_send(
            actor=_actor(request),
            answer_id=answer.pk,
            delivery=serializer.validated_data["delivery"],
        )
        return Response(AnswerSerializer(sent).data)


ROUTES = [("appeals", AppealViewSet, "appeal")]
