"""Background jobs of accounts: e-mails to people."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from hromada.accounts.models import User


def set_password_url(user: User, base_url: str = "") -> str:
    """Return the absolute link where a person sets a password (allauth's reset-by-key)."""
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    path = path.replace("UID-KEY", key)
    return f"{(base_url or settings.HROMADA_BASE_URL).rstrip('/')}{path}"


@task(queue_name="mail")
def send_staff_invitation(*, user_id: int, base_url: str = "") -> bool:
    """E-mail a new staff member the link to set their password (skipped once one is set)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    context = {
        "user": user,
        "url": set_password_url(user, base_url),
        "city": settings.HROMADA_CITY_NAME,
    }
    with translation.override(user.preferred_language):
        subject = render_to_string("accounts/email/staff_invitation_subject.txt", context)
        body = render_to_string("accounts/email/staff_invitation_message.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    return True
