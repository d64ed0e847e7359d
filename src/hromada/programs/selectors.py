"""Reads of programmes: the report's data for a period, progress, lists of entries.

``report_data`` gathers everything a report shows in a fixed number of queries,
whatever the number of activities and spending entries: the database aggregates,
Python only arranges the rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from hromada.programs.formatting import counted, format_number
from hromada.programs.metrics import metric_value
from hromada.programs.models import (
    ACTIVITY_FORMS,
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
from hromada.programs.narrative import fill
from hromada.programs.periods import Period

DATA_SCHEMA = 1
# A report lists a measure's six biggest spending purposes; the rest are summed in one line.
SPENDING_ITEMS_SHOWN = 6
SOURCES = list(FundingSource.values)
ZERO = Decimal("0.00")


def _money(value: Decimal | None) -> str:
    return str((value or ZERO).quantize(Decimal("0.01")))


def _number(value: Decimal | None) -> str | None:
    """Return a value as plain text without trailing zeros: 5400.00 → "5400", 12.50 → "12.5"."""
    return None if value is None else format(value.normalize(), "f")


# --- the report's data ----------------------------------------------------------------
def _activity_rows(counts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the activity summary of one measure, in the order of ActivityType."""
    by_type = {row["type"]: row for row in counts}
    rows = []
    for value in ActivityType.values:
        row = by_type.get(value)
        if row is None:
            continue
        count, mayor = int(row["n"]), int(row["mayor"])
        text = counted(count, *ACTIVITY_FORMS[value])
        if mayor:
            text += f" (з них міським головою — {format_number(mayor)})"
        rows.append(
            {
                "type": value,
                "label": str(ActivityType(value).label),
                "count": count,
                "by_mayor": mayor,
                "text": text,
            }
        )
    return rows


