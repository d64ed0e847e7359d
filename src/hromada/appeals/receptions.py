"""Personal and visiting receptions (особистий і виїзний прийом громадян), Law 393/96 art. 22.

- **Schedules** (`ReceptionSchedule`): when and where an official receives citizens — every
  week on a weekday, on a weekday of one week of the month ("the 2nd Tuesday"), or on one
  date; hours, place, slot length; visiting receptions in a district. Kept by the reception
  office (`appeals.manage_receptions`) or the official themself (`appeals.change_reception`).
- **Free slots** for the next weeks are computed, never stored: the schedule's slots on the
  days it applies, skipping days off (core.calendar) for recurring schedules, the past, and
  the slots already booked.
- **Booking** (`ReceptionBooking`): a citizen (logged in, or with a name and an e-mail or a
  phone) books a free slot; the database allows one active booking per slot (a partial
  unique constraint), so of two people booking at once the second is told the time is taken.
  Cancelling frees the slot; a citizen without an account cancels through the signed link
  of the confirmation.
- **The personal reception journal** (`ReceptionRecord`, Instruction 348: date, official and
  position, applicant, summary, result), kept by the office; an appeal registered from a
  reception (channel RECEPTION / VISITING_RECEPTION) is linked to its record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from hromada.accounts.models import Employment, User
from hromada.accounts.permissions import acting_for_ids, require, scope_q
from hromada.accounts.roles import Role
from hromada.appeals import selectors, services
from hromada.appeals.models import (
    Appeal,
    Channel,
    ReceptionBooking,
    ReceptionRecord,
    ReceptionSchedule,
)
from hromada.core.audit import audit_record
from hromada.core.calendar import load_rules
from hromada.core.districts import District
from hromada.core.exceptions import ApplicationError

Kind = ReceptionSchedule.Kind
Booking = ReceptionBooking.State
# How far ahead citizens may book, days.
BOOKING_HORIZON_DAYS = 42
_CANCEL_SALT = "hromada.appeals.reception.cancel"
_SMTP_TIMEOUT_SECONDS = 30


def _now() -> datetime:
    return timezone.now()


def _clean(value: str, *, field: str, label: str, limit: int, required: bool = False) -> str:
    value = " ".join((value or "").split()) if limit <= 300 else (value or "").strip()
    if required and not value:
        raise ApplicationError(_("Заповніть поле «%(label)s».") % {"label": label}, field=field)
    if len(value) > limit:
        raise ApplicationError(
            _("Поле «%(label)s» задовге: не більше %(max)s знаків.")
            % {"label": label, "max": limit},
            field=field,
        )
    return value


def position_of(official: User) -> str:
    """Return the title of the official's current post ("начальник управління …")."""
    employment = (
        Employment.objects.current()
        .filter(user=official)
        .select_related("position__unit")
        .order_by("-position__is_head", "pk")
        .first()
    )
    if employment is None:
        return ""
    unit = employment.position.unit
    return f"{employment.position.title}, {unit.short_name or unit.name}"[:300]


# --- schedules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleData:
    """What a schedule says (the form's cleaned values)."""

    start_time: time
    end_time: time
    place: str
    kind: str = Kind.PERSONAL
    weekday: int | None = None
    week_of_month: int | None = None
    on_date: date | None = None
    slot_minutes: int = 15
    district: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    is_active: bool = True


