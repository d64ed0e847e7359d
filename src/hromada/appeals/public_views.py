"""Citizen-side screens of appeals: the web form, confirmation, cabinet, tracking, statistics.

Thin: parse, check permission, call one service (hromada.appeals.citizen), render. Every page
works without JavaScript (htmx only adds address suggestions). A citizen never sees another
citizen's appeal: every URL that takes an appeal id answers 404 for anyone but its applicant.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from hromada.accounts.models import User
from hromada.appeals import citizen
from hromada.appeals.models import Appeal
from hromada.appeals.public_forms import AppealForm, FollowUpForm, TrackForm, form_token
from hromada.core.audit import audit_view
from hromada.core.exceptions import ApplicationError

DONE_KEY = "appeals_done"
RATE_APP = "hromada.appeals"


# --- rate limits (the database cache, as allauth's login limits) ------------------------------


def _allowed(request: HttpRequest, action: str, rates: str, key: str = "") -> bool:
    """Consume one hit of a rate limit; False when the visitor has used it up."""
    if not key and "/key" in rates:
        rates = ",".join(r for r in rates.split(",") if not r.strip().endswith("/key"))
    usage = ratelimit.consume(
        request, app=RATE_APP, action=action, config={action: rates}, key=key or None
    )
    return usage is not None


# --- uploads: refuse too big / too many files without storing them ----------------------------


class UploadLimits(FileUploadHandler):
    """Skip (never store) a file bigger than the limit, and files beyond the allowed number.

    The rest of the form still arrives, so the citizen sees a clear message and keeps what
    they typed; nothing of the skipped files is written to disk.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.max_bytes = settings.HROMADA_APPEALS_MAX_FILE_BYTES
        self.max_files = settings.HROMADA_APPEALS_MAX_FILES
        self.too_large: list[str] = []
        self.skipped = 0
        self.seen = 0
        self.size = 0
        self.skip_this = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.size = 0
        self.seen += 1
        # Skipped on its first chunk, once every handler has opened it (so it is closed).
        self.skip_this = self.seen > self.max_files

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.skip_this:
            self.skip_this = False
            self.skipped += 1
            raise SkipFile
        self.size += len(raw_data)
        if self.size > self.max_bytes:
            self.too_large.append(str(self.file_name or ""))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _with_upload_limits(request: HttpRequest) -> UploadLimits | None:
    """Put the limits first among the upload handlers (before the body is read)."""
    if request.method != "POST":
        return None
    limits = UploadLimits(request)
    request.upload_handlers = [limits, *request.upload_handlers]
    return limits


def _body_readable(request: HttpRequest) -> bool:
    try:
        request.POST  # noqa: B018 - parse now, under our handlers
        request.FILES  # noqa: B018
    except TooManyFilesSent:
        return False
    return True


# --- the web form ---------------------------------------------------------------------------


