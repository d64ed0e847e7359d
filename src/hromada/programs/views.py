"""Staff and public screens of programmes (being written)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def progress_panel(request: HttpRequest) -> str | None:
    return None


def staff_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def progress(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
