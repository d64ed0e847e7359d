"""Staff screens of appeals retention: expired appeals, anonymisation acts and their steps.

Thin: parse, check permission, call one service (appeals.retention), render. The screens
show registration indexes, dates and states, never the applicant's personal data.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hromada.accounts.models import OrgUnit
from hromada.appeals import retention
from hromada.appeals.models import RetentionAct
from hromada.control.http import actor, int_param, staff_view
from hromada.core.exceptions import ApplicationError

LIST_LIMIT = 500


@staff_view
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Bodies with their expired appeals, and the acts of those bodies."""
    bodies = retention.retention_bodies(actor(request))
    if not bodies:
        raise Http404
    acts = list(retention.retention_acts(actor(request))[:100])
    return render(request, "appeals/retention/index.html", {"bodies": bodies, "acts": acts})


@staff_view
def expired(request: HttpRequest, body_id: int) -> HttpResponse:
    """A body's appeals whose retention term expired; the office proposes an act of them."""
    body = get_object_or_404(OrgUnit, pk=body_id)
    if not request.user.has_perm("appeals.view_retention", body):
        raise Http404
    may_propose = request.user.has_perm("appeals.propose_retention", body)
    if request.method == "POST":
        if not may_propose:
            raise Http404
        chosen = request.POST.getlist("appeal")
        ids = [int(v) for v in chosen if v.isdigit() and len(v) < 18]
        try:
            act = retention.retention_act_propose(
                actor=actor(request),
                body_id=body.pk,
                appeal_ids=ids if request.POST.get("scope") == "chosen" else None,
                note=request.POST.get("note", ""),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("appeals:retention_expired", body_id=body.pk)
        messages.success(request, _("Акт № %(number)s складено.") % {"number": act.number})
        return redirect(act.get_absolute_url())
    today = timezone.localdate()
    qs = retention.expired_appeals(body=body, on=today)
    total = qs.count()
    rows = list(
        qs.only("id", "reg_index", "reg_date", "state", "result", "retention_until", "case_index")[
            :LIST_LIMIT
        ]
    )
    return render(
        request,
        "appeals/retention/expired.html",
        {
            "body": body,
            "rows": rows,
            "total": total,
            "limit": LIST_LIMIT,
            "today": today,
            "may_propose": may_propose,
        },
    )


def _act_or_404(request: HttpRequest, pk: int) -> RetentionAct:
    act = get_object_or_404(RetentionAct.objects.select_related("unit"), pk=pk)
    if not request.user.has_perm("appeals.view_retention", act.unit):
        raise Http404
    return act


@staff_view
@require_GET
def act_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An act with its list and the next step the user may take."""
    act = _act_or_404(request, pk)
    page = int_param(request, "page") or 1
    size = 200
    items = list(retention.act_items(act)[(page - 1) * size : page * size + 1])
    user = request.user
    return render(
        request,
        "appeals/retention/act.html",
        {
            "act": act,
            "items": items[:size],
            "count": act.items.count(),
            "page": page,
            "has_next": len(items) > size,
            "may_approve": act.state == RetentionAct.State.PROPOSED
            and user.has_perm("appeals.approve_retention", act.unit)
            and act.proposed_by_id != user.pk,
            "may_execute": act.state == RetentionAct.State.APPROVED
            and user.has_perm("appeals.execute_retention", act.unit),
        },
    )


@staff_view
@require_POST
def act_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Approve, reject or execute an act (the service checks who may and when)."""
    act = _act_or_404(request, pk)
    try:
        if step == "approve":
            retention.retention_act_approve(actor=actor(request), act_id=act.pk)
            done = _("Акт затверджено.")
        elif step == "reject":
            retention.retention_act_reject(
                actor=actor(request), act_id=act.pk, reason=request.POST.get("reason", "")
            )
            done = _("Акт відхилено.")
        elif step == "execute":
            executed = retention.retention_act_execute(actor=actor(request), act_id=act.pk)
            done = _(
                "Акт виконано: знеособлено звернень — %(appeals)s, знищено файлів — %(files)s."
            ) % {"appeals": executed.items.count(), "files": executed.files_deleted}
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(act.get_absolute_url())