def _prefill(request: HttpRequest, user: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if getattr(user, "is_authenticated", False):
        initial.update(
            surname=user.surname,
            given_name=user.given_name,
            patronymic=user.patronymic,
            email=user.email,
            phone=user.phone,
        )
        last = citizen.cabinet_appeals(user).exclude(address="").only("address", "district")
        previous = last.first()
        if previous is not None:
            initial.update(address=previous.address, district=previous.district)
    # "Report a problem here" on the portal: /appeals/new/?address=…&subject=…
    address = " ".join(request.GET.get("address", "").split())[:250]
    subject = " ".join(request.GET.get("subject", "").split())[:200]
    if address:
        initial["address"] = address
        district = citizen.district_of_address(address)
        if district:
            initial["district"] = district
    if subject or address:
        place = f"«{subject}», {address}" if subject and address else subject or address
        initial["text"] = _("Щодо місця: %(place)s.") % {"place": place} + "\n\n"
    return initial


def _room(request: HttpRequest) -> Any:
    return citizen.room_for(request.POST.get("room") or request.GET.get("room"))


def _render_form(
    request: HttpRequest, form: AppealForm, room: Any, *, status: int = 200
) -> HttpResponse:
    if form.is_bound:
        # A re-shown form gets a fresh start time; the browser cannot keep chosen files.
        data = form.data.copy()  # type: ignore[attr-defined]
        data["started"] = form_token()
        form.data = data
    return render(
        request,
        "appeals/public/submit.html",
        {
            "form": form,
            "room": room,
            "files_lost": form.is_bound and bool(request.FILES),
            "signed_in": request.user.is_authenticated,
            "confirm_hours": settings.HROMADA_APPEALS_CONFIRM_HOURS,
        },
        status=status,
    )


@csrf_exempt  # the CSRF check runs in _submit_post, after our upload handlers are in place
@never_cache
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """The web form: a signed-in citizen's appeal is registered, anyone else's is confirmed."""
    limits = _with_upload_limits(request)
    if limits is None:
        room = _room(request)
        initial = _prefill(request, request.user)
        if room is not None:
            initial["room"] = room.pk
        form = AppealForm(initial=initial, needs_email=not request.user.is_authenticated)
        return _render_form(request, form, room)
    if not _body_readable(request):
        messages.error(
            request,
            _("Забагато файлів: можна додати не більше %(max)s. Заповніть форму ще раз.")
            % {"max": settings.HROMADA_APPEALS_MAX_FILES},
        )
        form = AppealForm(needs_email=not request.user.is_authenticated)
        return _render_form(request, form, None, status=400)
    return _submit_post(request, limits)


@csrf_protect
def _submit_post(request: HttpRequest, limits: UploadLimits) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    room = _room(request)
    form = AppealForm(
        request.POST,
        request.FILES,
        needs_email=user is None,
        too_large=limits.too_large,
        skipped_files=limits.skipped,
    )
    if not form.is_valid():
        return _render_form(request, form, room, status=400)
    if form.robot:
        # A robot filled the hidden field: nothing is saved, and it is not told why.
        form.add_error(None, _("Не вдалося прийняти форму. Спробуйте пізніше."))
        return _render_form(request, form, room, status=400)
    email = (form.cleaned_data.get("email") or "").lower()
    key = email or (str(user.pk) if user else "")
    if not _allowed(request, "submit", settings.HROMADA_APPEALS_SUBMIT_RATE_LIMIT, key):
        form.add_error(
            None,
            _(
                "Забагато звернень за короткий час з цієї адреси або мережі. Спробуйте через "
                "годину або зателефонуйте на гарячу лінію."
            ),
        )
        return _render_form(request, form, room, status=429)
    card = form.card(addressee=room.official if room is not None else None)
    files = form.cleaned_data.get("attachments") or []
    try:
        if user is not None:
            assert isinstance(user, User)
            registered = citizen.citizen_submit(
                user=user, card=card, files=files, idempotency_key=f"web:{form.nonce}"
            )
            request.session[DONE_KEY] = {
                "appeal": registered.appeal.pk,
                "index": registered.appeal.reg_index,
                "code": registered.tracking_code,
            }
        else:
            submission = citizen.web_submission_create(card=card, files=files)
            request.session[DONE_KEY] = {"email": _masked(submission.email)}
    except ApplicationError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return _render_form(request, form, room, status=400)
    return redirect("appeals:submit_done")


def _masked(email: str) -> str:
    name, _sep, domain = email.partition("@")
    return f"{name[:2]}{'•' * max(len(name) - 2, 1)}@{domain}"


@never_cache
@require_GET
def submit_done(request: HttpRequest) -> HttpResponse:
    """After submission: the index and tracking code, or "check your e-mail" (shown once)."""
    done = request.session.pop(DONE_KEY, None)
    context: dict[str, Any] = {
        "done": done,
        "confirm_hours": settings.HROMADA_APPEALS_CONFIRM_HOURS,
    }
    if done and done.get("appeal"):
        appeal = (
            Appeal.objects.filter(pk=done["appeal"])
            .only("reg_index", "reg_date", "due_date", "state", "applicant_id")
            .first()
        )
        context["appeal"] = appeal
    return render(request, "appeals/public/done.html", context)


@require_GET
def addresses(request: HttpRequest) -> HttpResponse:
    """Address suggestions for the form's datalist (htmx); plain options, nothing personal."""
    found = citizen.address_suggestions(request.GET.get("address", ""))
    return render(request, "appeals/public/_addresses.html", {"addresses": found})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: shows what will be registered; the button registers it."""
    submission = citizen.submission_by_token(token)
    state = citizen.submission_state(submission)
    if request.method == "POST" and state == citizen.SubmissionState.VALID:
        try:
            registered = citizen.web_submission_confirm(token=token)
        except ApplicationError as exc:
            return render(
                request,
                "appeals/public/confirm.html",
                {"error": exc.message, "state": state},
                status=400,
            )
        request.session[DONE_KEY] = {
            "appeal": registered.appeal.pk,
            "index": registered.appeal.reg_index,
            "code": registered.tracking_code,
        }
        return redirect("appeals:submit_done")
    context: dict[str, Any] = {"state": state}
    if state == citizen.SubmissionState.VALID and submission is not None:
        context.update(
            summary=submission.appeal.summary or submission.appeal.text[:300],
            expires=citizen.submission_expires_at(submission),
        )
    else:
        context["error"] = citizen.submission_state_message(state)
    return render(
        request,
        "appeals/public/confirm.html",
        context,
        status=200 if state == citizen.SubmissionState.VALID else 410,
    )


# --- tracking -----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Status by registration index and secret code: no personal data, no substance."""
    if request.method != "POST":
        return render(request, "appeals/public/track.html", {"form": TrackForm()})
    form = TrackForm(request.POST)
    if not form.is_valid():
        return render(request, "appeals/public/track.html", {"form": form}, status=400)
    if not _allowed(request, "track", settings.HROMADA_APPEALS_TRACK_RATE_LIMIT):
        form.add_error(None, _("Забагато спроб. Спробуйте через кілька хвилин."))
        return render(request, "appeals/public/track.html", {"form": form}, status=429)
    status = citizen.track(form.cleaned_data["index"], form.cleaned_data["code"])
    if status is None:
        # The same words for an unknown index and a wrong code: nothing to learn from them.
        form.add_error(
            None,
            _(
                "Звернення з таким номером і кодом не знайдено. Перевірте номер і код у листі "
                "про реєстрацію."
            ),
        )
        return render(request, "appeals/public/track.html", {"form": form}, status=404)
    return render(request, "appeals/public/track.html", {"form": form, "status": status})


# --- public statistics --------------------------------------------------------------------------


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """Counts of a year's appeals by topic, district, channel, result and month."""
    years = citizen.statistics_years()
    try:
        year = int(request.GET.get("year") or years[0])
    except ValueError:
        year = years[0]
    if year not in years:
        year = years[0]
    stats = citizen.public_statistics(year)
    charts = {
        name: {"labels": [r.label for r in rows], "counts": [r.count for r in rows]}
        for name, rows in (
            ("month", stats.by_month),
            ("topic", stats.by_topic),
            ("district", stats.by_district),
            ("channel", stats.by_channel),
            ("result", stats.by_result),
        )
    }
    return render(
        request,
        "appeals/public/statistics.html",
        {"stats": stats, "years": years, "charts": charts},
    )


# --- the cabinet --------------------------------------------------------------------------------


def _own(request: HttpRequest, pk: int) -> Appeal:
    appeal = citizen.cabinet_appeal(request.user, pk)
    if appeal is None or not request.user.has_perm("appeals.view_appeal", appeal):
        raise Http404
    return appeal


@login_required
@require_GET
def cabinet(request: HttpRequest) -> HttpResponse:
    """My appeals: index, date, state, term."""
    rows = list(citizen.cabinet_appeals(request.user)[:200])
    return render(
        request, "appeals/public/cabinet.html", {"rows": rows, "today": timezone.localdate()}
    )


@login_required
@require_GET
def cabinet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of my appeals: its history, terms, executor units, answers, follow-up actions."""
    appeal = _own(request, pk)
    audit_view(request=request, target=appeal, what="cabinet")
    return render(
        request,
        "appeals/public/cabinet_detail.html",
        {"view": citizen.cabinet_view(appeal), "today": timezone.localdate()},
    )


@login_required
@require_GET
def cabinet_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    """Download my own attachment or the PDF of an answer sent to me."""
    _own(request, pk)
    stored = citizen.cabinet_file(request.user, pk, file_id)
    if stored is None:
        raise Http404
    audit_view(request=request, target=stored.appeal, what=f"file:{stored.pk}")
    response = FileResponse(
        stored.blob.open("rb"), content_type=stored.mime or "application/octet-stream"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(stored.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@csrf_exempt  # checked in _follow_up_post, after the upload limits are in place
@login_required
@require_http_methods(["GET", "POST"])
def cabinet_follow_up(request: HttpRequest, pk: int, complaint: bool = False) -> HttpResponse:
    """Add to my appeal (a follow-up) or complain about its answer: a new, linked appeal."""
    limits = _with_upload_limits(request)
    appeal = _own(request, pk)
    view = citizen.cabinet_view(appeal)
    allowed = view.can_complain if complaint else view.can_follow_up
    if not allowed:
        raise Http404
    if limits is None:
        return _follow_up_page(request, view, FollowUpForm(), complaint)
    if not _body_readable(request):
        return _follow_up_page(request, view, FollowUpForm(), complaint, status=400)
    return _follow_up_post(request, view, complaint, limits)


def _follow_up_page(
    request: HttpRequest,
    view: citizen.CabinetView,
    form: FollowUpForm,
    complaint: bool,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "appeals/public/follow_up.html",
        {"view": view, "form": form, "complaint": complaint},
        status=status,
    )


@csrf_protect
def _follow_up_post(
    request: HttpRequest, view: citizen.CabinetView, complaint: bool, limits: UploadLimits
) -> HttpResponse:
    form = FollowUpForm(request.POST, request.FILES)
    if limits.too_large or limits.skipped:
        form.is_valid()
        form.add_error(
            "attachments",
            _("Завеликі файли або забагато файлів: до %(max)s файлів, кожен до %(size)s.")
            % {
                "max": settings.HROMADA_APPEALS_MAX_FILES,
                "size": f"{settings.HROMADA_APPEALS_MAX_FILE_BYTES // (1024 * 1024)} МБ",
            },
        )
        return _follow_up_page(request, view, form, complaint, status=400)
    if not form.is_valid():
        return _follow_up_page(request, view, form, complaint, status=400)
    if not _allowed(
        request, "submit", settings.HROMADA_APPEALS_SUBMIT_RATE_LIMIT, str(request.user.pk)
    ):
        form.add_error(None, _("Забагато звернень за короткий час. Спробуйте через годину."))
        return _follow_up_page(request, view, form, complaint, status=429)
    assert isinstance(request.user, User)
    try:
        registered = citizen.citizen_follow_up(
            user=request.user,
            appeal_id=view.appeal.pk,
            text=form.cleaned_data["text"],
            complaint=complaint,
            consent=form.cleaned_data["consent"],
            files=form.cleaned_data.get("attachments") or [],
        )
    except ApplicationError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _follow_up_page(request, view, form, complaint, status=400)
    messages.success(
        request,
        _("Ваше звернення зареєстровано за № %(index)s. Код для перевірки стану: %(code)s.")
        % {"index": registered.appeal.reg_index, "code": registered.tracking_code},
    )
    return redirect(reverse("appeals:cabinet_detail", args=[registered.appeal.pk]))
