"""Every write to programmes, their measures, entries and reports.

Each service checks the actor's permission (``actor=None`` is the system itself:
management commands, the demo loader), locks what it changes, validates, writes and
records an audit event in the same transaction. Model instances passed in are
re-read under a lock; the caller's copies may be stale.

Entries (activities, spending, indicator values, narratives) dated in, or recorded
for, a period whose report is approved are locked: changing them needs a new version
of that report first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from hromada.accounts.models import OrgUnit, User
from hromada.accounts.permissions import grants_of, require
from hromada.core.audit import audit_record, changed_fields, snapshot
from hromada.core.exceptions import ApplicationError
from hromada.programs.metrics import metric_exists
from hromada.programs.models import (
    Activity,
    ActivityType,
    FundingSource,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    Narrative,
    PlannedFunding,
    Programme,
    Report,
    SpendingEntry,
)
from hromada.programs.periods import Period

Actor = User | None
M = TypeVar("M", bound=models.Model)

MAX_AMOUNT = Decimal("99999999999999.99")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")

PROGRAMME_FIELDS = (
    "code",
    "title",
    "title_genitive",
    "year_from",
    "year_to",
    "decision_number",
    "decision_date",
    "coordinator_unit",
    "description",
)
ACTIVITY_FIELDS = (
    "measure",
    "unit",
    "type",
    "date",
    "title",
    "place",
    "participants",
    "attendance",
    "by_mayor",
)
SPENDING_FIELDS = ("measure", "unit", "date", "amount", "source", "purpose")


# --- validation helpers (also used by the importer) --------------------------------
def _check(actor: Actor, perm: str, obj: Any = None) -> None:
    if actor is not None:
        require(actor, perm, obj)


def _lock(model: type[M], pk: Any) -> M:
    return model._default_manager.select_for_update().get(pk=pk)


def _full_clean(obj: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """Validate lengths, choices and formats (SQLite does not enforce them)."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise ApplicationError(errors[0], field=None if field == "__all__" else field) from exc


def clean_text(value: Any, field: str, *, required: bool = False, max_length: int = 0) -> str:
    """Return stripped text; raise if required and empty, or longer than max_length."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ApplicationError("Має бути текстом.", field=field)
    text = value.replace("\x00", "").strip()
    if required and not text:
        raise ApplicationError("Це поле обов'язкове.", field=field)
    if max_length and len(text) > max_length:
        raise ApplicationError(f"Не довше {max_length} знаків.", field=field)
    return text


def parse_amount(value: Any, field: str, *, allow_zero: bool = False) -> Decimal:
    """Return a sum in UAH (kopecks at most); accepts 1940.5, "1940.50" and "1 940,50"."""
    if isinstance(value, bool) or value is None or value == "":
        raise ApplicationError("Має бути додатним числом.", field=field)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, (int, float)):
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ApplicationError("Має бути додатним числом.", field=field) from None
    else:
        raise ApplicationError("Має бути додатним числом.", field=field)
    if not number.is_finite():
        raise ApplicationError("Має бути додатним числом.", field=field)
    if number < 0 or (number == 0 and not allow_zero):
        message = "Не може бути від'ємним." if allow_zero else "Має бути додатним числом."
        raise ApplicationError(message, field=field)
    if number != number.quantize(Decimal("0.01")):
        raise ApplicationError("Не більше двох знаків після коми (копійки).", field=field)
    if number > MAX_AMOUNT:
        raise ApplicationError("Завелике число.", field=field)
    return number.quantize(Decimal("0.01"))


def parse_value(value: Any, field: str) -> Decimal:
    """Return an indicator value: a non-negative number with at most two decimals."""
    return parse_amount(value, field, allow_zero=True)


def parse_date(value: Any, field: str) -> date:
    """Return a date from a date or 'YYYY-MM-DD' text."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ApplicationError("Має бути датою у форматі РРРР-ММ-ДД.", field=field)


