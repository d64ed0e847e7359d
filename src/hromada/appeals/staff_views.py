"""Staff screens of appeals: operator entry, drafts, the queue, the card and its actions.

Thin: parse, check permission (`request.user.has_perm`, rules in accounts/permissions.py),
call one service, render. An appeal the user may not see answers 404 on every URL that
takes its id; a visitor without staff access gets 404 on every staff URL.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hromada.accounts.models import User
from hromada.appeals import queue_html, selectors, services, staff_selectors
from hromada.appeals.models import CHANNEL_CODES, Appeal, AppealFile, Channel, MassGroup
from hromada.appeals.staff_forms import (
    CorrectionForm,
    DiscardForm,
    EntryForm,
    ExtendForm,
    ForwardForm,
    MassForm,
    NotConsiderForm,
    QueueFilterForm,
    ReturnForm,
)
from hromada.control.selectors import resolutions_for_item
from hromada.core.audit import audit_record, audit_view
from hromada.core.exceptions import ApplicationError

PAGE_SIZE = 50
TYPE_KEY = "appeals.appeal"
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def staff_only(view: View) -> View:
    """Require a logged-in member of staff; anyone else is told the page does not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm("core.access_staff"):
            raise Http404
        return view(request, *args, **kwargs)

    return cast(View, login_required(wrapper))


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _visible(request: HttpRequest, pk: int) -> Appeal:
    appeal = staff_selectors.appeal_for_card(pk)
    if appeal is None or not request.user.has_perm("appeals.view_appeal", appeal):
        raise Http404
    return appeal


def _page(request: HttpRequest) -> int:
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and len(value) < 7 else 1


# --- operator entry and drafts ---------------------------------------------------------------


def _earlier(request: HttpRequest, data: Any) -> list[Appeal]:
    found = staff_selectors.earlier_for_operator(
        user=request.user,
        surname=str(data.get("surname", ""))[:100],
        given_name=str(data.get("given_name", ""))[:100],
        patronymic=str(data.get("patronymic", ""))[:100],
        phone=str(data.get("phone", ""))[:30],
    )
    if found:
        # One audit line for the panel: the operator saw these people's appeals.
        audit_record(
            actor=request.user,
            action="appeals.appeal.earlier_viewed",
            object_type="appeals.appeal",
            data={"appeals": [a.pk for a in found], "path": request.path[:300]},
        )
    return found


def _duplicates(request: HttpRequest, form: EntryForm) -> list[Appeal]:
    data = form.cleaned_data
    related = selectors.find_related(
        surname=data["surname"],
        given_name=data["given_name"],
        patronymic=data["patronymic"],
        phone=data["phone"],
        topics=form.topics(),
    )
    visible = set(
        selectors.visible_appeals(request.user)
        .filter(pk__in=[a.pk for a in related.duplicates])
        .values_list("pk", flat=True)
    )
    return [a for a in related.duplicates if a.pk in visible]


def _entry_context(
    request: HttpRequest,
    form: EntryForm,
    *,
    draft: Appeal | None = None,
    earlier: list[Appeal] | None = None,
    warning: str = "",
    duplicates: list[Appeal] | None = None,
) -> dict[str, Any]:
    return {
        "form": form,
        "draft": draft,
        "earlier": earlier or [],
        "earlier_checked": earlier is not None,
        "warning": warning,
        "duplicates": duplicates or [],
        "labels": staff_selectors.classifier_labels("9"),
        "draft_files": list(draft.files.all()) if draft is not None else [],
        "can_discard": draft is not None and request.user.has_perm("appeals.change_appeal", draft),
        "channel_codes": json.dumps({c: codes[0] for c, codes in CHANNEL_CODES.items()}),
    }