def _check_schedule(data: ScheduleData) -> ScheduleData:
    place = _clean(data.place, field="place", label=_("Місце"), limit=300, required=True)
    if data.kind not in Kind.values:
        raise ApplicationError(_("Оберіть вид прийому."), field="kind")
    if data.on_date is None and data.weekday is None:
        raise ApplicationError(
            _("Вкажіть день тижня (регулярний прийом) або дату (разовий прийом)."),
            field="weekday",
        )
    if data.on_date is not None and (data.weekday is not None or data.week_of_month):
        raise ApplicationError(
            _("Разовий прийом має лише дату: приберіть день тижня і тиждень місяця."),
            field="on_date",
        )
    if data.weekday is not None and not 1 <= data.weekday <= 7:
        raise ApplicationError(_("День тижня — від 1 (понеділок) до 7 (неділя)."), field="weekday")
    if data.week_of_month is not None and not 1 <= data.week_of_month <= 5:
        raise ApplicationError(_("Тиждень місяця — від 1 до 5."), field="week_of_month")
    if data.end_time <= data.start_time:
        raise ApplicationError(
            _("Прийом має закінчуватися пізніше, ніж починається."), field="end_time"
        )
    if not 5 <= data.slot_minutes <= 240:
        raise ApplicationError(_("Тривалість запису — від 5 до 240 хвилин."), field="slot_minutes")
    length = (
        datetime.combine(date.min, data.end_time) - datetime.combine(date.min, data.start_time)
    ).seconds // 60
    if length < data.slot_minutes:
        raise ApplicationError(
            _("У годинах прийому не вміщується жоден запис такої тривалості."),
            field="slot_minutes",
        )
    if data.district and data.district not in District.values:
        raise ApplicationError(_("Оберіть район зі списку."), field="district")
    if data.kind == Kind.VISITING and not data.district:
        raise ApplicationError(_("Для виїзного прийому оберіть район."), field="district")
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        raise ApplicationError(_("«Діє по» не може бути раніше, ніж «діє з»."), field="valid_to")
    return ScheduleData(**{**data.__dict__, "place": place, "week_of_month": data.week_of_month})


@transaction.atomic
def reception_schedule_save(
    *, actor: User, official: User, data: ScheduleData, schedule_id: int | None = None
) -> ReceptionSchedule:
    """Create or change an official's reception schedule."""
    require(actor, "appeals.change_reception", official)
    data = _check_schedule(data)
    if schedule_id is None:
        schedule = ReceptionSchedule(official=official)
        before: dict[str, Any] = {}
    else:
        schedule = ReceptionSchedule.objects.select_for_update().get(pk=schedule_id)
        if schedule.official_id != official.pk:
            raise ApplicationError(_("Графік належить іншій посадовій особі."))
        before = {k: str(getattr(schedule, k)) for k in data.__dict__}
    for name, value in data.__dict__.items():
        setattr(schedule, name, value)
    schedule.save()
    audit_record(
        actor=actor,
        action="appeals.reception_schedule." + ("created" if not before else "changed"),
        target=schedule,
        data={
            "official": official.pk,
            "changed": {
                k: [before.get(k), str(v)]
                for k, v in data.__dict__.items()
                if before.get(k) != str(v)
            },
        },
    )
    return schedule


WEEKDAYS = ("", "понеділок", "вівторок", "середа", "четвер", "п'ятниця", "субота", "неділя")


def describe(schedule: ReceptionSchedule) -> str:
    """Return when a schedule receives, in words: "щопонеділка, 10:00–13:00"."""
    hours = f"{schedule.start_time:%H:%M}–{schedule.end_time:%H:%M}"
    if schedule.on_date is not None:
        return f"{schedule.on_date:%d.%m.%Y}, {hours}"
    day = schedule.weekday or 0
    if schedule.week_of_month:
        when = _("%(n)s-й %(day)s місяця") % {"n": schedule.week_of_month, "day": WEEKDAYS[day]}
    else:
        when = _("щотижня: %(day)s") % {"day": WEEKDAYS[day]}
    return f"{when}, {hours}"


def schedules_of(official: User, *, active: bool = True) -> QuerySet[ReceptionSchedule]:
    qs = ReceptionSchedule.objects.filter(official=official)
    if active:
        qs = qs.filter(is_active=True)
    return qs.order_by("on_date", "weekday", "week_of_month", "start_time", "pk")


# --- free slots --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One bookable time of a schedule."""

    schedule: ReceptionSchedule
    starts_at: datetime
    free: bool = True

    @property
    def key(self) -> str:
        return timezone.localtime(self.starts_at).strftime("%Y-%m-%dT%H:%M")


def applies_on(schedule: ReceptionSchedule, day: date) -> bool:
    """Return whether the schedule has a reception on this day (ignoring days off)."""
    if schedule.valid_from and day < schedule.valid_from:
        return False
    if schedule.valid_to and day > schedule.valid_to:
        return False
    if schedule.on_date is not None:
        return schedule.on_date == day
    if schedule.weekday != day.isoweekday():
        return False
    return not schedule.week_of_month or schedule.week_of_month == (day.day - 1) // 7 + 1