def check_date_in_programme(programme: Programme, day: date, field: str = "date") -> None:
    if not programme.year_from <= day.year <= programme.year_to:
        raise ApplicationError(
            f"Дата {day:%d.%m.%Y} поза роками програми ({_years_text(programme)}).", field=field
        )


def check_period_in_programme(programme: Programme, period: Period, field: str = "period") -> None:
    if not programme.covers(period):
        raise ApplicationError(
            f"Період {period.key} поза роками програми ({_years_text(programme)}).", field=field
        )


def check_year_in_programme(programme: Programme, year: int, field: str = "year") -> None:
    if not programme.year_from <= year <= programme.year_to:
        raise ApplicationError(
            f"Рік {year} поза роками програми ({_years_text(programme)}).", field=field
        )


def _years_text(programme: Programme) -> str:
    if programme.year_from == programme.year_to:
        return str(programme.year_from)
    return f"{programme.year_from}–{programme.year_to}"


def _measure_of(programme: Programme, measure: Measure) -> Measure:
    if measure.programme_id != programme.pk:
        raise ApplicationError("Захід не належить до цієї програми.", field="measure")
    return measure


def locked_periods(programme: Programme) -> list[Period]:
    """Return the periods whose latest report version is approved or published."""
    latest: dict[tuple[int, int], tuple[int, str]] = {}
    for year, quarter, version, status in Report.objects.filter(programme=programme).values_list(
        "year", "quarter", "version", "status"
    ):
        if (year, quarter) not in latest or version > latest[(year, quarter)][0]:
            latest[(year, quarter)] = (version, status)
    return sorted(
        Period(year, quarter)
        for (year, quarter), (_v, status) in latest.items()
        if status in Report.LOCKED
    )


def _ensure_day_unlocked(programme: Programme, day: date) -> None:
    for period in locked_periods(programme):
        if period.contains(day):
            raise ApplicationError(
                f"Звіт {period.label_for} затверджено: дані за {day:%d.%m.%Y} змінювати не можна. "
                "Щоб їх виправити, створіть нову версію звіту.",
                code="locked",
            )


def _ensure_period_unlocked(programme: Programme, period: Period) -> None:
    for locked in locked_periods(programme):
        if locked.year == period.year and locked.end >= period.end:
            raise ApplicationError(
                f"Звіт {locked.label_for} затверджено: дані за {period.label} змінювати не "
                "можна. Щоб їх виправити, створіть нову версію звіту.",
                code="locked",
            )


def _entry_unit(measure: Measure, unit: OrgUnit | None, actor: Actor) -> OrgUnit | None:
    """Return the unit an entry is recorded for: given, the only responsible one, or the actor's."""
    responsible = list(measure.responsible_units.all())
    if unit is not None:
        if not any(unit.path.startswith(r.path) for r in responsible):
            raise ApplicationError("Підрозділ не є відповідальним за цей захід.", field="unit")
        return unit
    if len(responsible) == 1:
        return responsible[0]
    if actor is not None:
        paths = [g.unit_path for g in grants_of(actor) if g.unit_path]
        for candidate in responsible:
            if any(candidate.path.startswith(p) for p in paths):
                return candidate
    return None


