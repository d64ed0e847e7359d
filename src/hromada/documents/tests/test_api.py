from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hromada.control.models import Assignment, Resolution
from hromada.core.models import AuditEvent
from hromada.documents.factories import make_office, pdf, register
from hromada.documents.models import Document, IdempotentRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def as_user(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return as_user


def payload(office, **changes):
    today = timezone.localdate()
    data = {
        "journal": office.incoming.pk,
        "summary": "Про ремонт покрівлі",
        "correspondent": office.correspondent.pk,
        "correspondent_number": "15/3",
        "correspondent_date": (today - timedelta(days=1)).isoformat(),
        "received_date": today.isoformat(),
        "channel": "email",
        "addressee": office.org.head_d.pk,
    }
    data.update(changes)
    return data


def test_the_schema_documents_the_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    validate_schema(schema)
    for path in (
        "/api/v1/documents/",
        "/api/v1/documents/{id}/files/",
        "/api/v1/control/assignments/{id}/report/",
        "/api/v1/control/resolutions/",
        "/api/v1/control/extensions/{id}/decide/",
        "/api/v1/control/discipline/",
    ):
        assert path in schema["paths"]


def test_registering_returns_the_registration_index(api, office):
    response = api(office.org.operator).post("/api/v1/documents/", payload(office), format="json")
    assert response.status_code == 201
    assert response.json()["reg_index"] == "1"


def test_a_retried_registration_with_the_same_key_registers_once(api, office):
    client = api(office.org.operator)
    first = client.post(
        "/api/v1/documents/", payload(office), format="json", HTTP_IDEMPOTENCY_KEY="abc-1"
    )
    again = client.post(
        "/api/v1/documents/", payload(office), format="json", HTTP_IDEMPOTENCY_KEY="abc-1"
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Document.objects.count() == 1


def test_the_same_key_with_another_request_is_refused(api, office):
    client = api(office.org.operator)
    client.post("/api/v1/documents/", payload(office), format="json", HTTP_IDEMPOTENCY_KEY="k")
    other = client.post(
        "/api/v1/documents/",
        payload(office, summary="Інше"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert other.status_code == 422
    assert Document.objects.count() == 1


def test_a_failed_registration_leaves_the_key_free(api, office):
    client = api(office.org.operator)
    bad = client.post(
        "/api/v1/documents/",
        payload(office, correspondent=99999),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k2",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"]["correspondent"]
    assert not IdempotentRequest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"summary": ""}, "summary"),
        ({"received_date": "2999-01-01"}, "received_date"),
        ({"received_date": "31.12.2024"}, "received_date"),
        ({"journal": 99999}, "journal"),
        ({"correspondent": None}, "correspondent"),
    ],
)
def test_bad_registrations_get_field_errors_and_write_nothing(api, office, changes, field):
    response = api(office.org.operator).post(
        "/api/v1/documents/", payload(office, **changes), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Document.objects.exists()


def test_an_executor_cannot_register(api, office):
    response = api(office.org.spec_d).post("/api/v1/documents/", payload(office), format="json")
    assert response.status_code == 403


def test_attaching_a_file(api, office):
    document = register(office)
    response = api(office.org.operator).post(
        f"/api/v1/documents/{document.pk}/files/", {"file": pdf()}, format="multipart"
    )
    assert response.status_code == 201
    assert response.json()["versions"][0]["mime"] == "application/pdf"


def test_attaching_an_executable_is_refused(api, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = register(office)
    response = api(office.org.operator).post(
        f"/api/v1/documents/{document.pk}/files/",
        {"file": SimpleUploadedFile("x.pdf", b"MZ" + b"\0" * 64)},
        format="multipart",
    )
    assert response.status_code == 400
    assert not document.files.exists()


def test_a_restricted_document_is_not_found_for_others_and_audited_for_viewers(api, office):
    document = register(office, access=Document.Access.OFFICIAL)
    assert api(office.org.outsider).get(f"/api/v1/documents/{document.pk}/").status_code == 404
    assert api(office.org.operator).get(f"/api/v1/documents/{document.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="documents.document.viewed").count() == 1


def test_search_through_the_api(api, office):
    register(office, summary="Про виконання договору")
    register(office, summary="Про сміття")
    response = api(office.org.operator).get("/api/v1/documents/", {"q": "договір"})
    assert [d["summary"] for d in response.json()["results"]] == ["Про виконання договору"]


def test_the_whole_control_path_through_the_api(api, office):
    document = register(office)
    head = api(office.org.head_d)
    created = head.post(
        "/api/v1/control/resolutions/",
        {
            "item_type": "documents.document",
            "item_id": document.pk,
            "text": "Підготувати відповідь",
            "executors": [office.org.spec_d1.pk],
            "term_days": 10,
            "controller": office.org.controller.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    executor = api(office.org.spec_d1)
    mine = executor.get("/api/v1/control/assignments/").json()["results"]
    assert len(mine) == 1
    pk = mine[0]["id"]
    assert executor.post(f"/api/v1/control/assignments/{pk}/accept/").json()["state"] == "accepted"
    extension = executor.post(
        f"/api/v1/control/assignments/{pk}/extend/",
        {
            "new_due_date": (timezone.localdate() + timedelta(days=60)).isoformat(),
            "reason": "Потрібні дані",
        },
        format="json",
    )
    assert extension.status_code == 201
    decided = head.post(
        f"/api/v1/control/extensions/{extension.json()['id']}/decide/",
        {"approve": False, "note": "Ні"},
        format="json",
    )
    assert decided.json()["state"] == "rejected"
    report = executor.post(
        f"/api/v1/control/assignments/{pk}/report/",
        {"text": "Відповідь надано", "files": [pdf()]},
        format="multipart",
    )
    assert report.status_code == 201
    controller = api(office.org.controller)
    to_review = controller.get("/api/v1/control/assignments/", {"view": "review"}).json()
    assert [a["id"] for a in to_review["results"]] == [pk]
    done = controller.post(
        f"/api/v1/control/assignments/{pk}/review/", {"accept": True}, format="json"
    )
    assert done.json()["state"] == "done"
    assert Resolution.objects.get().control_state == "removed"
    document.refresh_from_db()
    assert document.state == Document.State.EXECUTED


def test_an_executor_outside_authority_is_refused_through_the_api(api, office):
    document = register(office)
    response = api(office.org.head_d).post(
        "/api/v1/control/resolutions/",
        {
            "item_type": "documents.document",
            "item_id": document.pk,
            "text": "x",
            "executors": [office.org.outsider.pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "executors" in response.json()["errors"]
    assert not Assignment.objects.exists()


def test_another_persons_assignment_is_not_found_through_the_api(api, office):
    document = register(office)
    api(office.org.head_d).post(
        "/api/v1/control/resolutions/",
        {
            "item_type": "documents.document",
            "item_id": document.pk,
            "text": "x",
            "executors": [office.org.spec_d1.pk],
        },
        format="json",
    )
    pk = Assignment.objects.get().pk
    response = api(office.org.outsider).post(f"/api/v1/control/assignments/{pk}/accept/")
    assert response.status_code == 404


def test_discipline_through_the_api(api, office):
    response = api(office.org.head_d).get("/api/v1/control/discipline/")
    assert response.status_code == 200
    assert response.json()["rows"] == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_register_once():
    office = make_office()
    token = Token.objects.create(user=office.org.operator)
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def send():
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
            barrier.wait(timeout=10)
            response = client.post(
                "/api/v1/documents/", payload(office), format="json", HTTP_IDEMPOTENCY_KEY="same"
            )
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
    assert results == [201, 201, 201]
    assert Document.objects.count() == 1


# --- correcting a registered card -------------------------------------------------------------
def test_patch_corrects_the_given_card_fields(api, office):
    document = register(office)
    response = api(office.org.operator).patch(
        f"/api/v1/documents/{document.pk}/",
        {"summary": "Про ремонт даху", "pages": 4},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["summary"] == "Про ремонт даху"
    document.refresh_from_db()
    assert (document.pages, document.reg_index) == (4, "1")
    event = AuditEvent.objects.get(action="documents.document.changed")
    assert set(event.data["changed"]) == {"summary", "pages"}


def test_patch_of_another_users_document_is_not_found(api, office):
    from hromada.accounts.roles import Role
    from hromada.control.factories import person

    stranger = person(office.org.x, Role.OPERATOR, email="operator-x@example.org")
    document = register(office)
    response = api(stranger).patch(
        f"/api/v1/documents/{document.pk}/", {"summary": "Інше"}, format="json"
    )
    assert response.status_code == 404
    document.refresh_from_db()
    assert document.summary != "Інше"


def test_patch_with_an_unknown_correspondent_is_refused(api, office):
    document = register(office)
    response = api(office.org.operator).patch(
        f"/api/v1/documents/{document.pk}/", {"correspondent": 999999}, format="json"
    )
    assert response.status_code == 400
    document.refresh_from_db()
    assert document.correspondent_id == office.correspondent.pk


def test_patch_cannot_change_the_registration_index(api, office):
    document = register(office)
    response = api(office.org.operator).patch(
        f"/api/v1/documents/{document.pk}/", {"reg_index": "999", "summary": "Інше"}, format="json"
    )
    document.refresh_from_db()
    assert document.reg_index == "1"
    assert response.status_code == 200  # unknown fields are ignored; the summary changed
    assert document.summary == "Інше"
