"""Paginators whose count stops at a cap: counting a million search hits is not worth it."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination

COUNT_CAP = 1000


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Count at most COUNT_CAP + 1 rows; `capped` tells that there are more."""

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list
        if not hasattr(rows, "values"):
            return len(rows)
        return int(rows.order_by().values("pk")[: COUNT_CAP + 1].count())

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


class CappedPageNumberPagination(PageNumberPagination):
    """DRF pagination with a capped count (`count` is at most COUNT_CAP + 1)."""

    django_paginator_class = CappedPaginator
