"""Background jobs of the portal: the e-mail that confirms an anonymous visitor's poll vote."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.template.loader import render_to_string
from django_tasks import task

from hromada.portal.models import Poll

_SMTP_TIMEOUT_SECONDS = 30


@task(queue_name="mail")
def send_poll_vote_link(*, email: str, poll_id: int, link: str) -> bool:
    """E-mail the link that confirms a vote (skipped if the poll is gone)."""
    poll = Poll.objects.filter(pk=poll_id).first()
    if poll is None:
        return False
    context = {"poll": poll, "link": link, "city": settings.HROMADA_CITY_NAME}
    subject = render_to_string("portal/email/poll_vote_subject.txt", context)
    body = render_to_string("portal/email/poll_vote_message.txt", context)
    send_mail(
        " ".join(subject.split()),
        body,
        None,
        [email],
        connection=get_connection(timeout=_SMTP_TIMEOUT_SECONDS),
    )
    return True
