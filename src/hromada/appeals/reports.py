"""The quarterly report on citizens' appeals by classifier No. 858, for any period and scope.

Bodies report every quarter how many appeals they received, counted by how received (1.x),
sign (2.x), kind (3.x), subject (5.x), type (6.x), applicant category (7.x), social status
(8.x), question topics and result (9.x). The report counts registered appeals whose
registration date falls in the period (drafts and discarded ones are not appeals). Each
single-valued section adds up to the total: an appeal without a code in a section is
counted in its "not stated" row, and one not yet decided in "на розгляді" of section 9.
Topics count questions: an appeal with three questions counts in three rows (the main
question is counted separately, and that column adds up to the total).

One GROUP BY query per section over the period's rows: the cost grows with the period,
not with the whole table (bench/appeals_bench.py measures a year of 200,000 appeals).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from hromada.accounts.models import OrgUnit
from hromada.appeals.models import Appeal, AppealTopic
from hromada.core.cells import safe_cell
from hromada.core.classifiers import classifier_items, section_labels
from hromada.core.exceptions import ApplicationError

CLASSIFIER = "858"
NOT_STATED = ""
# (section code, the Appeal field holding its code)
SINGLE_SECTIONS: list[tuple[str, str]] = [
    ("1", "how_received"),
    ("2", "sign"),
    ("3", "kind"),
    ("4", "sex"),
    ("5", "subject"),
    ("6", "appeal_type"),
    ("7", "category"),
    ("8", "social_status"),
    ("9", "result"),
]
EXCLUDED_STATES = (Appeal.State.DRAFT, Appeal.State.DISCARDED)
MAX_PERIOD_DAYS = 366 * 5 + 1


@dataclass
class Row:
    code: str
    label: str
    count: int
    main: int | None = None  # topics: appeals whose main question this is


@dataclass
class Section:
    code: str
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.count for r in self.rows)

    @property
    def main_total(self) -> int:
        return sum(r.main or 0 for r in self.rows)


@dataclass
class ClassifierReport:
    start: date
    end: date
    scope: OrgUnit | None
    total: int
    sections: list[Section]

    @property
    def title(self) -> str:
        where = str(self.scope) if self.scope is not None else _("усі органи")
        return _("Звернення громадян за %(start)s – %(end)s (%(where)s)") % {
            "start": self.start.strftime("%d.%m.%Y"),
            "end": self.end.strftime("%d.%m.%Y"),
            "where": where,
        }

    def section(self, code: str) -> Section:
        return next(s for s in self.sections if s.code == code)


def check_period(start: date, end: date) -> None:
    if end < start:
        raise ApplicationError(_("Кінець періоду раніше за його початок."), field="end")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ApplicationError(_("Період звіту — не довше п'яти років."), field="end")


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """Return the first and last day of a calendar quarter (1–4)."""
    if quarter not in (1, 2, 3, 4):
        raise ApplicationError(_("Квартал має бути числом від 1 до 4."), field="quarter")
    first_month = 3 * (quarter - 1) + 1
    start = date(year, first_month, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, first_month + 3, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def period_appeals(start: date, end: date, scope: OrgUnit | None = None) -> QuerySet[Appeal]:
    """Registered appeals with a registration date in the period, in a body's subtree."""
    qs = Appeal.objects.filter(reg_date__gte=start, reg_date__lte=end, seq__isnull=False).exclude(
        state__in=EXCLUDED_STATES
    )
    if scope is not None:
        qs = qs.filter(within(Q(unit__path__startswith=scope.path)))
    return qs


def within(unit_q: Q) -> Q:
    """Appeals registered in the units `unit_q` selects, or assigned to executors there.

    `unit_q` filters on `unit__path` (as `accounts.permissions.scope_q` builds it): a body's
    office sees what it registered, a department head what was assigned to the department.
    """
    from django.contrib.contenttypes.models import ContentType

    from hromada.accounts.permissions import is_everything
    from hromada.control.models import Assignment

    if is_everything(unit_q):
        return unit_q
    assigned = (
        Assignment.objects.filter(resolution__item_type=ContentType.objects.get_for_model(Appeal))
        .filter(unit_q)
        .values("resolution__item_id")
    )
    return unit_q | Q(pk__in=assigned)