def _slot_times(schedule: ReceptionSchedule, day: date) -> list[datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, schedule.start_time), tz)
    end = timezone.make_aware(datetime.combine(day, schedule.end_time), tz)
    step = timedelta(minutes=schedule.slot_minutes)
    out = []
    at = start
    while at + step <= end:
        out.append(at)
        at += step
    return out


def slots(
    schedules: Iterable[ReceptionSchedule],
    *,
    start: date | None = None,
    days: int = 28,
    include_booked: bool = False,
) -> list[Slot]:
    """Return the schedules' slots from `start` for `days` days, free ones only by default."""
    schedules = [s for s in schedules if s.is_active]
    if not schedules:
        return []
    now = _now()
    first = start or timezone.localdate()
    last = first + timedelta(days=days - 1)
    rules = load_rules(first, last)
    booked = set(
        ReceptionBooking.objects.filter(
            schedule__in=schedules,
            state=Booking.BOOKED,
            starts_at__gte=timezone.make_aware(datetime.combine(first, time.min)),
        ).values_list("schedule_id", "starts_at")
    )
    out: list[Slot] = []
    day = first
    while day <= last:
        for schedule in schedules:
            if not applies_on(schedule, day):
                continue
            # A recurring reception does not happen on a day off; a one-off date is deliberate.
            if schedule.on_date is None and not rules.is_working_day(day):
                continue
            for at in _slot_times(schedule, day):
                if at <= now:
                    continue
                free = (schedule.pk, at) not in booked
                if free or include_booked:
                    out.append(Slot(schedule=schedule, starts_at=at, free=free))
        day += timedelta(days=1)
    out.sort(key=lambda s: (s.starts_at, s.schedule.pk))
    return out


def free_slots_of(official: User, *, days: int = 28) -> list[Slot]:
    return slots(schedules_of(official), days=days)


def _is_slot(schedule: ReceptionSchedule, starts_at: datetime) -> bool:
    day = timezone.localtime(starts_at).date()
    horizon = timezone.localdate() + timedelta(days=BOOKING_HORIZON_DAYS)
    if day > horizon or starts_at <= _now() or not applies_on(schedule, day):
        return False
    if schedule.on_date is None and not load_rules(day, day).is_working_day(day):
        return False
    return starts_at in _slot_times(schedule, day)


# --- bookings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    """Who books: the name, contacts and the question."""

    surname: str
    given_name: str
    summary: str
    patronymic: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""


def _check_applicant(applicant: Applicant) -> Applicant:
    surname = _clean(
        applicant.surname, field="surname", label=_("Прізвище"), limit=100, required=True
    )
    given = _clean(
        applicant.given_name, field="given_name", label=_("Ім'я"), limit=100, required=True
    )
    patronymic = _clean(applicant.patronymic, field="patronymic", label=_("По батькові"), limit=100)
    address = _clean(applicant.address, field="address", label=_("Місце проживання"), limit=300)
    email = _clean(applicant.email, field="email", label=_("E-mail"), limit=254).lower()
    phone = _clean(applicant.phone, field="phone", label=_("Телефон"), limit=30)
    summary = _clean(
        applicant.summary, field="summary", label=_("Питання"), limit=500, required=True
    )
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ApplicationError(
                _("Вкажіть правильну адресу електронної пошти, напр. ivan@example.com."),
                field="email",
            ) from exc
    if phone and len(selectors.phone_digits(phone)) < 9:
        raise ApplicationError(
            _("Вкажіть номер телефону повністю, напр. 067 123 45 67."), field="phone"
        )
    if not (email or phone):
        raise ApplicationError(
            _("Вкажіть e-mail або телефон, щоб ми могли повідомити про зміни."), field="email"
        )
    return Applicant(
        surname=surname,
        given_name=given,
        patronymic=patronymic,
        address=address,
        email=email,
        phone=phone,
        summary=summary,
    )


def cancel_token(booking: ReceptionBooking) -> str:
    """Return the signed token of a booking's cancellation link (sent to the citizen)."""
    return signing.dumps({"b": booking.pk}, salt=_CANCEL_SALT, compress=True)


