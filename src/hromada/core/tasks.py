"""Background jobs of the shared kernel."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from hromada.core.models import Notification

# An SMTP server that hangs must not hold the notification's row lock for ever.
_SMTP_TIMEOUT_SECONDS = 30


@task(queue_name="mail")
def send_notification_email(*, notification_id: int) -> bool:
    """E-mail a notification once: skipped if already sent, unwanted, or without an address."""
    with transaction.atomic():
        # The lock makes a second run of this task wait, then see `emailed_at` set.
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        recipient = notification.recipient
        if not notification.email_wanted or not recipient.email or not recipient.is_active:
            return False
        base_url = settings.HROMADA_BASE_URL.rstrip("/")
        context = {
            "notification": notification,
            "recipient": recipient,
            "link": f"{base_url}{notification.url}" if notification.url else "",
            "all_link": f"{base_url}/staff/notifications/" if recipient.is_staff else "",
            "city": settings.HROMADA_CITY_NAME,
        }
        with translation.override(recipient.preferred_language):
            subject = render_to_string("core/email/notification_subject.txt", context)
            body = render_to_string("core/email/notification_message.txt", context)
        send_mail(
            " ".join(subject.split()),
            body,
            None,
            [recipient.email],
            connection=get_connection(timeout=_SMTP_TIMEOUT_SECONDS),
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
