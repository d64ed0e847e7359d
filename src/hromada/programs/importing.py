"""Import a programme with all its data from a JSON or YAML file (format: docs/programs.md).

The whole file is validated first and every problem is reported with its path,
e.g. ``measures[3].spending[2].amount: має бути додатним числом`` (indexes count
from 0). A file with any problem imports nothing; a valid one is written in one
transaction with one audit event, then its reports are moved through the usual
report services (so an approved report freezes its figures as any other).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.db import transaction

from hromada.accounts.models import OrgUnit, User
from hromada.accounts.permissions import require
from hromada.core.audit import audit_record
from hromada.core.exceptions import ApplicationError
from hromada.programs import services
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
from hromada.programs.narrative import placeholder_errors
from hromada.programs.periods import Period

FORMAT = "hromada.programme/1"
INDICATOR_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
MAX_SERIES = 10_000
MAX_FILE_BYTES = 50 * 1024 * 1024
T = TypeVar("T")

TOP_KEYS = {
    "format",
    "code",
    "title",
    "title_genitive",
    "years",
    "decision",
    "coordinator_unit",
    "description",
    "measures",
    "reports",
}
MEASURE_KEYS = {
    "number",
    "title",
    "responsible_units",
    "funding",
    "indicators",
    "activities",
    "spending",
    "narratives",
}
INDICATOR_KEYS = {"code", "name", "unit", "metric", "targets", "values"}
ACTIVITY_KEYS = {
    "type",
    "date",
    "title",
    "place",
    "participants",
    "attendance",
    "by_mayor",
    "unit",
    "count",
    "from",
    "to",
}
SPENDING_KEYS = {"date", "amount", "source", "purpose", "unit"}
REPORT_STATUSES = [s.value for s in Report.Status]
# How far through the workflow an imported report goes.
_REPORT_STEPS = {
    Report.Status.DRAFT: 0,
    Report.Status.SUBMITTED: 1,
    Report.Status.APPROVED: 2,
    Report.Status.PUBLISHED: 3,
}  # fmt: skip


class ImportFailed(ApplicationError):
    """The file has problems; `problems` lists every one as 'path: message'."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            f"Файл не імпортовано: помилок — {len(problems)}. Нічого не змінено.",
            code="import_invalid",
        )
        self.problems = problems


@dataclass
class ImportResult:
    programme: Programme
    counts: dict[str, int]