def booking_for_token(token: str) -> ReceptionBooking | None:
    try:
        value = signing.loads(token, salt=_CANCEL_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("b"), int):
        return None
    return (
        ReceptionBooking.objects.select_related("schedule__official").filter(pk=value["b"]).first()
    )


SLOT_TAKEN = "slot_taken"


@transaction.atomic
def reception_book(
    *,
    schedule_id: int,
    starts_at: datetime,
    applicant: Applicant,
    citizen: User | None = None,
) -> ReceptionBooking:
    """Book a free slot of a reception for a citizen; refuse a taken or non-existent one."""
    schedule = ReceptionSchedule.objects.select_related("official").filter(pk=schedule_id).first()
    if schedule is None or not schedule.is_active:
        raise ApplicationError(_("Такого графіка прийому немає."), field="slot")
    if not _is_slot(schedule, starts_at):
        raise ApplicationError(
            _("На цей час запис неможливий: оберіть вільний час зі списку."), field="slot"
        )
    applicant = _check_applicant(applicant)
    if citizen is not None and not getattr(citizen, "is_authenticated", False):
        citizen = None
    booking = ReceptionBooking(
        schedule=schedule,
        starts_at=starts_at,
        citizen=citizen,
        surname=applicant.surname,
        given_name=applicant.given_name,
        patronymic=applicant.patronymic,
        address=applicant.address,
        email=applicant.email,
        phone=applicant.phone,
        summary=applicant.summary,
    )
    try:
        with transaction.atomic():  # a savepoint: only this INSERT is undone on a clash
            booking.save()
    except IntegrityError as exc:
        raise ApplicationError(
            _(
                "Цей час щойно зайняв інший відвідувач. Оберіть, будь ласка, інший вільний "
                "час прийому."
            ),
            field="slot",
            code=SLOT_TAKEN,
        ) from exc
    audit_record(
        actor=citizen,
        action="appeals.reception_booking.booked",
        target=booking,
        data={
            "schedule": schedule.pk,
            "at": starts_at.isoformat(),
            "official": schedule.official_id,
        },
    )
    if booking.email:
        booking_id = booking.pk
        transaction.on_commit(lambda: send_booking_notice.enqueue(booking_id=booking_id))
    return booking


def may_manage_booking(user: Any, booking: ReceptionBooking) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (
            booking.citizen_id == user.pk
            or user.has_perm("appeals.change_reception", booking.schedule)
            or user.has_perm("appeals.keep_reception_journal")
        )
    )


@transaction.atomic
def reception_cancel(
    *, booking_id: int, actor: User | None = None, token: str = "", reason: str = ""
) -> ReceptionBooking:
    """Cancel a booking: by its citizen, the office, or the holder of the signed link."""
    booking = (
        ReceptionBooking.objects.select_for_update().select_related("schedule").get(pk=booking_id)
    )
    by_token = bool(token) and (
        (found := booking_for_token(token)) is not None and found.pk == booking.pk
    )
    if not by_token and not (actor is not None and may_manage_booking(actor, booking)):
        raise ApplicationError(_("Недостатньо прав для цієї дії."), code="permission_denied")
    if booking.state != Booking.BOOKED:
        raise ApplicationError(
            _("Запис уже має стан «%(state)s».") % {"state": booking.get_state_display()}
        )
    if booking.starts_at <= _now():
        raise ApplicationError(_("Прийом уже відбувся: запис не можна скасувати."))
    booking.state = Booking.CANCELLED
    booking.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor,
        action="appeals.reception_booking.cancelled",
        target=booking,
        data={"reason": _clean(reason, field="reason", label=_("Причина"), limit=300)},
    )
    return booking


@transaction.atomic
def reception_booking_mark(*, actor: User, booking_id: int, state: str) -> ReceptionBooking:
    """Mark whether a booked citizen came (the office, on the day)."""
    booking = (
        ReceptionBooking.objects.select_for_update().select_related("schedule").get(pk=booking_id)
    )
    require(actor, "appeals.keep_reception_journal")
    if state not in (Booking.ATTENDED, Booking.NO_SHOW):
        raise ApplicationError(_("Оберіть: прийнято або не з'явився(лася)."))
    if booking.state not in (Booking.BOOKED, Booking.ATTENDED, Booking.NO_SHOW):
        raise ApplicationError(_("Скасований запис не можна позначити."))
    booking.state = state
    booking.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor,
        action="appeals.reception_booking.marked",
        target=booking,
        data={"state": state},
    )
    return booking


