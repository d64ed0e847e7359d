import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from hromada.accounts.services import token_create
from hromada.control.factories import Org

pytestmark = pytest.mark.django_db


def test_count(org: Org, settings) -> None:
    settings.HROMADA_APPEALS_DEFAULT_BODY = "D"
    token = token_create(actor=None, user=org.operator)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = {"surname": "Петренко", "given_name": "Іван", "address": "вул. 1", "phone": "+380671112233",
            "text": "Прошу", "topics": ["109"], "channel": "api"}
    r = client.post("/api/v1/appeals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k0")
    assert r.status_code == 201, r.content
    body["surname"] = "Сидоренко"; body["phone"] = "+380671112234"
    with CaptureQueriesContext(connection) as ctx:
        r = client.post("/api/v1/appeals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert r.status_code == 201, r.content
    for q in ctx.captured_queries:
        print(q["sql"][:200])
    print("QUERIES", len(ctx.captured_queries))
