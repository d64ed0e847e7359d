"""Background jobs of the appeals module: notices to citizens."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from hromada.appeals.models import AppealEvent

_SMTP_TIMEOUT_SECONDS = 30


@task(queue_name="mail")
def send_citizen_notice(*, event_id: int, code: str = "") -> bool:
    """E-mail the applicant about an event of their appeal, once; in-app too with an account.

    `code` is the tracking code, given only with the registration notice.
    """
    with transaction.atomic():
        event = (
            # Only the event row is locked: PostgreSQL refuses FOR UPDATE on the nullable
            # side of the outer join to the applicant.
            AppealEvent.objects.select_for_update(of=("self",))
            .select_related("appeal", "appeal__applicant")
            .filter(pk=event_id)
            .first()
        )
        if event is None or event.citizen_notified:
            return False
        appeal = event.appeal
        base_url = settings.HROMADA_BASE_URL.rstrip("/")
        context = {
            "appeal": appeal,
            "event": event,
            "code": code,
            "city": settings.HROMADA_CITY_NAME,
            "track_link": f"{base_url}{reverse('appeals:track')}",
            "cabinet_link": f"{base_url}/cabinet/" if appeal.applicant_id else "",
        }
        subject = " ".join(render_to_string("appeals/email/notice_subject.txt", context).split())
        body = render_to_string("appeals/email/notice_message.txt", context)
        if appeal.applicant_id is not None:
            from hromada.core.notifications import notify

            notify(
                recipient=appeal.applicant,
                key=f"appeals:event:{event.pk}",
                title=subject,
                body=event.public_note,
                url=reverse("appeals:cabinet_detail", args=[appeal.pk]),
                email=False,
            )
        address = appeal.email or (appeal.applicant.email if appeal.applicant else "")
        if address:
            message = EmailMessage(
                subject,
                body,
                None,
                [address],
                connection=get_connection(timeout=_SMTP_TIMEOUT_SECONDS),
            )
            if event.kind in (AppealEvent.Kind.ANSWERED, AppealEvent.Kind.INTERIM):
                answer = appeal.answers.filter(pdf__isnull=False).order_by("-pk").first()
                if answer is not None and answer.pdf is not None:
                    with answer.pdf.blob.open("rb") as fh:
                        message.attach(answer.pdf.name, fh.read(), answer.pdf.mime)
            message.send()
        event.citizen_notified = True
        event.save(update_fields=["citizen_notified"])
    return True