def _labels(section: str, on: date) -> list[tuple[str, str]]:
    return list(classifier_items(CLASSIFIER, section, on).values_list("code", "label"))


def _rows(codes: list[tuple[str, str]], counts: dict[str, int], unstated: str) -> list[Row]:
    rows = [Row(code=c, label=label, count=counts.pop(c, 0)) for c, label in codes]
    # Codes no longer in the classifier (older editions) still count, under their code.
    for code in sorted(c for c in counts if c):
        rows.append(Row(code=code, label=_("(код поза чинною редакцією)"), count=counts[code]))
    rows.append(Row(code="", label=unstated, count=counts.get(NOT_STATED, 0)))
    return rows


def classifier_report(start: date, end: date, scope: OrgUnit | None = None) -> ClassifierReport:
    """Count a period's appeals by every section of classifier 858."""
    check_period(start, end)
    appeals = period_appeals(start, end, scope)
    titles = section_labels(CLASSIFIER)
    # One pass over the period: count each combination of the nine codes, then add the
    # combinations up per section here (a few thousand rows at most, however many appeals),
    # rather than one GROUP BY per section, each reading the whole period again.
    fields = [field_name for _code, field_name in SINGLE_SECTIONS]
    per_section: dict[str, dict[str, int]] = {code: {} for code, _field in SINGLE_SECTIONS}
    total = 0
    for row in appeals.values_list(*fields).annotate(n=Count("id")).order_by():
        n = row[-1]
        total += n
        for (code, _field), value in zip(SINGLE_SECTIONS, row[:-1], strict=True):
            key = value or NOT_STATED
            per_section[code][key] = per_section[code].get(key, 0) + n
    sections: list[Section] = []
    for code, _field in SINGLE_SECTIONS:
        counts = per_section[code]
        unstated = _("на розгляді (результату ще немає)") if code == "9" else _("не зазначено")
        sections.append(
            Section(
                code=code,
                title=titles.get(code, code),
                rows=_rows(_labels(code, end), counts, unstated),
            )
        )
    topic_rows = (
        AppealTopic.objects.filter(appeal__in=appeals)
        .values_list("code")
        .annotate(n=Count("id"), main=Count("id", filter=Q(is_main=True)))
        .order_by()
    )
    by_code = {c: (n, m) for c, n, m in topic_rows}
    topics = Section(code="topics", title=titles.get("topics", _("Тематика питань")))
    for code, label in _labels("topics", end):
        n, m = by_code.pop(code, (0, 0))
        topics.rows.append(Row(code=code, label=label, count=n, main=m))
    for code in sorted(by_code):
        n, m = by_code[code]
        topics.rows.append(Row(code=code, label=_("(код поза чинною редакцією)"), count=n, main=m))
    sections.append(topics)
    # Questions counted apart from the appeal: show each section's total next to the report's.
    return ClassifierReport(start=start, end=end, scope=scope, total=total, sections=sections)


# --- output ------------------------------------------------------------------------------------