def report_data(*, programme: Programme, period: Period) -> dict[str, Any]:
    """Return everything the report for a period shows, as JSON-ready data (frozen on approval).

    Amounts are strings of UAH with kopecks ("1940.00"), so that no float ever rounds them.
    Quarterly periods are cumulative from 1 January; planned figures are the year's.
    """
    start, end = period.start, period.end
    measures = list(
        Measure.objects.filter(programme=programme)
        .prefetch_related("responsible_units")
        .order_by("order", "number")
    )
    plan: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for measure_id, source, amount in PlannedFunding.objects.filter(
        measure__programme=programme, year=period.year
    ).values_list("measure_id", "source", "amount"):
        plan[measure_id][source] = amount

    spent: dict[int, dict[str, Decimal]] = defaultdict(dict)
    items: dict[int, list[dict[str, Any]]] = defaultdict(list)
    in_period = Q(programme=programme, date__gte=start, date__lte=end)
    for group in (
        SpendingEntry.objects.filter(in_period)
        .values("measure_id", "source", "purpose")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by("measure_id", "-total", "purpose")
    ):
        by_source = spent[group["measure_id"]]
        by_source[group["source"]] = by_source.get(group["source"], ZERO) + group["total"]
        items[group["measure_id"]].append(group)

    activity_counts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for group in (
        Activity.objects.filter(in_period)
        .values("measure_id", "type")
        .annotate(n=Count("id"), mayor=Count("id", filter=Q(by_mayor=True)))
        .order_by("measure_id", "type")
    ):
        activity_counts[group["measure_id"]].append(group)

    indicators = list(Indicator.objects.filter(programme=programme).order_by("order", "pk"))
    targets = dict(
        IndicatorTarget.objects.filter(
            indicator__programme=programme, year=period.year
        ).values_list("indicator_id", "planned")
    )
    values = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            programme=programme, year=period.year, quarter=period.quarter
        )
    }
    narratives = dict(
        Narrative.objects.filter(
            programme=programme, year=period.year, quarter=period.quarter
        ).values_list("measure_id", "text")
    )

    indicator_rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    by_code: dict[str, dict[str, Any]] = {}
    for indicator in indicators:
        value = values.get(indicator.pk)
        if indicator.metric_key:
            actual: Decimal | None = metric_value(indicator.metric_key, period)
            evidence = f"Обчислено з даних платформи ({indicator.metric_key})."
        else:
            actual = value.actual if value is not None else None
            evidence = value.evidence if value is not None else ""
        indicator_row = {
            "code": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit_of_measure,
            "metric_key": indicator.metric_key,
            "planned": _number(targets.get(indicator.pk)),
            "actual": _number(actual),
            "evidence": evidence,
        }
        indicator_rows[indicator.measure_id].append(indicator_row)
        by_code[indicator.code] = indicator_row

    totals_plan = dict.fromkeys(SOURCES, ZERO)
    totals_spent = dict.fromkeys(SOURCES, ZERO)
    measure_rows = []
    for measure in measures:
        m_plan = plan.get(measure.pk, {})
        m_spent = spent.get(measure.pk, {})
        for source in SOURCES:
            totals_plan[source] += m_plan.get(source, ZERO)
            totals_spent[source] += m_spent.get(source, ZERO)
        m_items = items.get(measure.pk, [])
        shown, rest = m_items[:SPENDING_ITEMS_SHOWN], m_items[SPENDING_ITEMS_SHOWN:]
        row: dict[str, Any] = {
            "id": measure.pk,
            "number": measure.number,
            "title": measure.title,
            "units": [u.short_name or u.name for u in measure.responsible_units.all()],
            "activities": _activity_rows(activity_counts.get(measure.pk, [])),
            "spending": {
                "items": [
                    {
                        "purpose": i["purpose"],
                        "source": i["source"],
                        "amount": _money(i["total"]),
                        "count": i["n"],
                    }
                    for i in shown
                ],
                "rest": (
                    {
                        "amount": _money(sum((i["total"] for i in rest), ZERO)),
                        "count": sum(i["n"] for i in rest),
                        "purposes": len(rest),
                    }
                    if rest
                    else None
                ),
                "by_source": {s: _money(m_spent[s]) for s in SOURCES if s in m_spent},
                "total": _money(sum(m_spent.values(), ZERO)),
            },
            "plan": {s: _money(m_plan[s]) for s in SOURCES if s in m_plan},
            "plan_total": _money(sum(m_plan.values(), ZERO)),
            "indicators": indicator_rows.get(measure.pk, []),
        }
        row["activities_total"] = sum(a["count"] for a in row["activities"])
        row["narrative"] = fill(narratives.get(measure.pk, ""), measure=row, indicators=by_code)
        measure_rows.append(row)

    return {
        "schema": DATA_SCHEMA,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "programme": {
            "id": programme.pk,
            "code": programme.code,
            "title": programme.title,
            "heading": programme.heading_genitive,
            "year_from": programme.year_from,
            "year_to": programme.year_to,
            "decision_number": programme.decision_number,
            "decision_date": programme.decision_date.isoformat(),
        },
        "period": {
            "key": period.key,
            "year": period.year,
            "quarter": period.quarter,
            "label": period.label,
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
        "measures": measure_rows,
        "totals": {
            "plan": {s: _money(v) for s, v in totals_plan.items()},
            "spent": {s: _money(v) for s, v in totals_spent.items()},
            "plan_total": _money(sum(totals_plan.values(), ZERO)),
            "spent_total": _money(sum(totals_spent.values(), ZERO)),
            "activities": sum(m["activities_total"] for m in measure_rows),
        },
    }


def report_for_period(programme: Programme, period: Period) -> Report | None:
    """Return the latest version of the programme's report for a period, if any."""
    return (
        Report.objects.filter(programme=programme, year=period.year, quarter=period.quarter)
        .order_by("-version")
        .first()
    )


def report_document_data(report: Report) -> dict[str, Any]:
    """Return a report's data: frozen once approved, computed now while it is a draft."""
    if report.data is not None:
        return report.data  # type: ignore[no-any-return]
    return report_data(programme=report.programme, period=report.period)


# --- lists ----------------------------------------------------------------------------
def programmes_list() -> QuerySet[Programme]:
    """Return programmes with their coordinator units, newest first."""
    return Programme.objects.select_related("coordinator_unit").annotate(
        measure_count=Count("measures", distinct=True)
    )


def published_reports() -> QuerySet[Report]:
    """Return the reports published on the portal, newest period first."""
    return (
        Report.objects.filter(status=Report.Status.PUBLISHED)
        .select_related("programme")
        .order_by("-year", "-quarter", "programme__title", "-version")
    )


def measures_of(programme: Programme) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(programme=programme)
        .prefetch_related("responsible_units")
        .order_by("order", "number")
    )


def measure_detail(measure: Measure) -> Measure:
    return (
        Measure.objects.select_related("programme")
        .prefetch_related(
            "responsible_units",
            "funding",
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets")),
        )
        .get(pk=measure.pk)
    )


def activities_of(programme: Programme) -> QuerySet[Activity]:
    return Activity.objects.filter(programme=programme).select_related("measure", "unit")


def spending_of(programme: Programme) -> QuerySet[SpendingEntry]:
    return SpendingEntry.objects.filter(programme=programme).select_related("measure", "unit")


def in_period(qs: QuerySet[Any], period: Period) -> QuerySet[Any]:
    """Filter dated entries to a period (1 January to the period's end)."""
    return qs.filter(date__gte=period.start, date__lte=period.end)


# --- progress ----------------------------------------------------------------------------
@dataclass
class MeasureProgress:
    """Spending against the plan and indicators against targets of one measure."""

    measure: Measure
    plan: Decimal
    spent: Decimal
    by_quarter: list[Decimal]
    indicators: list[dict[str, Any]]
    activities: int
    units_missing: list[str] = field(default_factory=list)

    @property
    def share(self) -> Decimal | None:
        return None if not self.plan else (self.spent * 100 / self.plan)