@task(queue_name="mail")
def send_booking_notice(*, booking_id: int) -> bool:
    """E-mail the citizen the booking's time and place with the cancellation link."""
    booking = (
        ReceptionBooking.objects.select_related("schedule__official").filter(pk=booking_id).first()
    )
    if booking is None or not booking.email or booking.state != Booking.BOOKED:
        return False
    base_url = settings.HROMADA_BASE_URL.rstrip("/")
    context = {
        "booking": booking,
        "schedule": booking.schedule,
        "official": booking.schedule.official,
        "position": position_of(booking.schedule.official),
        "city": settings.HROMADA_CITY_NAME,
        "cancel_link": base_url + reverse("appeals:reception_cancel", args=[cancel_token(booking)]),
    }
    subject = " ".join(render_to_string("appeals/reception/email_subject.txt", context).split())
    body = render_to_string("appeals/reception/email_message.txt", context)
    EmailMessage(
        subject,
        body,
        None,
        [booking.email],
        connection=get_connection(timeout=_SMTP_TIMEOUT_SECONDS),
    ).send()
    return True


def bookings_for(user: Any, *, since: date | None = None) -> QuerySet[ReceptionBooking]:
    """The upcoming bookings the user may see: the office's all, an official's own."""
    qs = ReceptionBooking.objects.select_related("schedule__official").order_by("starts_at", "pk")
    if since is not None:
        qs = qs.filter(starts_at__gte=timezone.make_aware(datetime.combine(since, time.min)))
    if user.has_perm("appeals.manage_receptions") or user.has_perm(
        "appeals.keep_reception_journal"
    ):
        return qs
    return qs.filter(schedule__official_id__in=acting_for_ids(user))


def citizen_bookings(user: Any) -> QuerySet[ReceptionBooking]:
    if not getattr(user, "is_authenticated", False):
        return ReceptionBooking.objects.none()
    return (
        ReceptionBooking.objects.filter(citizen=user)
        .select_related("schedule__official")
        .order_by("-starts_at", "-pk")
    )


# --- the personal reception journal ----------------------------------------------------------


@dataclass(frozen=True)
class RecordData:
    """An entry of the personal reception journal."""

    date: date
    surname: str
    given_name: str
    summary: str
    kind: str = Kind.PERSONAL
    patronymic: str = ""
    address: str = ""
    phone: str = ""
    result: str = ""


@transaction.atomic
def reception_record_create(
    *,
    actor: User,
    official: User,
    data: RecordData,
    booking_id: int | None = None,
) -> ReceptionRecord:
    """Write an entry of the personal reception journal (from a booking, or a walk-in)."""
    require(actor, "appeals.keep_reception_journal")
    if data.date > timezone.localdate():
        raise ApplicationError(_("Дата прийому не може бути в майбутньому."), field="date")
    if data.kind not in Kind.values:
        raise ApplicationError(_("Оберіть вид прийому."), field="kind")
    booking = None
    if booking_id is not None:
        booking = ReceptionBooking.objects.select_for_update().get(pk=booking_id)
        if ReceptionRecord.objects.filter(booking=booking).exists():
            raise ApplicationError(_("Цей прийом уже записано в журнал."))
        if booking.state in (Booking.BOOKED, Booking.NO_SHOW):
            booking.state = Booking.ATTENDED
            booking.save(update_fields=["state", "updated_at"])
    record = ReceptionRecord(
        unit=selectors.body_for_official(official),
        date=data.date,
        official=official,
        official_position=position_of(official),
        kind=data.kind,
        booking=booking,
        surname=_clean(
            data.surname, field="surname", label=_("Прізвище"), limit=100, required=True
        ),
        given_name=_clean(
            data.given_name, field="given_name", label=_("Ім'я"), limit=100, required=True
        ),
        patronymic=_clean(data.patronymic, field="patronymic", label=_("По батькові"), limit=100),
        address=_clean(data.address, field="address", label=_("Місце проживання"), limit=300),
        phone=_clean(data.phone, field="phone", label=_("Телефон"), limit=30),
        summary=_clean(
            data.summary, field="summary", label=_("Короткий зміст"), limit=5000, required=True
        ),
        result=_clean(data.result, field="result", label=_("Результат"), limit=5000),
        recorded_by=actor,
    )
    record.save()
    audit_record(
        actor=actor,
        action="appeals.reception_record.created",
        target=record,
        data={"official": official.pk, "booking": booking_id, "kind": data.kind},
    )
    return record


