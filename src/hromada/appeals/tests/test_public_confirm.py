"""Confirming a web-form appeal by the e-mailed link (no account): register once, expire."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from hromada.appeals import citizen
from hromada.appeals.factories import card
from hromada.appeals.models import Appeal, AppealEvent, WebSubmission
from hromada.appeals.public_forms import form_token
from hromada.control.factories import Org
from hromada.core.audit import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.HROMADA_APPEALS_MIN_FILL_SECONDS = 0
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "mail"],
        }
    }


def submit(client: Client, capture: Any) -> str:
    """Send the web form without an account; return the confirmation link's path."""
    data = {
        "surname": "Коваленко",
        "given_name": "Олена",
        "address": "вул. Свободи, 12",
        "email": "olena@example.org",
        "kind": "3.2",
        "topic": "109",
        "text": "Прошу відновити освітлення у дворі.",
        "consent": "on",
        "started": form_token(),
    }
    with capture(execute=True):
        assert client.post("/appeals/new/", data).status_code == 302
    match = re.search(r"https?://[^/\s]+(/appeals/confirm/[0-9a-f]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_confirmation_link_shows_a_button_and_registers_nothing_on_get(
    client: Client, org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    link = submit(client, django_capture_on_commit_callbacks)
    page = client.get(link)
    assert page.status_code == 200
    assert "Підтвердити звернення" in page.content.decode()
    assert Appeal.objects.get().state == Appeal.State.DRAFT  # e-mail scanners follow links


def test_confirming_registers_the_draft_and_sends_index_and_code(
    client: Client, org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    link = submit(client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.state == Appeal.State.REGISTERED
    assert appeal.reg_index
    assert appeal.seq == 1
    assert appeal.applicant is None
    assert WebSubmission.objects.get().confirmed_at is not None
    done = client.get(response["Location"]).content.decode()
    assert appeal.reg_index in done
    notice = mail.outbox[-1]
    assert notice.to == ["olena@example.org"]
    code = re.search(r": ([A-Z2-9]{8})\n", notice.body)
    assert code
    assert code.group(1) in done
    assert AuditEvent.objects.filter(action="appeals.web_submission.confirmed").exists()


def test_used_link_says_it_is_already_registered(
    client: Client, org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    link = submit(client, django_capture_on_commit_callbacks)
    client.post(link)
    again = client.post(link)
    assert again.status_code == 410
    assert "вже підтверджено і зареєстровано" in again.content.decode()
    assert Appeal.objects.filter(state=Appeal.State.REGISTERED).count() == 1
    assert AppealEvent.objects.filter(kind=AppealEvent.Kind.REGISTERED).count() == 1


def test_expired_link_is_refused_with_a_clear_message(
    client: Client, org: Org, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    link = submit(client, django_capture_on_commit_callbacks)
    WebSubmission.objects.update(
        created_at=timezone.now() - timedelta(hours=settings.HROMADA_APPEALS_CONFIRM_HOURS + 1)
    )
    response = client.post(link)
    assert response.status_code == 410
    assert "Строк дії посилання минув" in response.content.decode()
    assert Appeal.objects.get().state == Appeal.State.DRAFT


def test_forged_link_is_refused(client: Client, org: Org) -> None:
    response = client.get("/appeals/confirm/" + "0" * 64 + "/")
    assert response.status_code == 410
    assert "Посилання недійсне" in response.content.decode()


def test_link_after_the_office_registered_the_draft_says_so(
    client: Client, org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    link = submit(client, django_capture_on_commit_callbacks)
    draft = Appeal.objects.get()
    Appeal.objects.filter(pk=draft.pk).update(state=Appeal.State.REGISTERED, reg_index="77")
    response = client.get(link)
    assert response.status_code == 410
    assert "вже зареєстровано" in response.content.decode()


def test_token_is_not_stored_in_the_database(
    client: Client, org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    link = submit(client, django_capture_on_commit_callbacks)
    token = link.rstrip("/").rsplit("/", 1)[1]
    submission = WebSubmission.objects.get()
    assert token not in submission.token_hash


def test_confirm_service_registers_only_once(org: Org) -> None:
    submission = citizen.web_submission_create(card=card())
    token = citizen.confirm_link(submission).rstrip("/").rsplit("/", 1)[1]
    registered = citizen.web_submission_confirm(token=token)
    assert registered.appeal.state == Appeal.State.REGISTERED
    assert len(registered.tracking_code) == 8
    with pytest.raises(Exception, match="вже підтверджено"):
        citizen.web_submission_confirm(token=token)