def _register_from(request: HttpRequest, form: EntryForm, draft: Appeal | None) -> HttpResponse:
    """Register from a valid entry form, or render the form with the service's refusal."""
    data = form.cleaned_data
    not_duplicate, duplicate_id = form.duplicate_decision()
    duplicate_of = None
    if duplicate_id is not None:
        duplicate_of = selectors.visible_appeals(request.user).filter(pk=duplicate_id).first()
        if duplicate_of is None:
            form.add_error(None, _("Звернення, до якого позначається дублетне, не знайдено."))
    extra = {"how_received": data["how_received"]} if data.get("how_received") else {}
    warning = ""
    duplicates: list[Appeal] = []
    if not form.errors:
        card = services.AppealCard(
            **form.card_values(),
            topics=form.topics(),
            needs_study=form.needs_study_value(),
            confirm_anonymous=bool(data["confirm_anonymous"]),
            confirm_not_duplicate=not_duplicate,
            duplicate_of=duplicate_of,
            extra=extra,
        )
        token = (data.get("token") or "").strip()
        try:
            result = services.appeal_register(
                actor=_actor(request),
                body=data["body"],
                channel=data["channel"],
                card=card,
                files=request.FILES.getlist("files"),
                draft=draft,
                idempotency_key=f"staff-form:{token}" if token and draft is None else "",
            )
        except ApplicationError as exc:
            warning = exc.code
            if exc.code == "possible_duplicate":
                form.add_error(None, exc.message)
                duplicates = _duplicates(request, form)
            else:
                form.add_application_error(exc)
        else:
            appeal = result.appeal
            text = _("Звернення зареєстровано: № %(index)s від %(date)s.") % {
                "index": appeal.reg_index,
                "date": f"{appeal.reg_date:%d.%m.%Y}" if appeal.reg_date else "",
            }
            if result.tracking_code:
                text += " " + _(
                    "Код для відстеження: %(code)s — повідомте його заявникові разом з номером."
                ) % {"code": result.tracking_code}
            if appeal.state == Appeal.State.NOT_CONSIDERED:
                text += " " + appeal.not_considered_reason
            messages.success(request, text)
            return redirect(f"{reverse('appeals:detail', args=[appeal.pk])}?registered=1")
    earlier = _earlier(request, request.POST)
    return render(
        request,
        "appeals/staff/entry.html",
        _entry_context(
            request, form, draft=draft, earlier=earlier, warning=warning, duplicates=duplicates
        ),
        status=400,
    )


@staff_only
def entry(request: HttpRequest) -> HttpResponse:
    """Operator entry of an appeal by phone, post, in person or at a meeting (keyboard first)."""
    bodies = staff_selectors.registration_bodies(request.user)
    if not bodies:
        raise PermissionDenied
    if request.method != "POST":
        channel = request.GET.get("channel", "")
        if channel not in Channel.values:
            channel = Channel.HOTLINE
        form = EntryForm(
            bodies=bodies,
            initial={
                "channel": channel,
                "how_received": CHANNEL_CODES[channel][0],
                "body": bodies[0].pk,
                "written_date": timezone.localdate(),
                "token": secrets.token_urlsafe(16),
            },
        )
        return render(request, "appeals/staff/entry.html", _entry_context(request, form))
    form = EntryForm(request.POST, request.FILES, bodies=bodies)
    if "check" in request.POST:  # without JavaScript: show the caller's earlier appeals
        form.is_valid()
        form.errors.clear()
        earlier = _earlier(request, request.POST)
        return render(
            request, "appeals/staff/entry.html", _entry_context(request, form, earlier=earlier)
        )
    if not form.is_valid():
        earlier = _earlier(request, request.POST)
        return render(
            request,
            "appeals/staff/entry.html",
            _entry_context(request, form, earlier=earlier),
            status=400,
        )
    return _register_from(request, form, None)


@staff_only
@require_GET
def earlier_panel(request: HttpRequest) -> HttpResponse:
    """The caller's earlier appeals as the operator types the name and phone (htmx partial)."""
    if not request.user.has_perm("appeals.register"):
        raise Http404
    earlier = _earlier(request, request.GET)
    return render(
        request,
        "appeals/staff/_earlier.html",
        {
            "earlier": earlier,
            "earlier_checked": True,
            "labels": staff_selectors.classifier_labels("9"),
        },
    )


@staff_only
@require_GET
def drafts(request: HttpRequest) -> HttpResponse:
    """Drafts waiting to be checked and registered (mailbox, unconfirmed web form)."""
    rows, has_next = staff_selectors.queue_page(
        staff_selectors.drafts(request.user), page=_page(request), size=PAGE_SIZE
    )
    return render(
        request,
        "appeals/staff/drafts.html",
        {"rows": rows, "page": _page(request), "has_next": has_next},
    )


def _draft(request: HttpRequest, pk: int) -> Appeal:
    appeal = _visible(request, pk)
    if appeal.state != Appeal.State.DRAFT:
        raise Http404
    return appeal


def _draft_initial(draft: Appeal) -> dict[str, Any]:
    topics = [t.code for t in draft.topics.all()]
    return {
        "channel": draft.channel,
        "body": draft.unit_id,
        "surname": draft.surname,
        "given_name": draft.given_name,
        "patronymic": draft.patronymic,
        "phone": draft.phone,
        "email": draft.email,
        "address": draft.address,
        "district": draft.district,
        "text": draft.text,
        "summary": draft.summary,
        "kind": draft.kind,
        "needs_study": "yes" if draft.needs_study else "no",
        "topic_main": topics[0] if topics else "",
        "topics_more": ", ".join(topics[1:]),
        "written_date": draft.written_date or timezone.localtime(draft.created_at).date(),
    }