def _clean_choice(value: Any, choices: type[models.TextChoices], field: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ApplicationError(f"Невідоме значення «{value}»; можливі: {allowed}.", field=field)
    return str(value)


# --- programmes and their structure --------------------------------------------------
def _clean_programme(fields: dict[str, Any]) -> dict[str, Any]:
    code = clean_text(fields.get("code"), "code", required=True)
    if not CODE_RE.fullmatch(code):
        raise ApplicationError(
            "Код — до 50 малих латинських літер, цифр, дефісів і підкреслень.", field="code"
        )
    fields["code"] = code
    fields["title"] = clean_text(fields.get("title"), "title", required=True, max_length=500)
    fields["title_genitive"] = clean_text(
        fields.get("title_genitive"), "title_genitive", max_length=500
    )
    fields["decision_number"] = clean_text(
        fields.get("decision_number"), "decision_number", required=True, max_length=50
    )
    fields["decision_date"] = parse_date(fields.get("decision_date"), "decision_date")
    fields["description"] = clean_text(fields.get("description"), "description")
    for key in ("year_from", "year_to"):
        year = fields.get(key)
        if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
            raise ApplicationError("Рік має бути числом від 1990 до 2100.", field=key)
    if fields["year_to"] < fields["year_from"]:
        raise ApplicationError("Рік завершення раніше за рік початку.", field="year_to")
    if not isinstance(fields.get("coordinator_unit"), OrgUnit):
        raise ApplicationError("Вкажіть відповідального виконавця.", field="coordinator_unit")
    return fields


@transaction.atomic
def programme_create(
    *,
    actor: Actor,
    code: str,
    title: str,
    year_from: int,
    year_to: int,
    decision_number: str,
    decision_date: date | str,
    coordinator_unit: OrgUnit,
    title_genitive: str = "",
    description: str = "",
) -> Programme:
    """Create a programme approved by a council decision."""
    _check(actor, "programs.add_programme", coordinator_unit)
    fields = _clean_programme(
        {
            "code": code,
            "title": title,
            "title_genitive": title_genitive,
            "year_from": year_from,
            "year_to": year_to,
            "decision_number": decision_number,
            "decision_date": decision_date,
            "coordinator_unit": coordinator_unit,
            "description": description,
        }
    )
    if Programme.objects.filter(code=fields["code"]).exists():
        raise ApplicationError("Програма з таким кодом уже існує.", field="code")
    programme = Programme(**fields)
    _full_clean(programme)
    programme.save()
    audit_record(
        actor=actor,
        action="programme.created",
        target=programme,
        data=snapshot(programme, PROGRAMME_FIELDS),
    )
    return programme


@transaction.atomic
def programme_update(*, actor: Actor, programme: Programme, **changes: Any) -> Programme:
    """Change a programme's title, years, approving decision or coordinator unit."""
    programme = _lock(Programme, programme.pk)
    _check(actor, "programs.change_programme", programme)
    unknown = set(changes) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ApplicationError(f"Невідомі поля: {', '.join(sorted(unknown))}.")
    before = snapshot(programme, PROGRAMME_FIELDS)
    fields = _clean_programme({f: getattr(programme, f) for f in PROGRAMME_FIELDS} | changes)
    if fields["coordinator_unit"] != programme.coordinator_unit:
        _check(actor, "programs.change_programme", fields["coordinator_unit"])
    if Programme.objects.filter(code=fields["code"]).exclude(pk=programme.pk).exists():
        raise ApplicationError("Програма з таким кодом уже існує.", field="code")
    first, last = date(fields["year_from"], 1, 1), date(fields["year_to"], 12, 31)
    for model in (Activity, SpendingEntry):
        if model.objects.filter(programme=programme).exclude(date__range=(first, last)).exists():
            raise ApplicationError(
                "Є записи поза новими роками програми; спочатку виправте їх.", field="year_from"
            )
    for key, value in fields.items():
        setattr(programme, key, value)
    _full_clean(programme)
    programme.save()
    diff = changed_fields(before, snapshot(programme, PROGRAMME_FIELDS))
    if diff:
        audit_record(actor=actor, action="programme.updated", target=programme, data=diff)
    return programme


def _clean_units(units: Iterable[OrgUnit]) -> list[OrgUnit]:
    result = list(dict.fromkeys(units))
    if not result:
        raise ApplicationError(
            "Вкажіть хоча б один відповідальний підрозділ.", field="responsible_units"
        )
    return result


@transaction.atomic
def measure_create(
    *,
    actor: Actor,
    programme: Programme,
    number: int,
    title: str,
    responsible_units: Iterable[OrgUnit],
    order: int | None = None,
) -> Measure:
    """Add a numbered measure to a programme."""
    programme = _lock(Programme, programme.pk)
    _check(actor, "programs.change_programme", programme)
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise ApplicationError("Номер заходу — ціле додатне число.", field="number")
    if Measure.objects.filter(programme=programme, number=number).exists():
        raise ApplicationError(f"Захід №{number} у програмі вже є.", field="number")
    units = _clean_units(responsible_units)
    measure = Measure(
        programme=programme,
        number=number,
        title=clean_text(title, "title", required=True),
        order=number * 10 if order is None else order,
    )
    _full_clean(measure, exclude=["programme"])
    measure.save()
    measure.responsible_units.set(units)
    audit_record(
        actor=actor,
        action="measure.created",
        target=measure,
        data={
            "programme": programme.pk,
            "number": number,
            "title": measure.title,
            "responsible_units": [u.code for u in units],
        },
    )
    return measure


@transaction.atomic
def measure_update(
    *,
    actor: Actor,
    measure: Measure,
    number: int | None = None,
    title: str | None = None,
    order: int | None = None,
    responsible_units: Iterable[OrgUnit] | None = None,
) -> Measure:
    """Change a measure's number, title, order or responsible units."""
    measure = _lock(Measure, measure.pk)
    _check(actor, "programs.change_programme", measure.programme)
    before = snapshot(measure, ("number", "title", "order"))
    before["responsible_units"] = sorted(u.code for u in measure.responsible_units.all())
    if number is not None and number != measure.number:
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise ApplicationError("Номер заходу — ціле додатне число.", field="number")
        if Measure.objects.filter(programme_id=measure.programme_id, number=number).exists():
            raise ApplicationError(f"Захід №{number} у програмі вже є.", field="number")
        measure.number = number
    if title is not None:
        measure.title = clean_text(title, "title", required=True)
    if order is not None:
        measure.order = order
    _full_clean(measure, exclude=["programme"])
    measure.save()
    after = snapshot(measure, ("number", "title", "order"))
    if responsible_units is not None:
        units = _clean_units(responsible_units)
        measure.responsible_units.set(units)
        after["responsible_units"] = sorted(u.code for u in units)
    else:
        after["responsible_units"] = before["responsible_units"]
    diff = changed_fields(before, after)
    if diff:
        audit_record(actor=actor, action="measure.updated", target=measure, data=diff)
    return measure


@transaction.atomic
def funding_set(
    *, actor: Actor, measure: Measure, year: int, source: str, amount: Any
) -> PlannedFunding | None:
    """Set the amount planned for a measure, year and source (0 removes the plan)."""
    measure = _lock(Measure, measure.pk)
    _check(actor, "programs.change_programme", measure.programme)
    check_year_in_programme(measure.programme, year)
    source = _clean_choice(source, FundingSource, "source")
    value = parse_amount(amount, "amount", allow_zero=True)
    row = PlannedFunding.objects.filter(measure=measure, year=year, source=source).first()
    old = row.amount if row is not None else None
    if value == 0:
        if row is not None:
            row.delete()
        row = None
    elif row is None:
        row = PlannedFunding.objects.create(measure=measure, year=year, source=source, amount=value)
    else:
        row.amount = value
        row.save(update_fields=["amount"])
    audit_record(
        actor=actor,
        action="funding.set",
        target=measure,
        data={"year": year, "source": source, "amount": [old, value]},
    )
    return row


# --- indicators ---------------------------------------------------------------------------
def _clean_indicator_code(code: Any) -> str:
    text = clean_text(code, "code", required=True)
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,59}", text):
        raise ApplicationError(
            "Код показника — малі латинські літери, цифри, дефіси, підкреслення.", field="code"
        )
    return text


