"""The security officer's screens: search the audit trail, read an event, export to CSV.

Reading the trail is itself recorded: a search as ``audit.viewed``, an event's
page as ``core.auditevent.viewed``, an export as ``audit.exported``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hromada.core.audit import (
    CSV_BOM,
    AuditFilter,
    audit_events,
    audit_page,
    audit_record,
    audit_view,
    csv_header,
    csv_row,
    day_range,
    event_hash,
    iter_events,
)
from hromada.core.models import AuditEvent

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    """Search criteria of the audit trail; every field is optional."""

    actor = forms.CharField(
        label=_("Хто"),
        max_length=100,
        required=False,
        help_text=_("Частина імені або e-mail."),
    )
    action = forms.RegexField(
        label=_("Дія"),
        regex=r"^[a-z0-9_.]+\*?$",
        max_length=100,
        required=False,
        help_text=_("Напр. auth.login; з крапкою в кінці — усі дії групи: auth."),
        error_messages={"invalid": _("Назва дії: латинські літери, цифри, «_» і «.».")},
    )
    object_type = forms.RegexField(
        label=_("Тип об'єкта"),
        regex=r"^[a-z0-9_]+\.[a-z0-9_]+$",
        max_length=100,
        required=False,
        help_text=_("Напр. accounts.user"),
        error_messages={"invalid": _("Тип об'єкта має вигляд «застосунок.модель».")},
    )
    object_id = forms.CharField(label=_("Ідентифікатор об'єкта"), max_length=64, required=False)
    ip = forms.GenericIPAddressField(
        label=_("IP-адреса"),
        required=False,
        error_messages={"invalid": _("Введіть правильну IPv4- або IPv6-адресу.")},
    )
    date_from = forms.DateField(
        label=_("З дати"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Введіть дату у форматі РРРР-ММ-ДД або ДД.ММ.РРРР.")},
    )
    date_to = forms.DateField(
        label=_("По дату"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Введіть дату у форматі РРРР-ММ-ДД або ДД.ММ.РРРР.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Кінцева дата раніша за початкову."))
        return data

    def criteria(self) -> AuditFilter:
        """Return the cleaned criteria (call after is_valid())."""
        data = self.cleaned_data
        since, until = day_range(data.get("date_from"), data.get("date_to"))
        return AuditFilter(
            actor=(data.get("actor") or "").strip(),
            action=data.get("action") or "",
            object_type=data.get("object_type") or "",
            object_id=(data.get("object_id") or "").strip(),
            ip=data.get("ip") or None,
            since=since,
            until=until,
        )


def _is_change(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2


def split_changes(data: Any) -> tuple[list[tuple[str, Any, Any]], list[tuple[str, Any]]]:
    """Split an event's data into changed-field rows (field, old, new) and the rest.

    Services store `changed_fields(...)` under "changes" or "fields", or as the whole data.
    """
    if not isinstance(data, dict):
        return [], [("value", data)]
    for key in ("changes", "fields"):
        changes = data.get(key)
        if isinstance(changes, dict) and changes and all(map(_is_change, changes.values())):
            rest = sorted((k, v) for k, v in data.items() if k != key)
            return [(f, v[0], v[1]) for f, v in sorted(changes.items())], rest
    if data and all(map(_is_change, data.values())):
        return [(f, v[0], v[1]) for f, v in sorted(data.items())], []
    return [], sorted(data.items())


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@never_cache
@require_GET
@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """Search the audit trail, newest first, a page at a time."""
    _require(request, "core.view_audit")
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "events": [], "page": None, "filter_query": ""}
        return render(request, "core/audit_list.html", context, status=400)
    criteria = form.criteria()
    page = audit_page(
        audit_events(criteria),
        size=PAGE_SIZE,
        before=_int_param(request, "before"),
        after=_int_param(request, "after"),
    )
    audit_record(actor=request.user, action="audit.viewed", data=criteria.as_data())
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "events": page.events,
            "page": page,
            "filter_query": _query_without(request, "before", "after"),
            "can_export": request.user.has_perm("core.export_audit"),
        },
    )


@never_cache
@require_GET
@login_required
def audit_detail(request: HttpRequest, seq: int) -> HttpResponse:
    """Show one event: who, what, when, from where, and the fields it changed."""
    _require(request, "core.view_audit")
    event = get_object_or_404(AuditEvent, seq=seq)
    previous_hash = (
        AuditEvent.objects.filter(seq=seq - 1).values_list("hash", flat=True).first()
        if seq > 1
        else "0" * 64
    )
    audit_view(request=request, target=event)
    change_rows, other_data = split_changes(event.data)
    return render(
        request,
        "core/audit_detail.html",
        {
            "event": event,
            "change_rows": change_rows,
            "other_data": other_data,
            "hash_ok": event_hash(event) == event.hash,
            "link_ok": previous_hash == event.prev_hash,
        },
    )


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(events: Iterator[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield CSV_BOM + writer.writerow(csv_header())
    for event in events:
        yield writer.writerow(csv_row(event))


@never_cache
@require_GET
@login_required
def audit_export(request: HttpRequest) -> HttpResponseBase:
    """Stream the events matching the search as CSV (UTF-8 with BOM, for Excel)."""
    _require(request, "core.export_audit")
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "events": [], "page": None, "filter_query": ""}
        return render(request, "core/audit_list.html", context, status=400)
    criteria = form.criteria()
    qs = audit_events(criteria)
    count = qs.count()
    event = audit_record(
        actor=request.user,
        action="audit.exported",
        data={**criteria.as_data(), "rows": count, "via": "web"},
    )
    # The export's own event is not part of the file.
    rows = iter_events(qs.filter(seq__lt=event.seq))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
