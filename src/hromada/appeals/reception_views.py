"""Receptions: booking a slot (public), schedules, bookings and the reception journal (staff)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hromada.accounts.models import User
from hromada.appeals import receptions, rooms
from hromada.appeals.models import Appeal, ReceptionBooking, ReceptionRecord, ReceptionSchedule
from hromada.control.http import actor, require_or_403, staff_view
from hromada.core.audit import audit_view
from hromada.core.classifiers import classifier_choices
from hromada.core.districts import District
from hromada.core.exceptions import ApplicationError

Kind = ReceptionSchedule.Kind
INPUT = {"class": "govuk-input"}
DATE_INPUT = {"type": "date", "class": "govuk-input govuk-input--width-10"}
TIME_INPUT = {"type": "time", "class": "govuk-input govuk-input--width-5"}


def _form_error(form: forms.Form, exc: ApplicationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# --- public: booking ---------------------------------------------------------------------------


class BookingForm(forms.Form):
    surname = forms.CharField(label=gettext_lazy("Прізвище"), max_length=100)
    given_name = forms.CharField(label=gettext_lazy("Ім'я"), max_length=100)
    patronymic = forms.CharField(label=gettext_lazy("По батькові"), max_length=100, required=False)
    address = forms.CharField(
        label=gettext_lazy("Місце проживання"), max_length=300, required=False
    )
    email = forms.CharField(label=gettext_lazy("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=gettext_lazy("Телефон"), max_length=30, required=False)
    summary = forms.CharField(
        label=gettext_lazy("З якого питання"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _parse_at(value: str) -> datetime | None:
    try:
        parsed = datetime.strptime(value[:16], "%Y-%m-%dT%H:%M")
    except ValueError:
        return None
    return timezone.make_aware(parsed)


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, schedule_id: int) -> HttpResponse:
    """Book a slot of an official's reception: name, contacts, the question."""
    schedule = get_object_or_404(
        ReceptionSchedule.objects.select_related("official"), pk=schedule_id, is_active=True
    )
    room = rooms.room_of(schedule.official)
    at = _parse_at(request.POST.get("at") or request.GET.get("at", ""))
    user = actor(request) if request.user.is_authenticated else None
    if request.method == "POST":
        form = BookingForm(request.POST)
        if form.is_valid() and at is None:
            form.add_error(None, _("Оберіть час прийому зі списку вільних."))
        if form.is_valid() and at is not None:
            try:
                booking = receptions.reception_book(
                    schedule_id=schedule.pk,
                    starts_at=at,
                    applicant=receptions.Applicant(**form.cleaned_data),
                    citizen=user,
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                return redirect("appeals:reception_booked", token=receptions.cancel_token(booking))
    else:
        initial: dict[str, Any] = {}
        if user is not None:
            initial = {
                "surname": getattr(user, "surname", ""),
                "given_name": getattr(user, "given_name", ""),
                "patronymic": getattr(user, "patronymic", ""),
                "email": getattr(user, "email", ""),
                "phone": getattr(user, "phone", ""),
            }
        form = BookingForm(initial=initial)
    free = receptions.slots([schedule], days=receptions.BOOKING_HORIZON_DAYS)
    return render(
        request,
        "appeals/reception/book.html",
        {
            "form": form,
            "schedule": schedule,
            "official": schedule.official,
            "room": room,
            "at": at,
            "slots": free[:60],
            "chosen": timezone.localtime(at).strftime("%Y-%m-%dT%H:%M") if at else "",
        },
        status=400 if form.errors else 200,
    )


@require_GET
def booked(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation of a booking (its link is also the cancellation link)."""
    booking = receptions.booking_for_token(token)
    if booking is None:
        raise Http404
    return render(
        request,
        "appeals/reception/booked.html",
        {
            "booking": booking,
            "token": token,
            "room": rooms.room_of(booking.schedule.official),
            "position": receptions.position_of(booking.schedule.official),
        },
    )


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Cancel a booking through the signed link (no account needed)."""
    booking = receptions.booking_for_token(token)
    if booking is None:
        raise Http404
    if request.method == "POST":
        try:
            receptions.reception_cancel(
                booking_id=booking.pk,
                token=token,
                actor=actor(request) if request.user.is_authenticated else None,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Запис на прийом скасовано."))
        return redirect("appeals:reception_booked", token=token)
    return render(request, "appeals/reception/cancel.html", {"booking": booking, "token": token})


# --- staff: schedules and bookings ---------------------------------------------------------------


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Вид прийому"), choices=Kind.choices)
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("День тижня"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", "—"),
            (1, gettext_lazy("понеділок")),
            (2, gettext_lazy("вівторок")),
            (3, gettext_lazy("середа")),
            (4, gettext_lazy("четвер")),
            (5, gettext_lazy("п'ятниця")),
            (6, gettext_lazy("субота")),
            (7, gettext_lazy("неділя")),
        ],
    )
    week_of_month = forms.TypedChoiceField(
        label=gettext_lazy("Тиждень місяця"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", gettext_lazy("щотижня"))] + [(i, str(i)) for i in range(1, 6)],
    )
    on_date = forms.DateField(
        label=gettext_lazy("або дата (разовий прийом)"),
        required=False,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )
    start_time = forms.TimeField(
        label=gettext_lazy("Початок"), widget=forms.TimeInput(attrs=TIME_INPUT, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=gettext_lazy("Кінець"), widget=forms.TimeInput(attrs=TIME_INPUT, format="%H:%M")
    )
    slot_minutes = forms.IntegerField(
        label=gettext_lazy("Тривалість запису, хв"), min_value=5, max_value=240, initial=15
    )
    place = forms.CharField(label=gettext_lazy("Місце"), max_length=300)
    district = forms.ChoiceField(
        label=gettext_lazy("Район (для виїзного прийому)"),
        required=False,
        choices=[("", "—"), *District.choices],
    )
    valid_from = forms.DateField(
        label=gettext_lazy("Діє з"),
        required=False,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )
    valid_to = forms.DateField(
        label=gettext_lazy("Діє по"),
        required=False,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )
    is_active = forms.BooleanField(label=gettext_lazy("Діє"), required=False, initial=True)


@staff_view
@require_GET
def staff_receptions(request: HttpRequest) -> HttpResponse:
    """Schedules and upcoming bookings: the official's own, or everyone's for the office."""
    user = actor(request)
    manager = user.has_perm("appeals.manage_receptions")
    official_id = request.GET.get("official", "")
    official = None
    if official_id.isdigit():
        official = get_object_or_404(User, pk=int(official_id))
    elif not manager:
        official = user
    schedules = ReceptionSchedule.objects.select_related("official").order_by(
        "official__surname", "on_date", "weekday", "start_time"
    )
    bookings = receptions.bookings_for(user, since=timezone.localdate()).filter(
        state=ReceptionBooking.State.BOOKED
    )
    if official is not None:
        schedules = schedules.filter(official=official)
        bookings = bookings.filter(schedule__official=official)
    elif not manager:
        schedules = schedules.none()
    schedule_page = Paginator(schedules, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "appeals/reception/staff_list.html",
        {
            "official": official,
            "manager": manager,
            "schedule_page": schedule_page,
            "bookings": list(bookings[:100]),
            "may_journal": user.has_perm("appeals.keep_reception_journal"),
        },
    )


@staff_view
@require_http_methods(["GET", "POST"])
def schedule_edit(
    request: HttpRequest, official_id: int, schedule_id: int | None = None
) -> HttpResponse:
    """Create or change a reception schedule of an official."""
    official = get_object_or_404(User, pk=official_id)
    require_or_403(request, "appeals.change_reception", official)
    schedule = None
    if schedule_id is not None:
        schedule = get_object_or_404(ReceptionSchedule, pk=schedule_id, official=official)
    if request.method == "POST":
        form = ScheduleForm(request.POST)
        if form.is_valid():
            data = {**form.cleaned_data, "district": form.cleaned_data["district"] or ""}
            try:
                receptions.reception_schedule_save(
                    actor=actor(request),
                    official=official,
                    data=receptions.ScheduleData(**data),
                    schedule_id=schedule.pk if schedule else None,
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Графік прийому збережено."))
                return redirect(reverse("appeals:receptions") + f"?official={official.pk}")
    elif schedule is not None:
        form = ScheduleForm(
            initial={
                f: getattr(schedule, f) for f in ScheduleForm.base_fields if hasattr(schedule, f)
            }
        )
    else:
        form = ScheduleForm(initial={"is_active": True, "slot_minutes": 15})
    return render(
        request,
        "appeals/reception/schedule_form.html",
        {"form": form, "official": official, "schedule": schedule},
        status=400 if form.errors else 200,
    )


@staff_view
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(ReceptionBooking.objects.select_related("schedule"), pk=pk)
    try:
        receptions.reception_cancel(
            booking_id=booking.pk, actor=actor(request), reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Запис скасовано."))
    return redirect(reverse("appeals:receptions") + f"?official={booking.schedule.official_id}")


# --- staff: the personal reception journal -------------------------------------------------------


class RecordForm(forms.Form):
    official = forms.ModelChoiceField(
        label=gettext_lazy("Посадова особа, яка проводила прийом"),
        queryset=User.objects.filter(reception_room__isnull=False).order_by("surname"),
    )
    date = forms.DateField(
        label=gettext_lazy("Дата прийому"),
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Вид прийому"), choices=Kind.choices)
    surname = forms.CharField(label=gettext_lazy("Прізвище"), max_length=100)
    given_name = forms.CharField(label=gettext_lazy("Ім'я"), max_length=100)
    patronymic = forms.CharField(label=gettext_lazy("По батькові"), max_length=100, required=False)
    address = forms.CharField(
        label=gettext_lazy("Місце проживання"), max_length=300, required=False
    )
    phone = forms.CharField(label=gettext_lazy("Телефон"), max_length=30, required=False)
    summary = forms.CharField(
        label=gettext_lazy("Короткий зміст"), widget=forms.Textarea(attrs={"rows": 4})
    )
    result = forms.CharField(
        label=gettext_lazy("Результат розгляду"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RegisterFromRecordForm(forms.Form):
    topic = forms.ChoiceField(label=gettext_lazy("Питання (тематика)"))
    kind = forms.ChoiceField(label=gettext_lazy("Вид звернення"), choices=Appeal.Kind.choices)
    needs_study = forms.BooleanField(
        label=gettext_lazy("Потребує додаткового вивчення (строк — місяць)"),
        required=False,
        initial=True,
    )
    confirm_not_duplicate = forms.BooleanField(
        label=gettext_lazy("Це інше звернення, не дублетне"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)
        topic.choices = [("", _("— оберіть —")), *classifier_choices("858", "topics")]


@staff_view
@require_http_methods(["GET", "POST"])
def journal(request: HttpRequest) -> HttpResponse:
    """The personal reception journal: entries in the user's scope, and a new entry."""
    require_or_403(request, "appeals.keep_reception_journal")
    booking = None
    booking_id = request.GET.get("booking") or request.POST.get("booking") or ""
    if booking_id.isdigit():
        booking = get_object_or_404(
            receptions.bookings_for(request.user).select_related("schedule__official"),
            pk=int(booking_id),
        )
    if request.method == "POST":
        form = RecordForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            official = data.pop("official")
            try:
                record = receptions.reception_record_create(
                    actor=actor(request),
                    official=official,
                    data=receptions.RecordData(**data),
                    booking_id=booking.pk if booking else None,
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Запис додано до журналу особистого прийому."))
                return redirect("appeals:reception_record", pk=record.pk)
    else:
        initial: dict[str, Any] = {"date": timezone.localdate(), "kind": Kind.PERSONAL}
        if booking is not None:
            initial.update(
                official=booking.schedule.official_id,
                date=timezone.localtime(booking.starts_at).date(),
                kind=booking.schedule.kind,
                surname=booking.surname,
                given_name=booking.given_name,
                patronymic=booking.patronymic,
                address=booking.address,
                phone=booking.phone,
                summary=booking.summary,
            )
        form = RecordForm(initial=initial)
    q = request.GET.get("q", "")[:100]
    page = Paginator(receptions.journal(request.user, q=q), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "appeals/reception/journal.html",
        {"form": form, "page_obj": page, "q": q, "booking": booking},
        status=400 if form.errors else 200,
    )


@staff_view
@require_http_methods(["GET", "POST"])
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One journal entry: its result, and "register an appeal from this reception"."""
    record = get_object_or_404(
        ReceptionRecord.objects.select_related("official", "appeal", "booking"), pk=pk
    )
    require_or_403(request, "appeals.keep_reception_journal")
    if not receptions.may_see_record(request.user, record):
        raise Http404
    register_form = RegisterFromRecordForm()
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "result":
        try:
            receptions.reception_record_set_result(
                actor=actor(request), record_id=record.pk, result=request.POST.get("result", "")
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Результат прийому записано."))
        return redirect("appeals:reception_record", pk=record.pk)
    if request.method == "POST" and action == "register":
        register_form = RegisterFromRecordForm(request.POST)
        if register_form.is_valid():
            data = register_form.cleaned_data
            try:
                registered = receptions.reception_record_register_appeal(
                    actor=actor(request),
                    record_id=record.pk,
                    topics=[data["topic"]],
                    kind=data["kind"],
                    needs_study=data["needs_study"],
                    confirm_not_duplicate=data["confirm_not_duplicate"],
                )
            except ApplicationError as exc:
                _form_error(register_form, exc)
            else:
                messages.success(
                    request,
                    _("Звернення зареєстровано за № %(index)s.")
                    % {"index": registered.appeal.reg_index},
                )
                return redirect("appeals:reception_record", pk=record.pk)
    audit_view(request=request, target=record)
    return render(
        request,
        "appeals/reception/record.html",
        {
            "record": record,
            "register_form": register_form,
            "may_register": request.user.has_perm("appeals.register", record.unit),
        },
        status=400 if register_form.errors else 200,
    )