@transaction.atomic
def indicator_create(
    *,
    actor: Actor,
    measure: Measure,
    code: str,
    name: str,
    unit_of_measure: str,
    metric_key: str = "",
    targets: Mapping[int, Any] | None = None,
    order: int | None = None,
) -> Indicator:
    """Add an indicator to a measure, with its planned values per year."""
    measure = _lock(Measure, measure.pk)
    programme = measure.programme
    _check(actor, "programs.change_programme", programme)
    code = _clean_indicator_code(code)
    if Indicator.objects.filter(programme=programme, code=code).exists():
        raise ApplicationError("Показник з таким кодом у програмі вже є.", field="code")
    metric_key = clean_text(metric_key, "metric_key")
    if metric_key and not metric_exists(metric_key):
        raise ApplicationError(f"Невідомий показник платформи «{metric_key}».", field="metric_key")
    indicator = Indicator(
        programme=programme,
        measure=measure,
        code=code,
        name=clean_text(name, "name", required=True),
        unit_of_measure=clean_text(unit_of_measure, "unit_of_measure", required=True),
        metric_key=metric_key,
        order=order if order is not None else measure.indicators.count() * 10 + 10,
    )
    _full_clean(indicator, exclude=["programme", "measure"])
    indicator.save()
    clean_targets = {}
    for year, planned in (targets or {}).items():
        check_year_in_programme(programme, int(year), "targets")
        clean_targets[int(year)] = parse_value(planned, "targets")
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(indicator=indicator, year=y, planned=v) for y, v in clean_targets.items()
    )
    audit_record(
        actor=actor,
        action="indicator.created",
        target=indicator,
        data={
            "measure": measure.number,
            "code": code,
            "name": indicator.name,
            "metric_key": metric_key,
            "targets": {str(y): v for y, v in clean_targets.items()},
        },
    )
    return indicator