@staff_only
def draft_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Check a draft's card (prefilled) and register it in the journal."""
    draft = _draft(request, pk)
    if not request.user.has_perm("appeals.register", draft.unit):
        raise PermissionDenied
    kwargs: dict[str, Any] = {"bodies": [draft.unit], "channels": (draft.channel,)}
    if request.method != "POST":
        form = EntryForm(initial=_draft_initial(draft), **kwargs)
        return render(
            request, "appeals/staff/entry.html", _entry_context(request, form, draft=draft)
        )
    form = EntryForm(request.POST, request.FILES, **kwargs)
    if not form.is_valid():
        return render(
            request,
            "appeals/staff/entry.html",
            _entry_context(request, form, draft=draft),
            status=400,
        )
    return _register_from(request, form, draft)


@staff_only
@require_POST
def draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Discard a draft that is not an appeal, with a reason (it stays on record)."""
    draft = _draft(request, pk)
    if not request.user.has_perm("appeals.change_appeal", draft):
        raise PermissionDenied
    form = DiscardForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_discard_draft(
                actor=_actor(request), appeal_id=draft.pk, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Чернетку відхилено."))
            return redirect("appeals:drafts")
    messages.error(
        request, " ".join(str(e) for e in form.errors.get("reason", [])) or _("Помилка.")
    )
    return redirect("appeals:draft", pk=draft.pk)


# --- the queue and mass groups ---------------------------------------------------------------


@staff_only
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The appeals registry the user may see: filters, clocks, benefit holders first."""
    # With no filters the queue shows what is being considered (registered, in work, answered).
    today = timezone.localdate()
    form = QueueFilterForm(
        request.GET or {"state": "open"},
        units=staff_selectors.queue_units(request.user),
        topics=staff_selectors.queue_topics(today),
    )
    criteria = staff_selectors.QueueFilter()
    if form.is_valid():
        data = form.cleaned_data
        criteria = staff_selectors.QueueFilter(
            state=data["state"] or "",
            unit_id=data["unit"],
            topic=data["topic"] or "",
            channel=data["channel"] or "",
            due_from=data["due_from"],
            due_to=data["due_to"],
            clock=data["clock"] or "",
            priority=bool(data["priority"]),
            mass_group_id=data["mass"],
            query=data["q"] or "",
        )
    page = _page(request)
    qs = staff_selectors.queue(user=request.user, criteria=criteria, today=today)
    listing = staff_selectors.queue_listing_page(
        qs, page=page, size=PAGE_SIZE, by_ids=selectors.lists_by_ids(request.user)
    )
    query = request.GET.copy()
    query.pop("page", None)
    rows = staff_selectors.queue_rows(listing.appeals, today, listing.topics)
    can_mark_mass = request.user.has_perm("appeals.mark_mass")
    return render(
        request,
        "appeals/staff/queue.html",
        {
            "form": form,
            "rows": rows,
            "rows_html": queue_html.rows_html(rows, can_mark_mass=can_mark_mass),
            "page": page,
            "has_next": listing.has_next,
            "query": query.urlencode(),
            "mass_form": MassForm(),
            "can_mark_mass": can_mark_mass,
            "can_register": request.user.has_perm("appeals.register"),
        },
    )


