"""Views that exist only for benchmarks (HROMADA_BENCH_VIEWS): ceilings to measure pages against.

`bench_insert` is the write ceiling: a POST that parses a small JSON body and inserts one
row in one transaction, through the same middleware as every page. What a write endpoint
costs beyond it is the endpoint's own work (bench/appeals_intake.py compares the appeals API
with it in the same run). Never routed unless HROMADA_BENCH_VIEWS is on (config/urls.py).
"""

from __future__ import annotations

import json
import secrets

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hromada.core.models import Counter

# Rows the ceiling writes are told apart from real journals by this prefix.
BENCH_PREFIX = "bench-insert:"


@csrf_exempt  # a benchmark endpoint, routed only with HROMADA_BENCH_VIEWS (no session use)
@require_POST
def bench_insert(request: HttpRequest) -> HttpResponse:
    """Insert one row with a unique key in one transaction; answer 201 with its id."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"detail": "invalid JSON"}, status=400)
    label = str(body.get("text", ""))[:20] if isinstance(body, dict) else ""
    with transaction.atomic():
        row = Counter.objects.create(
            journal=f"{BENCH_PREFIX}{secrets.token_hex(8)}{label}"[:100], year=1, value=1
        )
    return JsonResponse({"id": row.pk}, status=201)