@transaction.atomic
def indicator_target_set(
    *, actor: Actor, indicator: Indicator, year: int, planned: Any
) -> IndicatorTarget:
    """Set the planned value of an indicator for a year."""
    indicator = _lock(Indicator, indicator.pk)
    _check(actor, "programs.change_programme", indicator.programme)
    check_year_in_programme(indicator.programme, year)
    value = parse_value(planned, "planned")
    target, _created = IndicatorTarget.objects.update_or_create(
        indicator=indicator, year=year, defaults={"planned": value}
    )
    audit_record(
        actor=actor,
        action="indicator.target_set",
        target=indicator,
        data={"year": year, "planned": value},
    )
    return target


@transaction.atomic
def indicator_value_record(
    *,
    actor: Actor,
    indicator: Indicator,
    period: Period,
    actual: Any,
    evidence: str = "",
    unit: OrgUnit | None = None,
) -> IndicatorValue:
    """Record (or correct) the actual value of an indicator for a period."""
    indicator = _lock(Indicator, indicator.pk)
    measure = indicator.measure
    programme = indicator.programme
    _check(actor, "programs.record_entry", measure)
    if indicator.metric_key:
        raise ApplicationError(
            "Значення цього показника обчислюється з даних платформи; вводити його не треба.",
            field="actual",
        )
    check_period_in_programme(programme, period)
    _ensure_period_unlocked(programme, period)
    value = parse_value(actual, "actual")
    evidence = clean_text(evidence, "evidence")
    row = IndicatorValue.objects.filter(
        indicator=indicator, year=period.year, quarter=period.quarter
    ).first()
    old = row.actual if row is not None else None
    if row is None:
        row = IndicatorValue(
            programme=programme,
            measure=measure,
            indicator=indicator,
            year=period.year,
            quarter=period.quarter,
            created_by=actor,
        )
    row.actual = value
    row.evidence = evidence
    row.unit = _entry_unit(measure, unit, actor)
    row.save()
    audit_record(
        actor=actor,
        action="indicator_value.recorded",
        target=row,
        data={"indicator": indicator.code, "period": period.key, "actual": [old, value]},
    )
    return row


