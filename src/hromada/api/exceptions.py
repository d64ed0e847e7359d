"""API errors as JSON: {"detail": ..., "errors": {field: [messages]}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hromada.core.exceptions import ApplicationError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn ApplicationError into a 400 and give every error a `detail` and `errors`."""
    if isinstance(exc, RequestDataTooBig):
        # Django would answer with an HTML page; an API client gets JSON.
        return Response({"detail": "Запит завеликий.", "errors": {}}, status=413)
    if isinstance(exc, ApplicationError):
        code = status.HTTP_403_FORBIDDEN if exc.code == "permission_denied" else 400
        errors = {exc.field: [exc.message]} if exc.field else {}
        return Response({"detail": exc.message, "code": exc.code, "errors": errors}, status=code)
    if isinstance(exc, ParseError):
        # DRF's JSON parser words it in English ("JSON parse error - Expecting value…").
        return Response(
            {
                "detail": "Тіло запиту не вдалося прочитати: перевірте, що це правильний JSON.",
                "errors": {},
            },
            status=400,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data and len(data) == 1:
        response.data = {"detail": data["detail"], "errors": {}}
    elif isinstance(data, dict):
        response.data = {"detail": "Перевірте введені дані.", "errors": data}
    elif isinstance(data, list):
        response.data = {"detail": "Перевірте введені дані.", "errors": {"non_field_errors": data}}
    return response