@staff_only
@require_POST
def mass_mark(request: HttpRequest) -> HttpResponse:
    """Mark the appeals selected in the queue as one mass appeal (sign 2.5)."""
    ids = [int(v) for v in request.POST.getlist("appeal") if v.isdigit() and len(v) < 18]
    visible = list(
        selectors.visible_appeals(request.user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    if len(visible) != len(set(ids)):
        raise Http404
    form = MassForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Перевірте дані групи масових звернень."))
        return redirect("appeals:queue")
    try:
        group = services.mass_group_mark(
            actor=_actor(request),
            appeal_ids=visible,
            group_id=form.cleaned_data["group"],
            title=form.cleaned_data["title"],
            place=form.cleaned_data["place"],
        )
    except ApplicationError as exc:
        if exc.code == "permission_denied":
            raise PermissionDenied from exc
        messages.error(request, exc.message)
        back = request.POST.get("back", "")
        return redirect(reverse("appeals:queue") + (f"?{back}" if back else ""))
    messages.success(request, _("Позначено як масове: %(title)s.") % {"title": group.title})
    return redirect("appeals:mass_group", pk=group.pk)


@staff_only
@require_GET
def mass_groups(request: HttpRequest) -> HttpResponse:
    """Groups of mass appeals with at least one appeal the user may see."""
    rows, has_next = staff_selectors.queue_page(
        staff_selectors.mass_groups(request.user), page=_page(request), size=PAGE_SIZE
    )
    return render(
        request,
        "appeals/staff/mass_groups.html",
        {"rows": rows, "page": _page(request), "has_next": has_next},
    )


@staff_only
@require_GET
def mass_group(request: HttpRequest, pk: int) -> HttpResponse:
    """One mass group and its appeals (those the user may see)."""
    group = MassGroup.objects.select_related("unit", "created_by").filter(pk=pk).first()
    if group is None:
        raise Http404
    today = timezone.localdate()
    appeals = list(
        staff_selectors.queue(
            user=request.user, criteria=staff_selectors.QueueFilter(mass_group_id=group.pk)
        )[:500]
    )
    if not appeals:
        raise Http404
    return render(
        request,
        "appeals/staff/mass_group.html",
        {"group": group, "rows": [(a, staff_selectors.clocks(a, today)) for a in appeals]},
    )


# --- the card ----------------------------------------------------------------------------------


@staff_only
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An appeal's card: every field, applicant, links, files, history, resolutions, clocks."""
    appeal = _visible(request, pk)
    audit_view(request=request, target=appeal, what="card")
    user = request.user
    today = timezone.localdate()
    is_open = appeal.is_open
    registered = appeal.state == Appeal.State.REGISTERED
    may_change = user.has_perm("appeals.change_appeal", appeal)
    context = {
        "appeal": appeal,
        "clocks": staff_selectors.clocks(appeal, today),
        "labels": staff_selectors.classifier_labels(),
        "links": staff_selectors.card_links(appeal),
        "resolutions": resolutions_for_item(appeal),
        "type_key": TYPE_KEY,
        "today": today,
        "can_resolve": is_open
        and appeal.state != Appeal.State.ANSWERED
        and user.has_perm("control.add_resolution", appeal),
        "can_correct": may_change and appeal.seq is not None,
        "can_extend": is_open and user.has_perm("appeals.extend_term", appeal),
        "can_forward": appeal.can_become(Appeal.State.FORWARDED) and may_change,
        "can_return": appeal.can_become(Appeal.State.RETURNED) and may_change,
        "can_not_consider": registered and may_change,
        "returned_late": bool(
            appeal.returned_at
            and appeal.reg_date
            and timezone.localdate(appeal.returned_at) > appeal.reg_date + timedelta(days=10)
        ),
    }
    return render(request, "appeals/staff/detail.html", context)


@staff_only
@require_GET
def file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Download an appeal's file (permission-checked, audited, never from the static path)."""
    stored = AppealFile.objects.select_related("appeal").filter(pk=pk).first()
    if stored is None or not request.user.has_perm("appeals.view_appeal", stored.appeal):
        raise Http404
    audit_view(request=request, target=stored.appeal, what=f"file:{stored.pk}")
    response = FileResponse(
        stored.blob.open("rb"), content_type=stored.mime or "application/octet-stream"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(stored.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _action(
    request: HttpRequest,
    pk: int,
    *,
    perm: str,
    form_class: type[Any],
    call: Callable[[Appeal, dict[str, Any]], Any],
    title: str,
    button: str,
    done: str,
    initial: dict[str, Any] | None = None,
    notes: list[str] | None = None,
    template: str = "appeals/staff/action.html",
) -> HttpResponse:
    """GET: the action's form; POST: one service call, then back to the card."""
    appeal = _visible(request, pk)
    if not request.user.has_perm(perm, appeal):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                call(appeal, form.cleaned_data)
            except ApplicationError as exc:
                if exc.code == "permission_denied":
                    raise PermissionDenied from exc
                form.add_application_error(exc)
            else:
                messages.success(request, done)
                return redirect("appeals:detail", pk=appeal.pk)
        status = 400
    else:
        form = form_class(initial=initial or {})
    return render(
        request,
        template,
        {
            "appeal": appeal,
            "form": form,
            "title": title,
            "button": button,
            "notes": notes or [],
            "clocks": staff_selectors.clocks(appeal),
        },
        status=status,
    )


@staff_only
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the card of a registered appeal (changed fields are audited)."""
    appeal = _visible(request, pk)
    if appeal.seq is None:
        raise Http404
    return _action(
        request,
        pk,
        perm="appeals.change_appeal",
        form_class=CorrectionForm,
        call=lambda a, data: services.appeal_update_card(
            actor=_actor(request), appeal_id=a.pk, changes=_correction_changes(data)
        ),
        title=_("Виправлення картки"),
        button=_("Зберегти картку"),
        done=_("Картку виправлено."),
        initial=CorrectionForm.initial_for(appeal),
        template="appeals/staff/correct.html",
    )


def _correction_changes(data: dict[str, Any]) -> dict[str, Any]:
    form = CorrectionForm()
    form.cleaned_data = data
    return form.changes()


@staff_only
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    """The head extends the term of consideration (reason; 45 days in all at most)."""
    appeal = _visible(request, pk)
    latest = staff_selectors.clocks(appeal).latest
    notes = []
    if latest:
        notes.append(
            _("Граничний строк (45 днів від реєстрації): %(date)s.")
            % {"date": f"{latest:%d.%m.%Y}"}
        )
    return _action(
        request,
        pk,
        perm="appeals.extend_term",
        form_class=ExtendForm,
        call=lambda a, data: services.appeal_extend_term(
            actor=_actor(request),
            appeal_id=a.pk,
            new_due_date=data["new_due_date"],
            reason=data["reason"],
        ),
        title=_("Продовження строку розгляду"),
        button=_("Продовжити строк"),
        done=_("Строк продовжено; заявника повідомлено."),
        initial={"new_due_date": latest},
        notes=notes,
    )


@staff_only
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    """Forward to the competent body with a covering letter (5 days; later is flagged)."""
    appeal = _visible(request, pk)
    clocks = staff_selectors.clocks(appeal)
    notes = []
    if clocks.forward_late:
        notes.append(
            _(
                "Увага: минуло більше 5 днів від реєстрації (строк — до %(date)s). "
                "Пересилання буде позначено як несвоєчасне."
            )
            % {"date": f"{clocks.forward_by:%d.%m.%Y}"}
        )
    return _action(
        request,
        pk,
        perm="appeals.change_appeal",
        form_class=ForwardForm,
        call=lambda a, data: services.appeal_forward(
            actor=_actor(request),
            appeal_id=a.pk,
            to_body=data["to_body"],
            covering_letter=data["covering_letter"],
        ),
        title=_("Надіслати за належністю"),
        button=_("Надіслати за належністю"),
        done=_("Звернення надіслано за належністю; заявника повідомлено."),
        notes=notes,
    )


@staff_only
def return_to_applicant(request: HttpRequest, pk: int) -> HttpResponse:
    """Return a non-compliant appeal with an explanation (10 days; later is flagged)."""
    appeal = _visible(request, pk)
    clocks = staff_selectors.clocks(appeal)
    notes = []
    if clocks.return_late:
        notes.append(
            _("Увага: минуло більше 10 днів від реєстрації (строк — до %(date)s).")
            % {"date": f"{clocks.return_by:%d.%m.%Y}"}
        )
    return _action(
        request,
        pk,
        perm="appeals.change_appeal",
        form_class=ReturnForm,
        call=lambda a, data: services.appeal_return(
            actor=_actor(request), appeal_id=a.pk, explanation=data["explanation"]
        ),
        title=_("Повернути заявникові"),
        button=_("Повернути заявникові"),
        done=_("Звернення повернуто заявникові."),
        notes=notes,
    )


@staff_only
def not_consider(request: HttpRequest, pk: int) -> HttpResponse:
    """Decide not to consider the appeal on a ground of art. 8."""
    return _action(
        request,
        pk,
        perm="appeals.change_appeal",
        form_class=NotConsiderForm,
        call=lambda a, data: services.appeal_not_consider(
            actor=_actor(request), appeal_id=a.pk, reason=data["reason"], note=data["note"]
        ),
        title=_("Не розглядати (ст. 8 Закону)"),
        button=_("Ухвалити рішення"),
        done=_("Рішення записано: звернення не підлягає розгляду."),
    )


# --- the staff dashboard panel -------------------------------------------------------------


def dashboard_panel(request: HttpRequest) -> str | None:
    """The "Звернення" panel: overdue, due soon and drafts waiting, for whom it concerns."""
    counts = staff_selectors.dashboard_counts(request.user)
    can_register = request.user.has_perm("appeals.register")
    if not any(counts.values()) and not can_register:
        return None
    return render_to_string(
        "appeals/staff/_panel.html",
        {"counts": counts, "can_register": can_register},
        request=request,
    )