@dataclass
class ProgrammeProgress:
    programme: Programme
    year: int
    quarter: Period
    measures: list[MeasureProgress]
    units_missing: list[str]

    @property
    def plan(self) -> Decimal:
        return sum((m.plan for m in self.measures), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((m.spent for m in self.measures), ZERO)


def default_quarter(programme: Programme, today: date | None = None) -> Period:
    """Return today's quarter if the programme runs this year, else its last quarter."""
    today = today or timezone.localdate()
    if programme.year_from <= today.year <= programme.year_to:
        return Period.quarter_of(today)
    if today.year > programme.year_to:
        return Period(programme.year_to, 4)
    return Period(programme.year_from, 1)


def programme_progress(*, programme: Programme, quarter: Period) -> ProgrammeProgress:
    """Return spending vs plan and indicators vs targets per measure up to a quarter's end,
    and the responsible units that recorded nothing during that quarter."""
    year = quarter.year
    measures = list(measures_of(programme))
    plan = dict(
        PlannedFunding.objects.filter(measure__programme=programme, year=year)
        .values("measure_id")
        .annotate(total=Sum("amount"))
        .values_list("measure_id", "total")
    )
    quarter_sums: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO] * 4)
    for measure_id, month, total in (
        SpendingEntry.objects.filter(programme=programme, date__year=year, date__lte=quarter.end)
        .values("measure_id", "date__month")
        .annotate(total=Sum("amount"))
        .values_list("measure_id", "date__month", "total")
    ):
        quarter_sums[measure_id][(month - 1) // 3] += total
    activity_totals = dict(
        Activity.objects.filter(programme=programme, date__year=year, date__lte=quarter.end)
        .values("measure_id")
        .annotate(n=Count("id"))
        .values_list("measure_id", "n")
    )
    # Who recorded anything during the quarter itself (entries without a unit count for all).
    q_start, q_end = quarter.quarter_start if quarter.quarter else quarter.start, quarter.end
    reported: set[tuple[int, int | None]] = set()
    for model in (Activity, SpendingEntry):
        reported.update(
            model.objects.filter(programme=programme, date__gte=q_start, date__lte=q_end)
            .values_list("measure_id", "unit_id")
            .distinct()
        )
    # Figures and texts for the whole year are what units report in the last quarter.
    quarters = [quarter.quarter, 0] if quarter.quarter == 4 else [quarter.quarter]
    reported.update(
        IndicatorValue.objects.filter(programme=programme, year=year, quarter__in=quarters)
        .values_list("measure_id", "unit_id")
        .distinct()
    )
    reported.update(
        Narrative.objects.filter(programme=programme, year=year, quarter__in=quarters)
        .values_list("measure_id", "unit_id")
        .distinct()
    )
    indicators = list(Indicator.objects.filter(programme=programme).order_by("order", "pk"))
    targets = dict(
        IndicatorTarget.objects.filter(indicator__programme=programme, year=year).values_list(
            "indicator_id", "planned"
        )
    )
    values: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, q, actual in IndicatorValue.objects.filter(
        programme=programme, year=year, quarter__lte=quarter.quarter or 4
    ).values_list("indicator_id", "quarter", "actual"):
        values[indicator_id][q] = actual
    by_measure: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for indicator in indicators:
        series = values.get(indicator.pk, {})
        latest_q = max(series) if series else None
        by_measure[indicator.measure_id].append(
            {
                "indicator": indicator,
                "planned": targets.get(indicator.pk),
                "actual": series.get(latest_q) if latest_q is not None else None,
                "as_of": Period(year, latest_q).short_label if latest_q is not None else "",
                "metric": bool(indicator.metric_key),
            }
        )
    rows = []
    missing_all: dict[str, None] = {}
    for measure in measures:
        units_missing = []
        if (measure.pk, None) not in reported:
            for unit in measure.responsible_units.all():
                if (measure.pk, unit.pk) not in reported:
                    label = unit.short_name or unit.name
                    units_missing.append(label)
                    missing_all[label] = None
        sums = quarter_sums.get(measure.pk, [ZERO] * 4)
        rows.append(
            MeasureProgress(
                measure=measure,
                plan=plan.get(measure.pk) or ZERO,
                spent=sum(sums, ZERO),
                by_quarter=sums,
                indicators=by_measure.get(measure.pk, []),
                activities=activity_totals.get(measure.pk, 0),
                units_missing=units_missing,
            )
        )
    return ProgrammeProgress(
        programme=programme,
        year=year,
        quarter=quarter,
        measures=rows,
        units_missing=list(missing_all),
    )
