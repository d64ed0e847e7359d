"""Staff screen "Листи зі скриньки": what the mayor's mailbox brought in, the failed ones first."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from hromada.appeals import mailbox
from hromada.appeals.models import IncomingMail, MailboxState
from hromada.control.http import require_or_403, staff_view
from hromada.core.audit import audit_view

PAGE_SIZE = 50


@staff_view
@require_GET
def mailbox_list(request: HttpRequest) -> HttpResponse:
    """List the messages taken in from the mailbox, with their state and draft."""
    require_or_403(request, "appeals.read_mailbox")
    state = request.GET.get("state", "")
    if state not in IncomingMail.State.values:
        state = ""
    paginator = Paginator(mailbox.incoming_mail(state=state), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "appeals/mailbox/list.html",
        {
            "page_obj": page,
            "state": state,
            "states": IncomingMail.State.choices,
            "failed": IncomingMail.objects.filter(state=IncomingMail.State.FAILED).count(),
            "mailboxes": MailboxState.objects.order_by("mailbox"),
        },
    )


@staff_view
@require_GET
def mailbox_raw(request: HttpRequest, pk: int) -> FileResponse:
    """Download a message as it came (.eml), e.g. to read one that failed to parse."""
    require_or_403(request, "appeals.read_mailbox")
    mail = get_object_or_404(IncomingMail, pk=pk)
    audit_view(request=request, target=mail, what="raw message")
    response = FileResponse(
        mail.raw.open("rb"),
        as_attachment=True,
        filename=f"mail-{mail.uid_validity}-{mail.uid}.eml",
        content_type="message/rfc822",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
