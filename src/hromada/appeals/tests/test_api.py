"""REST API of appeals: registration with Idempotency-Key, lists, cards, status, answers."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hromada.accounts.factories import UserFactory
from hromada.accounts.models import User
from hromada.appeals.factories import register
from hromada.appeals.models import Answer, Appeal
from hromada.control import services as control
from hromada.control.factories import Org, make_org
from hromada.core.classifiers import load_builtin_classifiers
from hromada.core.models import AuditEvent

pytestmark = pytest.mark.django_db

Api = Callable[[User], APIClient]


@pytest.fixture
def api() -> Api:
    def as_user(user: User) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return as_user


def payload(org: Org, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "body": org.d.code,
        "channel": "hotline",
        "surname": "Мельник",
        "given_name": "Петро",
        "patronymic": "Іванович",
        "address": "вул. Центральна, 5",
        "phone": "+380 50 765 43 21",
        "text": "Третій день немає холодної води в будинку.",
        "summary": "Немає холодної води",
        "topics": ["109"],
        "needs_study": False,
        "source_ref": "CC-2026-0001",
    }
    data.update(changes)
    return data


URL = "/api/v1/appeals/"


def test_schema_documents_the_appeals_endpoints_without_warnings(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    validate_schema(schema)
    for path in (
        "/api/v1/appeals/",
        "/api/v1/appeals/{id}/",
        "/api/v1/appeals/status/",
        "/api/v1/appeals/{id}/answers/",
        "/api/v1/appeals/{id}/answers/{answer_id}/sign/",
        "/api/v1/appeals/{id}/answers/{answer_id}/send/",
    ):
        assert path in schema["paths"]
    params = schema["paths"]["/api/v1/appeals/"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in params)
    err = io.StringIO()
    call_command("spectacular", "--file", "/dev/null", stderr=err)
    ours = [line for line in err.getvalue().splitlines() if "appeals" in line.lower()]
    assert ours == []


def test_operator_registers_a_call_and_gets_index_and_tracking_code(api: Api, org: Org) -> None:
    response = api(org.operator).post(URL, payload(org), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["appeal"]["reg_index"] == "1"
    assert body["appeal"]["state"] == "registered"
    assert body["appeal"]["channel"] == "hotline"
    assert len(body["tracking_code"]) == 8
    appeal = Appeal.objects.get()
    assert (appeal.how_received, appeal.appeal_type) == ("1.1.1", "6.3")
    assert appeal.registered_by == org.operator


def test_retry_with_the_same_key_registers_once(api: Api, org: Org) -> None:
    client = api(org.operator)
    first = client.post(URL, payload(org), format="json", HTTP_IDEMPOTENCY_KEY="call-77")
    again = client.post(URL, payload(org), format="json", HTTP_IDEMPOTENCY_KEY="call-77")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["appeal"]["id"] == first.json()["appeal"]["id"]
    assert again.json()["replayed"] is True
    assert Appeal.objects.count() == 1


def test_same_key_with_a_different_body_is_refused_with_422(api: Api, org: Org) -> None:
    client = api(org.operator)
    client.post(URL, payload(org), format="json", HTTP_IDEMPOTENCY_KEY="call-78")
    other = client.post(
        URL, payload(org, text="Інший текст"), format="json", HTTP_IDEMPOTENCY_KEY="call-78"
    )
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]
    assert Appeal.objects.count() == 1


def test_idempotency_keys_are_scoped_per_user(api: Api, org: Org) -> None:
    from hromada.accounts.roles import Role
    from hromada.control.factories import person

    second_operator = person(org.d, Role.OPERATOR, email="op2@example.org")
    api(org.operator).post(URL, payload(org), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    response = api(second_operator).post(
        URL,
        payload(org, surname="Шевчук", phone="0509998877", confirm_not_duplicate=True),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert response.status_code == 201
    assert Appeal.objects.count() == 2


def test_too_long_idempotency_key_is_refused(api: Api, org: Org) -> None:
    response = api(org.operator).post(
        URL, payload(org), format="json", HTTP_IDEMPOTENCY_KEY="x" * 101
    )
    assert response.status_code == 400
    assert not Appeal.objects.exists()


def test_registration_without_permission_over_the_body_is_refused(api: Api, org: Org) -> None:
    response = api(org.spec_d).post(URL, payload(org), format="json")
    assert response.status_code == 403
    assert not Appeal.objects.exists()


def test_a_citizen_token_may_not_register(api: Api, org: Org) -> None:
    citizen = UserFactory()
    assert api(citizen).post(URL, payload(org), format="json").status_code == 403


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"topics": ["999"]}, "topics"),
        ({"email": "не-пошта", "phone": ""}, "email"),
        ({"text": ""}, "text"),
        ({"channel": "web"}, "channel"),
        ({"body": "NOPE"}, "body"),
        ({"channel": "api", "email": "", "phone": ""}, "email"),
    ],
)
def test_bad_input_gets_a_ukrainian_message_and_nothing_registered(
    api: Api, org: Org, changes: dict[str, Any], field: str
) -> None:
    response = api(org.operator).post(URL, payload(org, **changes), format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert any("а" <= ch <= "я" for ch in body["detail"] + str(body["errors"]))
    assert not Appeal.objects.exists()


def test_a_field_of_the_wrong_type_gets_its_message_in_ukrainian(api: Api, org: Org) -> None:
    # DRF's own Ukrainian catalogue lacks this message; hromada's (locale/uk) supplies it.
    response = api(org.operator).post(URL, payload(org, needs_study="maybe"), format="json")

    assert response.status_code == 400
    message = "Має бути логічне значення (true або false)."
    assert response.json()["errors"]["needs_study"] == [message]
    assert not Appeal.objects.exists()


def test_a_body_that_is_not_json_gets_a_ukrainian_message(api: Api, org: Org) -> None:
    # DRF words its parser's error in English ("JSON parse error - Expecting value…").
    response = api(org.operator).post(URL, "не json", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Тіло запиту не вдалося прочитати: перевірте, що це правильний JSON.",
        "errors": {},
    }
    assert not Appeal.objects.exists()


def test_html_in_the_text_is_kept_as_text(api: Api, org: Org) -> None:
    text = "<script>alert('x')</script> Прошу полагодити ліхтар"
    response = api(org.operator).post(URL, payload(org, text=text), format="json")
    assert response.status_code == 201
    assert Appeal.objects.get().text == text


def test_list_shows_only_visible_appeals_with_filters(api: Api, org: Org) -> None:
    ours = register(org).appeal
    register(org, surname="Бондар", phone="0671110000", needs_study=False)
    listed = api(org.operator).get(URL).json()
    assert listed["count"] == 2
    assert api(org.outsider).get(URL).json()["count"] == 0
    assert api(org.head_x).get(URL).json()["count"] == 0
    only = api(org.operator).get(URL, {"index": ours.reg_index}).json()
    assert [a["id"] for a in only["results"]] == [ours.pk]
    by_topic = api(org.operator).get(URL, {"topic": "109", "state": "registered"}).json()
    assert by_topic["count"] == 2
    assert api(org.operator).get(URL, {"state": "nonsense"}).status_code == 400
    assert api(org.operator).get(URL, {"start": "31.02.2026"}).status_code == 400


def test_detail_is_audited_and_hidden_from_others_by_any_id(api: Api, org: Org) -> None:
    appeal = register(org).appeal
    ok = api(org.operator).get(f"{URL}{appeal.pk}/")
    assert ok.status_code == 200
    assert ok.json()["text"].startswith("Прошу відновити")
    assert AuditEvent.objects.filter(action="appeals.appeal.viewed").exists()
    citizen = UserFactory()
    for user in (org.outsider, org.head_x, citizen):
        client = api(user)
        for pk in (appeal.pk, appeal.pk + 1, 999999):
            assert client.get(f"{URL}{pk}/").status_code == 404
            assert client.get(f"{URL}{pk}/answers/").status_code == 404
            response = client.post(
                f"{URL}{pk}/answers/", {"text": "x", "result": "9.1"}, format="json"
            )
            assert response.status_code == 404
            assert client.post(f"{URL}{pk}/answers/1/sign/", {}, format="json").status_code == 404
            send = client.post(f"{URL}{pk}/answers/1/send/", {"delivery": "post"}, format="json")
            assert send.status_code == 404
    assert api(org.operator).get(f"{URL}abc/").status_code == 404


def test_status_by_index_without_personal_data(api: Api, org: Org) -> None:
    appeal = register(org).appeal
    response = api(org.operator).get(f"{URL}status/", {"index": appeal.reg_index, "body": "D"})
    assert response.status_code == 200
    data = response.json()
    assert data["state"] == "registered"
    assert data["id"] == appeal.pk
    assert "surname" not in data
    assert "text" not in data
    assert api(org.outsider).get(f"{URL}status/", {"index": appeal.reg_index}).status_code == 404
    assert api(org.operator).get(f"{URL}status/", {"index": "777"}).status_code == 404
    assert api(org.operator).get(f"{URL}status/").status_code == 400


def test_answer_through_the_api_from_draft_to_sent(api: Api, org: Org) -> None:
    appeal = register(org).appeal
    control.resolution_create(
        item=appeal, actor=org.head_d, text="Розглянути", executors=[org.spec_d]
    )
    url = f"{URL}{appeal.pk}/answers/"
    no_result = api(org.spec_d).post(url, {"text": "Відповідь"}, format="json")
    assert no_result.status_code == 400
    assert "result" in no_result.json()["errors"]
    refused = api(org.spec_d).post(url, {"text": "Ні", "result": "9.2"}, format="json")
    assert refused.status_code == 400
    assert "grounds" in refused.json()["errors"]
    created = api(org.spec_d).post(
        url, {"text": "Світло відновлено.", "result": "9.1"}, format="json"
    )
    assert created.status_code == 201
    answer_id = created.json()["id"]
    by_executor = api(org.spec_d).post(f"{url}{answer_id}/sign/", {}, format="json")
    assert by_executor.status_code == 403
    signed = api(org.head_d).post(f"{url}{answer_id}/sign/", {}, format="json")
    assert signed.status_code == 200
    assert signed.json()["state"] == "signed"
    assert signed.json()["signer_name"] == org.head_d.full_name
    sent = api(org.operator).post(f"{url}{answer_id}/send/", {"delivery": "post"}, format="json")
    assert sent.status_code == 200
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.ANSWERED
    assert Answer.objects.get().state == Answer.State.SENT


def test_interim_answer_beyond_the_term_is_refused_through_the_api(api: Api, org: Org) -> None:
    appeal = register(org).appeal
    assert appeal.reg_date is not None
    response = api(org.operator).post(
        f"{URL}{appeal.pk}/answers/",
        {"kind": "interim", "text": "Роботи заплановано на травень.", "next_date": "2099-05-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "next_date" in response.json()["errors"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_register_once() -> None:
    load_builtin_classifiers()  # a transactional test may start after another one's flush
    org = make_org()
    token = Token.objects.create(user=org.operator)
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def send() -> None:
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
            barrier.wait(timeout=10)
            response = client.post(URL, payload(org), format="json", HTTP_IDEMPOTENCY_KEY="same")
            results.append(response.status_code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(results) == [200, 200, 201]
    assert Appeal.objects.count() == 1