# --- activities -----------------------------------------------------------------------
def _clean_activity(programme: Programme, values: dict[str, Any]) -> dict[str, Any]:
    values["type"] = _clean_choice(values.get("type"), ActivityType, "type")
    values["date"] = parse_date(values.get("date"), "date")
    check_date_in_programme(programme, values["date"])
    values["title"] = clean_text(values.get("title"), "title", required=True, max_length=500)
    values["place"] = clean_text(values.get("place"), "place", max_length=300)
    values["participants"] = clean_text(values.get("participants"), "participants", max_length=500)
    attendance = values.get("attendance")
    if attendance in ("", None):
        values["attendance"] = None
    elif not isinstance(attendance, int) or isinstance(attendance, bool) or attendance < 0:
        raise ApplicationError("Кількість учасників — ціле невід'ємне число.", field="attendance")
    values["by_mayor"] = bool(values.get("by_mayor"))
    return values


@transaction.atomic
def activity_create(
    *,
    actor: Actor,
    programme: Programme,
    measure: Measure,
    type: str,
    date: date | str,
    title: str,
    place: str = "",
    participants: str = "",
    attendance: int | None = None,
    by_mayor: bool = False,
    unit: OrgUnit | None = None,
) -> Activity:
    """Record an event held under a measure."""
    measure = _lock(Measure, measure.pk)
    _measure_of(programme, measure)
    _check(actor, "programs.record_entry", measure)
    values = _clean_activity(
        programme,
        {
            "type": type,
            "date": date,
            "title": title,
            "place": place,
            "participants": participants,
            "attendance": attendance,
            "by_mayor": by_mayor,
        },
    )
    _ensure_day_unlocked(programme, values["date"])
    activity = Activity(
        programme=programme,
        measure=measure,
        unit=_entry_unit(measure, unit, actor),
        created_by=actor,
        **values,
    )
    _full_clean(activity, exclude=["programme", "measure", "unit", "created_by"])
    activity.save()
    audit_record(
        actor=actor,
        action="activity.created",
        target=activity,
        data=snapshot(activity, ACTIVITY_FIELDS),
    )
    return activity


def _entry_update(
    *,
    actor: Actor,
    entry: Any,
    fields: Sequence[str],
    clean: Callable[[Programme, dict[str, Any]], dict[str, Any]],
    action: str,
    changes: dict[str, Any],
) -> Any:
    """Correct an activity or spending entry; moving it to another measure needs both rights."""
    entry = _lock(type(entry), entry.pk)
    programme = entry.programme
    _check(actor, "programs.record_entry", entry.measure)
    unknown = set(changes) - set(fields)
    if unknown:
        raise ApplicationError(f"Ці поля змінювати не можна: {', '.join(sorted(unknown))}.")
    _ensure_day_unlocked(programme, entry.date)
    before = snapshot(entry, fields)
    measure = changes.pop("measure", entry.measure)
    if measure.pk != entry.measure_id:
        measure = _measure_of(programme, _lock(Measure, measure.pk))
        _check(actor, "programs.record_entry", measure)
    unit = changes.pop("unit", entry.unit if measure.pk == entry.measure_id else None)
    values = clean(
        programme,
        {f: getattr(entry, f) for f in fields if f not in ("measure", "unit")} | changes,
    )
    _ensure_day_unlocked(programme, values["date"])
    for key, value in values.items():
        setattr(entry, key, value)
    entry.measure = measure
    entry.unit = _entry_unit(measure, unit, actor)
    _full_clean(entry, exclude=["programme", "measure", "unit", "created_by"])
    entry.save()
    diff = changed_fields(before, snapshot(entry, fields))
    if diff:
        audit_record(actor=actor, action=action, target=entry, data=diff)
    return entry


@transaction.atomic
def activity_update(*, actor: Actor, activity: Activity, **changes: Any) -> Activity:
    """Correct an activity; moving it to another measure needs the right to both."""
    return cast(
        Activity,
        _entry_update(
            actor=actor,
            entry=activity,
            fields=ACTIVITY_FIELDS,
            clean=_clean_activity,
            action="activity.updated",
            changes=changes,
        ),
    )


