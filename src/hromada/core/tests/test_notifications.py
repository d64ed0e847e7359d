"""Tests of notifications: created once, e-mailed once after commit, marked by the owner only."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from hromada.accounts.factories import UserFactory, staff_with_role
from hromada.accounts.roles import Role
from hromada.core.exceptions import ApplicationError
from hromada.core.models import Notification
from hromada.core.notifications import (
    notification_mark_read,
    notifications_for,
    notifications_mark_all_read,
    notify,
    unread_count,
)
from hromada.core.tasks import send_notification_email

pytestmark = pytest.mark.django_db

IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "mail"],
    }
}


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def person():
    return UserFactory(email="olena@example.org", given_name="Олена")


@pytest.fixture
def executor():
    return staff_with_role(Role.EXECUTOR, email="executor@example.org")


@pytest.fixture
def staff_client(client: Client, executor) -> Client:
    TOTP.activate(executor, generate_totp_secret())
    client.force_login(executor)
    return client


def _notify(recipient, key="appeal:1:registered", **kwargs):
    kwargs.setdefault("title", "Звернення К-1 зареєстровано")
    return notify(recipient=recipient, key=key, **kwargs)


# --- notify -----------------------------------------------------------------------------------


def test_notify_creates_an_unread_notification(person):
    notification = _notify(person, body="Текст", url="/cabinet/")
    assert notification is not None
    assert (notification.recipient, notification.read_at, notification.url) == (
        person,
        None,
        "/cabinet/",
    )


def test_notifying_twice_with_the_same_key_does_nothing(person):
    _notify(person)
    assert _notify(person, title="інший заголовок") is None
    assert Notification.objects.filter(recipient=person).count() == 1


def test_the_same_key_notifies_different_people(person, executor):
    _notify(person)
    _notify(executor)
    assert Notification.objects.count() == 2


def test_the_email_is_sent_after_commit(
    person, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = _notify(person, url="/cabinet/appeals/1/")
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olena@example.org"]
    assert "Звернення К-1 зареєстровано" in message.subject
    assert "http://127.0.0.1:8000/cabinet/appeals/1/" in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_the_email_goes_to_the_mail_queue(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(person)
    assert DBTaskResult.objects.filter(queue_name="mail").count() == 1


def test_a_rolled_back_notification_sends_nothing(
    person, immediate_tasks, django_capture_on_commit_callbacks
):
    def notify_then_fail() -> None:
        with transaction.atomic():
            _notify(person)
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        notify_then_fail()
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_no_email_is_queued_when_not_wanted(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        _notify(person, email=False)
    assert callbacks == []


def test_a_notification_is_emailed_once_even_if_the_task_runs_twice(person):
    notification = _notify(person)
    assert send_notification_email.call(notification_id=notification.pk) is True
    assert send_notification_email.call(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_no_email_without_an_address(person):
    notification = _notify(person)
    type(person).objects.filter(pk=person.pk).update(email="")
    assert send_notification_email.call(notification_id=notification.pk) is False
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_the_email_task_ignores_a_deleted_notification():
    assert send_notification_email.call(notification_id=987654) is False


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://evil.example/", "//evil.example/"])
def test_links_outside_hromada_are_refused(person, url):
    with pytest.raises(ValueError, match="local path"):
        _notify(person, url=url)


def test_a_long_title_is_cut_to_fit(person):
    notification = _notify(person, title="Дуже " * 100)
    assert len(notification.title) == 255
    assert notification.title.endswith("…")


# --- marking read -----------------------------------------------------------------------------


def test_a_person_marks_their_notification_read(person):
    notification = _notify(person)
    notification_mark_read(notification_id=notification.pk, actor=person)
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert unread_count(person) == 0


def test_nobody_marks_another_persons_notification(person, executor):
    notification = _notify(person)
    with pytest.raises(ApplicationError, match="не знайдено"):
        notification_mark_read(notification_id=notification.pk, actor=executor)
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_all_read_touches_only_ones_own(person, executor):
    _notify(person, key="a")
    _notify(person, key="b")
    _notify(executor, key="a")
    assert notifications_mark_all_read(actor=person) == 2
    assert unread_count(person) == 0
    assert unread_count(executor) == 1


def test_notifications_are_listed_newest_first(person):
    first = _notify(person, key="a")
    second = _notify(person, key="b")
    assert list(notifications_for(person)) == [second, first]


# --- screens ----------------------------------------------------------------------------------


def test_the_list_shows_own_notifications_only(staff_client, executor, person):
    _notify(executor, title="Моє доручення")
    _notify(person, title="Чуже звернення")
    response = staff_client.get(reverse("notifications"))
    assert response.status_code == 200
    assert "Моє доручення" in response.text
    assert "Чуже звернення" not in response.text


def test_the_list_escapes_html(staff_client, executor):
    _notify(executor, title="<script>alert(1)</script>", body="<b>жирний</b>")
    response = staff_client.get(reverse("notifications"))
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "&lt;b&gt;жирний&lt;/b&gt;" in response.text


def test_the_list_query_count_does_not_grow_with_notifications(
    staff_client, executor, django_assert_max_num_queries
):
    for n in range(3):
        _notify(executor, key=f"k{n}")
    url = reverse("notifications")
    staff_client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    for n in range(3, 30):
        _notify(executor, key=f"k{n}")
    with django_assert_max_num_queries(len(few)):
        response = staff_client.get(url)
    assert response.text.count('id="notification-') == 20


def test_the_list_pages_through_notifications(staff_client, executor):
    for n in range(25):
        _notify(executor, key=f"k{n}", title=f"Сповіщення {n}")
    response = staff_client.get(reverse("notifications"), {"page": 2})
    assert response.text.count('id="notification-') == 5
    assert "Сторінка 2 з 2" in response.text


def test_the_list_can_show_only_unread(staff_client, executor):
    read = _notify(executor, key="a", title="Прочитане")
    _notify(executor, key="b", title="Непрочитане")
    notification_mark_read(notification_id=read.pk, actor=executor)
    response = staff_client.get(reverse("notifications"), {"unread": "1"})
    assert "Непрочитане" in response.text
    assert "Прочитане<" not in response.text


def test_marking_read_with_htmx_returns_just_the_item(staff_client, executor):
    notification = _notify(executor)
    response = staff_client.post(
        reverse("notification_read", args=[notification.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert f'id="notification-{notification.pk}"' in response.text
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_read_without_javascript_redirects_back(staff_client, executor):
    notification = _notify(executor)
    response = staff_client.post(
        reverse("notification_read", args=[notification.pk]), {"next": "/staff/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/"


def test_an_offsite_next_is_ignored(staff_client, executor):
    notification = _notify(executor)
    response = staff_client.post(
        reverse("notification_read", args=[notification.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications")


def test_another_persons_notification_cannot_be_marked_by_changing_the_id(staff_client, person):
    notification = _notify(person)
    response = staff_client.post(reverse("notification_read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_needs_post(staff_client, executor):
    notification = _notify(executor)
    response = staff_client.get(reverse("notification_read", args=[notification.pk]))
    assert response.status_code == 405


def test_mark_all_read_from_the_list(staff_client, executor, person):
    _notify(executor, key="a")
    _notify(executor, key="b")
    _notify(person, key="a")
    response = staff_client.post(reverse("notifications_read_all"))
    assert response.status_code == 302
    assert unread_count(executor) == 0
    assert unread_count(person) == 1


def test_a_citizen_cannot_open_the_staff_list(client, person):
    client.force_login(person)
    assert client.get(reverse("notifications")).status_code == 403


def test_the_dashboard_panel_shows_the_latest_five_unread(staff_client, executor):
    for n in range(7):
        _notify(executor, key=f"k{n}", title=f"Подія №{n}")
    response = staff_client.get(reverse("staff_home"))
    assert "Мої сповіщення" in response.text
    assert "Подія №6" in response.text
    assert "Подія №1<" not in response.text
    assert "І ще непрочитаних: 2." in response.text


def test_the_navigation_links_to_notifications(staff_client):
    response = staff_client.get(reverse("staff_home"))
    assert f'href="{reverse("notifications")}"' in response.text
