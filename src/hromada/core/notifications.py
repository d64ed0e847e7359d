"""Notifications: in-app messages to a person, each optionally mirrored by one e-mail.

``notify`` is called by other modules' services inside their transactions; the
event itself is audited by the calling service. Each notification has a key
(e.g. ``"assignment:17:due-soon"``): the same key never notifies the same
person twice, so a reminder job may run as often as it likes. The e-mail is
sent by a background task after the transaction commits (``core.tasks``).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from hromada.core.exceptions import ApplicationError
from hromada.core.models import Notification

_TITLE_MAX = Notification._meta.get_field("title").max_length or 255
_KEY_MAX = Notification._meta.get_field("key").max_length or 200
_URL_MAX = Notification._meta.get_field("url").max_length or 500


def _one_line(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@transaction.atomic
def notify(
    *,
    recipient: Any,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> Notification | None:
    """Notify a person once per key: in the app now, by e-mail after commit; None if done before."""
    if not key or len(key) > _KEY_MAX:
        raise ValueError(f"A notification key must have 1 to {_KEY_MAX} characters.")
    if url and (
        len(url) > _URL_MAX
        or not url.startswith("/")
        or not url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    ):
        # Only links inside hromada: never "javascript:" or another site.
        raise ValueError(f"A notification link must be a local path, not {url[:50]!r}.")
    if Notification.objects.filter(recipient=recipient, key=key).exists():
        return None
    try:
        # A savepoint: a concurrent notify() with the same key undoes only this INSERT.
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                key=key,
                title=_one_line(title, _TITLE_MAX),
                body=body,
                url=url,
                email_wanted=email,
            )
    except IntegrityError:
        return None
    address: str = getattr(recipient, "email", "") or ""
    if email and address:
        from hromada.core.tasks import send_notification_email

        notification_id = notification.pk
        transaction.on_commit(
            lambda: send_notification_email.enqueue(notification_id=notification_id)
        )
    return notification


def _own(notification_id: int, actor: Any) -> Notification:
    notification = (
        Notification.objects.select_for_update()
        .filter(pk=notification_id, recipient_id=getattr(actor, "pk", None))
        .first()
    )
    if notification is None:
        # The same answer whether it does not exist or is someone else's.
        raise ApplicationError("Сповіщення не знайдено.", code="not_found")
    return notification


# Marking one's own notifications read changes no one else's data and is not a
# security event, so, unlike other services, these are not audited.


@transaction.atomic
def notification_mark_read(*, notification_id: int, actor: Any) -> Notification:
    """Mark one of the actor's own notifications read."""
    notification = _own(notification_id, actor)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: Any) -> int:
    """Mark all the actor's unread notifications read; return how many."""
    if not getattr(actor, "is_authenticated", False):
        raise ApplicationError("Увійдіть, щоб керувати сповіщеннями.", code="permission_denied")
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Selectors ---------------------------------------------------------------------------------


def notifications_for(user: Any) -> QuerySet[Notification]:
    """Return a person's notifications, newest first."""
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")


def unread_notifications_for(user: Any) -> QuerySet[Notification]:
    """Return a person's unread notifications, newest first."""
    return notifications_for(user).filter(read_at__isnull=True)


def unread_count(user: Any) -> int:
    """Return how many notifications a person has not read."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return unread_notifications_for(user).count()