@transaction.atomic
def reception_record_set_result(*, actor: User, record_id: int, result: str) -> ReceptionRecord:
    """Write down the result of a reception (what was decided or explained)."""
    record = ReceptionRecord.objects.select_for_update().get(pk=record_id)
    require(actor, "appeals.keep_reception_journal")
    if not may_see_record(actor, record):
        raise ApplicationError(_("Недостатньо прав для цієї дії."), code="permission_denied")
    old = record.result
    record.result = _clean(result, field="result", label=_("Результат"), limit=5000, required=True)
    record.save(update_fields=["result", "updated_at"])
    audit_record(
        actor=actor,
        action="appeals.reception_record.result",
        target=record,
        data={"changed": old != record.result},
    )
    return record


@transaction.atomic
def reception_record_register_appeal(
    *,
    actor: User,
    record_id: int,
    topics: Sequence[str],
    kind: str = Appeal.Kind.APPLICATION,
    needs_study: bool = True,
    sex: str = "",
    category: str = "",
    district: str = "",
    email: str = "",
    text: str = "",
    confirm_not_duplicate: bool = False,
) -> services.Registered:
    """Register an appeal from a reception (written down by the official), linked to the record."""
    record = (
        ReceptionRecord.objects.select_for_update().select_related("official").get(pk=record_id)
    )
    if record.appeal_id is not None:
        raise ApplicationError(
            _("З цього прийому вже зареєстровано звернення № %(index)s.")
            % {"index": record.appeal.reg_index if record.appeal else ""}
        )
    channel = Channel.VISITING_RECEPTION if record.kind == Kind.VISITING else Channel.RECEPTION
    card = services.AppealCard(
        text=text or record.summary,
        summary=record.summary.split("\n")[0][: services.MAX_SUMMARY],
        surname=record.surname,
        given_name=record.given_name,
        patronymic=record.patronymic,
        address=record.address,
        phone=record.phone,
        email=email,
        district=district,
        sex=sex,
        category=category,
        kind=kind,
        topics=list(topics),
        needs_study=needs_study,
        written_date=record.date,
        received_date=record.date,
        addressee=record.official,
        applicant=record.booking.citizen if record.booking else None,
        confirm_not_duplicate=confirm_not_duplicate,
        source_ref=f"reception-record:{record.pk}",
    )
    registered = services.appeal_register(actor=actor, body=record.unit, channel=channel, card=card)
    record.appeal = registered.appeal
    record.save(update_fields=["appeal", "updated_at"])
    audit_record(
        actor=actor,
        action="appeals.reception_record.appeal_registered",
        target=record,
        data={"appeal": registered.appeal.pk, "index": registered.appeal.reg_index},
    )
    return registered


def journal_q(user: Any) -> Q:
    """The journal entries a user may read: their scope's bodies, or their own receptions."""
    office = scope_q(user, [Role.OPERATOR, Role.HEAD, Role.CONTROLLER])
    return office | Q(official_id__in=acting_for_ids(user))


def may_see_record(user: Any, record: ReceptionRecord) -> bool:
    return ReceptionRecord.objects.filter(journal_q(user), pk=record.pk).exists()


def journal(
    user: Any, *, since: date | None = None, until: date | None = None, q: str = ""
) -> QuerySet[ReceptionRecord]:
    qs = ReceptionRecord.objects.filter(journal_q(user)).select_related("official", "appeal")
    if since:
        qs = qs.filter(date__gte=since)
    if until:
        qs = qs.filter(date__lte=until)
    if q:
        words = q.split()[:5]
        for word in words:
            qs = qs.filter(
                Q(surname__icontains=word)
                | Q(summary__icontains=word)
                | Q(official__surname__icontains=word)
            )
    return qs.order_by("-date", "-pk")