@transaction.atomic
def activity_delete(*, actor: Actor, activity: Activity) -> None:
    """Delete an activity recorded by mistake."""
    activity = _lock(Activity, activity.pk)
    _check(actor, "programs.record_entry", activity.measure)
    _ensure_day_unlocked(activity.programme, activity.date)
    data = snapshot(activity, ACTIVITY_FIELDS)
    audit_record(actor=actor, action="activity.deleted", target=activity, data=data)
    activity.delete()


# --- spending ---------------------------------------------------------------------------
def _clean_spending(programme: Programme, values: dict[str, Any]) -> dict[str, Any]:
    values["date"] = parse_date(values.get("date"), "date")
    check_date_in_programme(programme, values["date"])
    values["amount"] = parse_amount(values.get("amount"), "amount")
    values["source"] = _clean_choice(values.get("source"), FundingSource, "source")
    values["purpose"] = clean_text(values.get("purpose"), "purpose", required=True, max_length=500)
    return values


@transaction.atomic
def spending_create(
    *,
    actor: Actor,
    programme: Programme,
    measure: Measure,
    date: date | str,
    amount: Any,
    source: str,
    purpose: str,
    unit: OrgUnit | None = None,
) -> SpendingEntry:
    """Record money spent on a measure (UAH)."""
    measure = _lock(Measure, measure.pk)
    _measure_of(programme, measure)
    _check(actor, "programs.record_entry", measure)
    values = _clean_spending(
        programme, {"date": date, "amount": amount, "source": source, "purpose": purpose}
    )
    _ensure_day_unlocked(programme, values["date"])
    entry = SpendingEntry(
        programme=programme,
        measure=measure,
        unit=_entry_unit(measure, unit, actor),
        created_by=actor,
        **values,
    )
    _full_clean(entry, exclude=["programme", "measure", "unit", "created_by"])
    entry.save()
    audit_record(
        actor=actor,
        action="spending.created",
        target=entry,
        data=snapshot(entry, SPENDING_FIELDS),
    )
    return entry


@transaction.atomic
def spending_update(*, actor: Actor, entry: SpendingEntry, **changes: Any) -> SpendingEntry:
    """Correct a spending entry; moving it to another measure needs the right to both."""
    return cast(
        SpendingEntry,
        _entry_update(
            actor=actor,
            entry=entry,
            fields=SPENDING_FIELDS,
            clean=_clean_spending,
            action="spending.updated",
            changes=changes,
        ),
    )


@transaction.atomic
def spending_delete(*, actor: Actor, entry: SpendingEntry) -> None:
    """Delete a spending entry recorded by mistake."""
    entry = _lock(SpendingEntry, entry.pk)
    _check(actor, "programs.record_entry", entry.measure)
    _ensure_day_unlocked(entry.programme, entry.date)
    audit_record(
        actor=actor, action="spending.deleted", target=entry, data=snapshot(entry, SPENDING_FIELDS)
    )
    entry.delete()


# --- narratives ---------------------------------------------------------------------------
@transaction.atomic
def narrative_set(
    *, actor: Actor, measure: Measure, period: Period, text: str, unit: OrgUnit | None = None
) -> Narrative | None:
    """Write a measure's report text for a period (an empty text removes it)."""
    from hromada.programs.narrative import check_placeholders

    measure = _lock(Measure, measure.pk)
    programme = measure.programme
    _check(actor, "programs.record_entry", measure)
    check_period_in_programme(programme, period)
    _ensure_period_unlocked(programme, period)
    text = clean_text(text, "text")
    check_placeholders(
        text, indicator_codes=set(programme.indicators.values_list("code", flat=True))
    )
    row = Narrative.objects.filter(
        measure=measure, year=period.year, quarter=period.quarter
    ).first()
    old = row.text if row is not None else ""
    if not text:
        if row is not None:
            audit_record(
                actor=actor, action="narrative.deleted", target=row, data={"period": period.key}
            )
            row.delete()
        return None
    if row is None:
        row = Narrative(
            programme=programme,
            measure=measure,
            year=period.year,
            quarter=period.quarter,
            created_by=actor,
        )
    row.text = text
    row.unit = _entry_unit(measure, unit, actor)
    row.save()
    audit_record(
        actor=actor,
        action="narrative.set",
        target=row,
        data={"period": period.key, "text": [old, text]},
    )
    return row