# --- reading ----------------------------------------------------------------------------
def parse_document(content: bytes | str, *, filename: str = "") -> Any:
    """Return the data of a JSON or YAML document (by the file's extension; JSON is also YAML)."""
    if isinstance(content, bytes):
        if len(content) > MAX_FILE_BYTES:
            raise ImportFailed([f"файл: більший за {MAX_FILE_BYTES // 1024 // 1024} МБ"])
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFailed(["файл: не в кодуванні UTF-8"]) from None
    else:
        text = content
    try:
        if filename.lower().endswith(".json"):
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed([f"файл: рядок {exc.lineno}, позиція {exc.colno}: {exc.msg}"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"рядок {mark.line + 1}, позиція {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ImportFailed([f"файл: {where}{problem}"]) from None


def load_file(path: Path) -> Any:
    """Read and parse a programme file."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ImportFailed([f"файл: не вдалося прочитати ({exc.strerror})"]) from None
    return parse_document(content, filename=path.name)


# --- validation ---------------------------------------------------------------------------
@dataclass
class _Plan:
    """The validated content of a file, ready to write."""

    programme: dict[str, Any] = field(default_factory=dict)
    measures: list[dict[str, Any]] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)


class _Validator:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.units: dict[str, OrgUnit] = {}

    def err(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def attempt(self, path: str, parse: Callable[[], T]) -> T | None:
        """Run a parser; on ApplicationError record it at the path and return None."""
        try:
            return parse()
        except ApplicationError as exc:
            self.err(path, _lower_first(exc.message))
            return None

    def amount(self, value: Any, path: str) -> Decimal | None:
        """Return a positive sum in UAH, or None after recording the problem."""
        try:
            return services.parse_amount(value, "")
        except ApplicationError as exc:
            self.err(path, _lower_first(exc.message))
            return None

    def value(self, value: Any, path: str) -> Decimal | None:
        """Return a non-negative indicator value, or None after recording the problem."""
        try:
            return services.parse_value(value, "")
        except ApplicationError as exc:
            self.err(path, _lower_first(exc.message))
            return None

    def mapping(self, value: Any, path: str, allowed: set[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.err(path, "має бути об'єктом (набором полів)")
            return None
        for key in value:
            if key not in allowed:
                self.err(_join(path, str(key)), "невідоме поле")
        return value

    def listing(self, value: Any, path: str, *, required: bool = False) -> list[Any]:
        if value is None:
            if required:
                self.err(path, "обов'язкове поле")
            return []
        if not isinstance(value, list):
            self.err(path, "має бути списком")
            return []
        if required and not value:
            self.err(path, "список не може бути порожнім")
        return value

    def text(
        self,
        obj: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        max_length: int = 0,
    ) -> str:
        value = obj.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        result = self.attempt(
            _join(path, key),
            lambda: services.clean_text(value, key, required=required, max_length=max_length),
        )
        return result or ""

    def integer(
        self, obj: dict[str, Any], key: str, path: str, *, low: int, high: int
    ) -> int | None:
        value = obj.get(key)
        if value is None:
            self.err(_join(path, key), "обов'язкове поле")
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.err(_join(path, key), f"має бути цілим числом від {low} до {high}")
            return None
        return value

    def day(self, value: Any, path: str, years: tuple[int, int] | None) -> date | None:
        if value is None:
            self.err(path, "обов'язкове поле")
            return None
        if isinstance(value, datetime):
            self.err(path, "має бути датою без часу (РРРР-ММ-ДД)")
            return None
        parsed = self.attempt(path, lambda: services.parse_date(value, "date"))
        if parsed is not None and years and not years[0] <= parsed.year <= years[1]:
            self.err(path, f"дата {parsed:%d.%m.%Y} поза роками програми ({_years(years)})")
            return None
        return parsed

    def period(self, value: Any, path: str, years: tuple[int, int] | None) -> Period | None:
        if value is None:
            self.err(path, "обов'язкове поле")
            return None
        parsed = self.attempt(path, lambda: Period.parse(value))
        if parsed is not None and years and not years[0] <= parsed.year <= years[1]:
            self.err(path, f"період {parsed.key} поза роками програми ({_years(years)})")
            return None
        return parsed

    def unit(self, code: Any, path: str) -> OrgUnit | None:
        if not isinstance(code, str) or not code.strip():
            self.err(path, "має бути кодом підрозділу")
            return None
        unit = self.units.get(code.strip())
        if unit is None:
            self.err(path, f"немає підрозділу з кодом «{code}»")
        return unit

    def choice(self, value: Any, path: str, allowed: list[str]) -> str | None:
        if value not in allowed:
            self.err(path, f"невідоме значення «{value}»; можливі: {', '.join(allowed)}")
            return None
        return str(value)

    def decision(self, value: Any, path: str) -> tuple[str, date | None]:
        obj = self.mapping(value, path, {"number", "date"})
        if obj is None:
            return "", None
        number = self.text(obj, "number", path, required=True, max_length=50)
        day = self.day(obj.get("date"), _join(path, "date"), None)
        return number, day


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _years(years: tuple[int, int]) -> str:
    return str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}"


def _lower_first(text: str) -> str:
    text = text.rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _collect_unit_codes(data: Any) -> set[str]:
    codes: set[str] = set()
    if not isinstance(data, dict):
        return codes
    if isinstance(data.get("coordinator_unit"), str):
        codes.add(data["coordinator_unit"].strip())
    for measure in data.get("measures") or []:
        if not isinstance(measure, dict):
            continue
        for code in measure.get("responsible_units") or []:
            if isinstance(code, str):
                codes.add(code.strip())
        for key in ("activities", "spending"):
            for item in measure.get(key) or []:
                if isinstance(item, dict) and isinstance(item.get("unit"), str):
                    codes.add(item["unit"].strip())
    return codes


def validate(data: Any) -> _Plan:
    """Return the file's content cleaned; raise ImportFailed listing every problem."""
    v = _Validator()
    plan = _Plan()
    top = v.mapping(data, "", TOP_KEYS) if data is not None else None
    if top is None:
        raise ImportFailed(v.problems or ["файл: порожній"])
    v.units = {u.code: u for u in OrgUnit.objects.filter(code__in=_collect_unit_codes(top))}

    fmt = top.get("format", FORMAT)
    if fmt != FORMAT:
        v.err("format", f"невідомий формат «{fmt}»; підтримується {FORMAT}")
    code = v.text(top, "code", "", required=True, max_length=50)
    if code and not services.CODE_RE.fullmatch(code):
        v.err("code", "до 50 малих латинських літер, цифр, дефісів і підкреслень")
    elif code and Programme.objects.filter(code=code).exists():
        v.err("code", f"програма з кодом «{code}» уже є; імпорт не змінює наявних програм")
    years: tuple[int, int] | None = None
    raw_years = top.get("years")
    if isinstance(raw_years, int) and not isinstance(raw_years, bool):
        raw_years = [raw_years, raw_years]
    if (
        isinstance(raw_years, list)
        and len(raw_years) == 2
        and all(isinstance(y, int) and not isinstance(y, bool) for y in raw_years)
        and 1990 <= raw_years[0] <= raw_years[1] <= 2100
    ):
        years = (raw_years[0], raw_years[1])
    else:
        v.err("years", "має бути роком (2015) або парою [рік початку, рік завершення]")
    decision_number, decision_date = v.decision(top.get("decision"), "decision")
    coordinator = v.unit(top.get("coordinator_unit"), "coordinator_unit")
    plan.programme = {
        "code": code,
        "title": v.text(top, "title", "", required=True, max_length=500),
        "title_genitive": v.text(top, "title_genitive", "", max_length=500),
        "year_from": years[0] if years else None,
        "year_to": years[1] if years else None,
        "decision_number": decision_number,
        "decision_date": decision_date,
        "coordinator_unit": coordinator,
        "description": v.text(top, "description", ""),
    }

    numbers: dict[int, str] = {}
    indicator_codes: dict[str, str] = {}
    narratives_to_check: list[tuple[str, str]] = []
    for m_index, raw in enumerate(v.listing(top.get("measures"), "measures", required=True)):
        path = f"measures[{m_index}]"
        obj = v.mapping(raw, path, MEASURE_KEYS)
        if obj is None:
            continue
        number = v.integer(obj, "number", path, low=1, high=999)
        if number is not None:
            if number in numbers:
                v.err(_join(path, "number"), f"захід №{number} уже є ({numbers[number]})")
            else:
                numbers[number] = path
        measure: dict[str, Any] = {
            "number": number,
            "title": v.text(obj, "title", path, required=True),
            "units": [],
            "funding": [],
            "indicators": [],
            "activities": [],
            "spending": [],
            "narratives": [],
        }
        unit_codes: set[str] = set()
        units_path = _join(path, "responsible_units")
        for u_index, unit_code in enumerate(
            v.listing(obj.get("responsible_units"), units_path, required=True)
        ):
            u_path = f"{units_path}[{u_index}]"
            unit = v.unit(unit_code, u_path)
            if unit is not None:
                if unit.code in unit_codes:
                    v.err(u_path, f"підрозділ «{unit.code}» указано двічі")
                else:
                    unit_codes.add(unit.code)
                    measure["units"].append(unit)

        seen_funding: dict[tuple[int, str], str] = {}
        funding_path = _join(path, "funding")
        for f_index, raw_f in enumerate(v.listing(obj.get("funding"), funding_path)):
            f_path = f"{funding_path}[{f_index}]"
            f_obj = v.mapping(raw_f, f_path, {"year", "source", "amount"})
            if f_obj is None:
                continue
            low, high = years if years else (1990, 2100)
            year = v.integer(f_obj, "year", f_path, low=low, high=high)
            source = v.choice(f_obj.get("source"), _join(f_path, "source"), FundingSource.values)
            amount = v.amount(f_obj.get("amount"), _join(f_path, "amount"))
            if year is not None and source is not None:
                if (year, source) in seen_funding:
                    v.err(
                        f_path,
                        f"план на {year} рік за цим джерелом уже є "
                        f"({seen_funding[(year, source)]})",
                    )
                seen_funding[(year, source)] = f_path
            measure["funding"].append({"year": year, "source": source, "amount": amount})

        ind_path_base = _join(path, "indicators")
        for i_index, raw_i in enumerate(v.listing(obj.get("indicators"), ind_path_base)):
            i_path = f"{ind_path_base}[{i_index}]"
            i_obj = v.mapping(raw_i, i_path, INDICATOR_KEYS)
            if i_obj is None:
                continue
            i_code = v.text(i_obj, "code", i_path, required=True, max_length=60)
            if i_code:
                if not INDICATOR_CODE_RE.fullmatch(i_code):
                    v.err(
                        _join(i_path, "code"), "малі латинські літери, цифри, дефіси, підкреслення"
                    )
                elif i_code in indicator_codes:
                    v.err(
                        _join(i_path, "code"),
                        f"показник «{i_code}» уже є ({indicator_codes[i_code]})",
                    )
                else:
                    indicator_codes[i_code] = i_path
            metric = v.text(i_obj, "metric", i_path, max_length=100)
            if metric and not metric_exists(metric):
                v.err(_join(i_path, "metric"), f"невідомий показник платформи «{metric}»")
            targets: dict[int, Decimal] = {}
            raw_targets = i_obj.get("targets") or {}
            if not isinstance(raw_targets, dict):
                v.err(_join(i_path, "targets"), "має бути набором «рік: значення»")
                raw_targets = {}
            for raw_year, planned in raw_targets.items():
                t_path = f"{_join(i_path, 'targets')}.{raw_year}"
                try:
                    t_year = int(str(raw_year))
                except ValueError:
                    v.err(t_path, "ключ має бути роком")
                    continue
                if years and not years[0] <= t_year <= years[1]:
                    v.err(t_path, f"рік поза роками програми ({_years(years)})")
                    continue
                if t_year in targets:
                    v.err(t_path, "план на цей рік указано двічі")
                    continue
                value = v.value(planned, t_path)
                if value is not None:
                    targets[t_year] = value
            values = []
            seen_periods: dict[Period, str] = {}
            val_path = _join(i_path, "values")
            for x_index, raw_x in enumerate(v.listing(i_obj.get("values"), val_path)):
                x_path = f"{val_path}[{x_index}]"
                x_obj = v.mapping(raw_x, x_path, {"period", "actual", "evidence"})
                if x_obj is None:
                    continue
                if metric:
                    v.err(x_path, "значення показника платформи обчислюються, їх не вводять")
                    continue
                period = v.period(x_obj.get("period"), _join(x_path, "period"), years)
                actual = v.value(x_obj.get("actual"), _join(x_path, "actual"))
                if period is not None:
                    if period in seen_periods:
                        v.err(x_path, f"значення за {period.key} уже є ({seen_periods[period]})")
                    seen_periods[period] = x_path
                values.append(
                    {
                        "period": period,
                        "actual": actual,
                        "evidence": v.text(x_obj, "evidence", x_path),
                    }
                )
            measure["indicators"].append(
                {
                    "code": i_code,
                    "name": v.text(i_obj, "name", i_path, required=True, max_length=500),
                    "unit_of_measure": v.text(i_obj, "unit", i_path, required=True, max_length=50),
                    "metric_key": metric,
                    "targets": targets,
                    "values": values,
                }
            )

        seen_activities: dict[tuple[Any, ...], str] = {}
        act_base = _join(path, "activities")
        for a_index, raw_a in enumerate(v.listing(obj.get("activities"), act_base)):
            a_path = f"{act_base}[{a_index}]"
            a_obj = v.mapping(raw_a, a_path, ACTIVITY_KEYS)
            if a_obj is None:
                continue
            a_type = v.choice(a_obj.get("type"), _join(a_path, "type"), ActivityType.values)
            title = v.text(a_obj, "title", a_path, required=True, max_length=500)
            count = a_obj.get("count")
            dates: list[date] = []
            if count is None:
                if "from" in a_obj or "to" in a_obj:
                    v.err(a_path, "«from» і «to» задають лише для серії (разом із «count»)")
                day = v.day(a_obj.get("date"), _join(a_path, "date"), years)
                if day is not None:
                    dates = [day]
            else:
                if "date" in a_obj:
                    v.err(_join(a_path, "date"), "для серії (count) вкажіть «from» і «to»")
                if (
                    not isinstance(count, int)
                    or isinstance(count, bool)
                    or not 1 <= count <= MAX_SERIES
                ):
                    v.err(_join(a_path, "count"), f"має бути цілим числом від 1 до {MAX_SERIES}")
                else:
                    first = v.day(a_obj.get("from"), _join(a_path, "from"), years)
                    last = v.day(a_obj.get("to"), _join(a_path, "to"), years)
                    if first and last:
                        if last < first:
                            v.err(_join(a_path, "to"), "раніше за «from»")
                        else:
                            dates = _spread(first, last, count)
            attendance = a_obj.get("attendance")
            if attendance is not None and (
                not isinstance(attendance, int) or isinstance(attendance, bool) or attendance < 0
            ):
                v.err(_join(a_path, "attendance"), "має бути цілим невід'ємним числом")
                attendance = None
            by_mayor = a_obj.get("by_mayor", False)
            if not isinstance(by_mayor, bool):
                v.err(_join(a_path, "by_mayor"), "має бути true або false")
                by_mayor = False
            unit = _item_unit(v, a_obj, a_path, measure["units"])
            place = v.text(a_obj, "place", a_path, max_length=300)
            participants = v.text(a_obj, "participants", a_path, max_length=500)
            if count is None and dates and a_type:
                key = (a_type, dates[0], title, place, by_mayor)
                if key in seen_activities:
                    v.err(a_path, f"повторює {seen_activities[key]}")
                seen_activities[key] = a_path
            for day in dates:
                measure["activities"].append(
                    {
                        "type": a_type,
                        "date": day,
                        "title": title,
                        "place": place,
                        "participants": participants,
                        "attendance": attendance,
                        "by_mayor": by_mayor,
                        "unit": unit,
                    }
                )

        seen_spending: dict[tuple[Any, ...], str] = {}
        sp_base = _join(path, "spending")
        for s_index, raw_s in enumerate(v.listing(obj.get("spending"), sp_base)):
            s_path = f"{sp_base}[{s_index}]"
            s_obj = v.mapping(raw_s, s_path, SPENDING_KEYS)
            if s_obj is None:
                continue
            day = v.day(s_obj.get("date"), _join(s_path, "date"), years)
            amount = v.amount(s_obj.get("amount"), _join(s_path, "amount"))
            source = v.choice(s_obj.get("source"), _join(s_path, "source"), FundingSource.values)
            purpose = v.text(s_obj, "purpose", s_path, required=True, max_length=500)
            s_key = (day, amount, source, purpose)
            if None not in s_key:
                if s_key in seen_spending:
                    v.err(s_path, f"повторює {seen_spending[s_key]}")
                seen_spending[s_key] = s_path
            measure["spending"].append(
                {
                    "date": day,
                    "amount": amount,
                    "source": source,
                    "purpose": purpose,
                    "unit": _item_unit(v, s_obj, s_path, measure["units"]),
                }
            )

        seen_narratives: dict[Period, str] = {}
        nar_base = _join(path, "narratives")
        for n_index, raw_n in enumerate(v.listing(obj.get("narratives"), nar_base)):
            n_path = f"{nar_base}[{n_index}]"
            n_obj = v.mapping(raw_n, n_path, {"period", "text"})
            if n_obj is None:
                continue
            period = v.period(n_obj.get("period"), _join(n_path, "period"), years)
            text = v.text(n_obj, "text", n_path, required=True)
            if period is not None:
                if period in seen_narratives:
                    v.err(n_path, f"текст за {period.key} уже є ({seen_narratives[period]})")
                seen_narratives[period] = n_path
            narratives_to_check.append((_join(n_path, "text"), text))
            measure["narratives"].append({"period": period, "text": text})
        plan.measures.append(measure)

    # Placeholders may name any indicator of the programme, so they are checked last.
    for n_path, text in narratives_to_check:
        for message in placeholder_errors(text, indicator_codes=set(indicator_codes)):
            v.err(n_path, message)

    seen_reports: dict[Period, str] = {}
    for r_index, raw_r in enumerate(v.listing(top.get("reports"), "reports")):
        r_path = f"reports[{r_index}]"
        r_obj = v.mapping(raw_r, r_path, {"period", "status", "decision"})
        if r_obj is None:
            continue
        period = v.period(r_obj.get("period"), _join(r_path, "period"), years)
        status = v.choice(
            r_obj.get("status", Report.Status.DRAFT), _join(r_path, "status"), REPORT_STATUSES
        )
        d_number, d_day = "", None
        if status in (Report.Status.APPROVED, Report.Status.PUBLISHED):
            d_number, d_day = v.decision(r_obj.get("decision"), _join(r_path, "decision"))
        elif "decision" in r_obj:
            v.err(_join(r_path, "decision"), "рішення вказують лише для затвердженого звіту")
        if period is not None:
            if period in seen_reports:
                v.err(r_path, f"звіт за {period.key} уже є ({seen_reports[period]})")
            seen_reports[period] = r_path
        plan.reports.append(
            {
                "period": period,
                "status": status,
                "decision_number": d_number,
                "decision_date": d_day,
            }
        )

    if v.problems:
        raise ImportFailed(v.problems)
    return plan


def _item_unit(
    v: _Validator, obj: dict[str, Any], path: str, responsible: list[OrgUnit]
) -> OrgUnit | None:
    code = obj.get("unit")
    if code is None:
        return responsible[0] if len(responsible) == 1 else None
    unit = v.unit(code, _join(path, "unit"))
    if unit is not None and not any(unit.path.startswith(r.path) for r in responsible):
        v.err(_join(path, "unit"), f"підрозділ «{unit.code}» не відповідає за цей захід")
    return unit


def _spread(first: date, last: date, count: int) -> list[date]:
    """Return `count` days spread evenly from `first` to `last` (a series without exact dates)."""
    span = (last - first).days + 1
    return [first + timedelta(days=(i * span) // count) for i in range(count)]


# --- writing ------------------------------------------------------------------------------
@transaction.atomic
def programme_import(*, actor: User | None, data: Any) -> ImportResult:
    """Validate a programme file's data and, if it has no problem, create everything in it."""
    plan = validate(data)
    fields = plan.programme
    if actor is not None:
        require(actor, "programs.import_programme", fields["coordinator_unit"])
    programme = Programme.objects.create(**fields)
    counts = dict.fromkeys(
        ("measures", "funding", "indicators", "values", "activities", "spending", "narratives"), 0
    )
    activities: list[Activity] = []
    spending: list[SpendingEntry] = []
    for m in plan.measures:
        measure = Measure.objects.create(
            programme=programme, number=m["number"], title=m["title"], order=m["number"] * 10
        )
        measure.responsible_units.set(m["units"])
        counts["measures"] += 1
        PlannedFunding.objects.bulk_create(
            PlannedFunding(measure=measure, **f) for f in m["funding"] if f["amount"]
        )
        counts["funding"] += len(m["funding"])
        for order, i in enumerate(m["indicators"], start=1):
            indicator = Indicator.objects.create(
                programme=programme,
                measure=measure,
                code=i["code"],
                name=i["name"],
                unit_of_measure=i["unit_of_measure"],
                metric_key=i["metric_key"],
                order=measure.number * 1000 + order,
            )
            counts["indicators"] += 1
            IndicatorTarget.objects.bulk_create(
                IndicatorTarget(indicator=indicator, year=y, planned=p)
                for y, p in i["targets"].items()
            )
            IndicatorValue.objects.bulk_create(
                IndicatorValue(
                    programme=programme,
                    measure=measure,
                    indicator=indicator,
                    unit=m["units"][0] if len(m["units"]) == 1 else None,
                    created_by=actor,
                    year=x["period"].year,
                    quarter=x["period"].quarter,
                    actual=x["actual"],
                    evidence=x["evidence"],
                )
                for x in i["values"]
            )
            counts["values"] += len(i["values"])
        activities.extend(
            Activity(programme=programme, measure=measure, created_by=actor, **a)
            for a in m["activities"]
        )
        spending.extend(
            SpendingEntry(programme=programme, measure=measure, created_by=actor, **s)
            for s in m["spending"]
        )
        Narrative.objects.bulk_create(
            Narrative(
                programme=programme,
                measure=measure,
                unit=m["units"][0] if len(m["units"]) == 1 else None,
                created_by=actor,
                year=n["period"].year,
                quarter=n["period"].quarter,
                text=n["text"],
            )
            for n in m["narratives"]
        )
        counts["narratives"] += len(m["narratives"])
    Activity.objects.bulk_create(activities, batch_size=1000)
    SpendingEntry.objects.bulk_create(spending, batch_size=1000)
    counts["activities"] = len(activities)
    counts["spending"] = len(spending)
    counts["reports"] = len(plan.reports)
    audit_record(
        actor=actor,
        action="programme.imported",
        target=programme,
        data={"code": programme.code, **counts},
    )
    for r in plan.reports:
        report = services.report_create(actor=actor, programme=programme, period=r["period"])
        step = _REPORT_STEPS[r["status"]]
        if step >= 1:
            report = services.report_submit(actor=actor, report=report)
        if step >= 2:
            report = services.report_approve(
                actor=actor,
                report=report,
                decision_number=r["decision_number"],
                decision_date=r["decision_date"],
            )
        if step >= 3:
            services.report_publish(actor=actor, report=report)
    return ImportResult(programme=programme, counts=counts)
