"""Idempotent API writes: a request retried with the same Idempotency-Key gets the first answer.

The key row is inserted inside the write's transaction, before the write: a concurrent
retry waits on the unique key until the first commits, then replays its stored response;
if the first fails, its key row goes with it and the retry does the work.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, cast

from django.db import IntegrityError, transaction
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from hromada.accounts.models import User
from hromada.documents.models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY = 100


def _request_hash(data: Any) -> str:
    payload = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def idempotent(
    request: Request, *, endpoint: str, data: Any, produce: Callable[[], Response]
) -> Response:
    """Run `produce` once per (user, key, endpoint); replay its response on a retry."""
    user = cast(User, request.user)
    key = request.headers.get(HEADER, "")
    if not key:
        return produce()
    if len(key) > MAX_KEY or not key.isprintable():
        raise ValidationError({HEADER: [f"Ключ має бути до {MAX_KEY} друкованих символів."]})
    digest = _request_hash(data)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    user=user,
                    key=key,
                    endpoint=endpoint,
                    request_hash=digest,
                    status_code=0,
                    response={},
                )
        except IntegrityError:
            record = IdempotentRequest.objects.select_for_update().get(
                user=user, key=key, endpoint=endpoint
            )
            if record.request_hash != digest:
                return Response(
                    {
                        "detail": "Цей Idempotency-Key уже використано з іншим запитом.",
                        "errors": {},
                    },
                    status=status.HTTP_422_UNPROCESSABLE_ENTITY,
                )
            replay = Response(record.response, status=record.status_code)
            replay["Idempotent-Replayed"] = "true"
            return replay
        response = produce()
        record.status_code = response.status_code
        record.response = json.loads(JSONRenderer().render(response.data))
        record.save(update_fields=["status_code", "response"])
        return response