# --- reports ------------------------------------------------------------------------------
@transaction.atomic
def report_create(*, actor: Actor, programme: Programme, period: Period) -> Report:
    """Start a report for a period: version 1, or the next version after an approved one."""
    programme = _lock(Programme, programme.pk)
    _check(actor, "programs.manage_report", programme)
    check_period_in_programme(programme, period)
    latest = (
        Report.objects.filter(programme=programme, year=period.year, quarter=period.quarter)
        .order_by("-version")
        .first()
    )
    if latest is not None and not latest.is_locked:
        raise ApplicationError(
            f"Звіт {period.label_for} уже готується (версія {latest.version}).", code="exists"
        )
    version = (latest.version + 1) if latest is not None else 1
    report = Report.objects.create(
        programme=programme,
        year=period.year,
        quarter=period.quarter,
        version=version,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="report.created",
        target=report,
        data={"period": period.key, "version": version},
    )
    return report


def _move(report: Report, status: str) -> None:
    if not report.can_move_to(status):
        raise ApplicationError(
            f"Звіт у стані «{report.get_status_display()}» не можна перевести в стан "
            f"«{Report.Status(status).label}».",
            code="invalid_transition",
        )
    report.status = status


def _latest_version(report: Report) -> int:
    return (
        Report.objects.filter(
            programme_id=report.programme_id, year=report.year, quarter=report.quarter
        ).aggregate(v=Max("version"))["v"]
        or 0
    )


@transaction.atomic
def report_submit(*, actor: Actor, report: Report) -> Report:
    """Submit a draft report for approval."""
    report = _lock(Report, report.pk)
    _check(actor, "programs.manage_report", report)
    _move(report, Report.Status.SUBMITTED)
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(actor=actor, action="report.submitted", target=report)
    return report


@transaction.atomic
def report_return(*, actor: Actor, report: Report, reason: str = "") -> Report:
    """Return a submitted report to draft (for corrections before approval)."""
    report = _lock(Report, report.pk)
    _check(actor, "programs.manage_report", report)
    _move(report, Report.Status.DRAFT)
    report.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action="report.returned", target=report, data={"reason": reason.strip()}
    )
    return report


@transaction.atomic
def report_approve(
    *, actor: Actor, report: Report, decision_number: str, decision_date: date | str
) -> Report:
    """Record the council decision approving the report and freeze its figures."""
    from hromada.programs.selectors import report_data

    report = _lock(Report, report.pk)
    _check(actor, "programs.approve_report", report)
    if report.version != _latest_version(report):
        raise ApplicationError("Затвердити можна лише останню версію звіту.")
    number = clean_text(decision_number, "decision_number", required=True, max_length=50)
    day = parse_date(decision_date, "decision_date")
    if day < report.period.start:
        raise ApplicationError(
            "Рішення не може бути ухвалене до початку звітного періоду.", field="decision_date"
        )
    if day > timezone.localdate():
        raise ApplicationError("Дата рішення ще не настала.", field="decision_date")
    _move(report, Report.Status.APPROVED)
    report.decision_number = number
    report.decision_date = day
    report.approved_at = timezone.now()
    # The numbers are frozen as they are now; later entries never change this report.
    report.data = report_data(programme=report.programme, period=report.period)
    report.save()
    audit_record(
        actor=actor,
        action="report.approved",
        target=report,
        data={"decision_number": number, "decision_date": day, "period": report.period.key},
    )
    return report


@transaction.atomic
def report_publish(*, actor: Actor, report: Report) -> Report:
    """Publish an approved report on the portal."""
    report = _lock(Report, report.pk)
    _check(actor, "programs.approve_report", report)
    _move(report, Report.Status.PUBLISHED)
    report.published_at = timezone.now()
    report.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=actor, action="report.published", target=report)
    return report