def report_xlsx(report: ClassifierReport) -> bytes:
    """The report as a workbook: one sheet, a block per section with its total."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Звіт 858")
    bold = Font(bold=True)
    sheet.append([safe_cell(report.title)])
    sheet["A1"].font = bold
    sheet.append([_("Усього звернень"), "", report.total])
    for section in report.sections:
        sheet.append([])
        is_topics = section.code == "topics"
        header = [_("Код"), section.title, _("Кількість")]
        if is_topics:
            header = [_("Код"), section.title, _("Питань"), _("Основне питання")]
        sheet.append(header)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in section.rows:
            values: list[Any] = [row.code, safe_cell(row.label), row.count]
            if is_topics:
                values.append(row.main)
            sheet.append(values)
        totals: list[Any] = ["", _("Разом"), section.total]
        if is_topics:
            totals.append(section.main_total)
        sheet.append(totals)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 12
    sheet.column_dimensions["D"].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_html(report: ClassifierReport) -> str:
    return render_to_string("appeals/reports/print.html", {"report": report})


def report_pdf(report: ClassifierReport) -> bytes:
    """The report as PDF (WeasyPrint; DejaVu fonts carry the Cyrillic)."""
    from django.conf import settings
    from weasyprint import HTML

    pdf: bytes = HTML(string=report_html(report), base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf


# --- heads' dashboard -------------------------------------------------------------------------


@dataclass
class Bar:
    key: str
    label: str
    count: int
    share: int = 0  # percent of the largest bar, for the drawn chart


@dataclass
class Dashboard:
    start: date
    end: date
    received: int
    answered_on_time: int
    answered_late: int
    overdue_now: int
    open_not_due: int
    priority_open: int
    by_unit: list[Bar]
    by_topic: list[Bar]
    by_district: list[Bar]
    by_channel: list[Bar]

    @property
    def on_time_share(self) -> int:
        answered = self.answered_on_time + self.answered_late
        return round(100 * self.answered_on_time / answered) if answered else 0


def _bars(pairs: list[tuple[str, str, int]]) -> list[Bar]:
    pairs = sorted(pairs, key=lambda p: (-p[2], p[1]))
    top = max((n for _, _, n in pairs), default=0)
    return [
        Bar(key=k, label=label, count=n, share=round(100 * n / top) if top else 0)
        for k, label, n in pairs
    ]


def dashboard(start: date, end: date, scope_q: Q, *, today: date) -> Dashboard:
    """Received, on time, overdue, by unit / topic / district / channel for a scope and period."""
    from django.db.models import F

    from hromada.appeals.models import Channel
    from hromada.core.districts import District

    check_period(start, end)
    base = Appeal.objects.filter(within(scope_q), seq__isnull=False).exclude(
        state__in=EXCLUDED_STATES
    )
    period = base.filter(reg_date__gte=start, reg_date__lte=end)
    answered = Q(answered_at__isnull=False, due_date__isnull=False)
    figures = period.aggregate(
        received=Count("id"),
        on_time=Count("id", filter=answered & Q(answered_at__date__lte=F("due_date"))),
        late=Count("id", filter=answered & Q(answered_at__date__gt=F("due_date"))),
    )
    open_now = base.filter(state__in=Appeal.OPEN_STATES, answered_at__isnull=True)
    now = open_now.aggregate(
        overdue=Count("id", filter=Q(due_date__lt=today)),
        not_due=Count("id", filter=Q(due_date__gte=today)),
        priority=Count("id", filter=Q(priority=True)),
    )
    units = dict(OrgUnit.objects.values_list("pk", "name"))
    by_unit = [
        (str(u), units.get(u, "—"), n)
        for u, n in period.values_list("unit").annotate(n=Count("id")).order_by()
    ]
    topic_labels = dict(_labels("topics", end))
    by_topic = [
        (c, f"{c} {topic_labels.get(c, '')}".strip(), n)
        for c, n in AppealTopic.objects.filter(appeal__in=period, is_main=True)
        .values_list("code")
        .annotate(n=Count("id"))
        .order_by()
    ]
    districts = dict(District.choices)
    by_district = [
        (d or "-", str(districts.get(d, _("не зазначено"))), n)
        for d, n in period.values_list("district").annotate(n=Count("id")).order_by()
    ]
    channels = dict(Channel.choices)
    by_channel = [
        (c, str(channels.get(c, c)), n)
        for c, n in period.values_list("channel").annotate(n=Count("id")).order_by()
    ]
    return Dashboard(
        start=start,
        end=end,
        received=figures["received"],
        answered_on_time=figures["on_time"],
        answered_late=figures["late"],
        overdue_now=now["overdue"],
        open_not_due=now["not_due"],
        priority_open=now["priority"],
        by_unit=_bars(by_unit),
        by_topic=_bars(by_topic),
        by_district=_bars(by_district),
        by_channel=_bars(by_channel),
    )
