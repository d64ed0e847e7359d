"""The implementation report as a document: HTML (screen and print), DOCX and PDF.

``build_document`` turns the report's data (see ``selectors.report_data``) into
the text of the document once, with every figure already formatted the Ukrainian
way; the three renderers only lay that text out, so they always agree.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from hromada.programs.charts import Bar, render_chart, render_svg
from hromada.programs.formatting import format_number, percent, thousands, thousands_uah
from hromada.programs.models import FundingSource, Programme, Report
from hromada.programs.periods import Period
from hromada.programs.selectors import (
    report_data,
    report_document_data,
    report_for_period,
)

FORMATS = ("html", "docx", "pdf")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
SOURCE_LABELS = {s.value: str(s.label) for s in FundingSource}
CHART_TITLE = "Видатки за заходами програми, тис. грн"
_DIGIT_GROUP_RE = re.compile(r"(?<=\d)\u00a0(?=\d{3})")


@dataclass
class IndicatorLine:
    name: str
    unit: str
    planned: str
    actual: str
    share: str


@dataclass
class MeasureSection:
    number: int
    heading: str
    paragraphs: list[str]
    activities: str
    funding: str
    spending_items: list[str]
    indicators: list[IndicatorLine]


@dataclass
class SummaryRow:
    number: str
    title: str
    source: str
    plan: str
    spent: str
    share: str
    total: bool = False


@dataclass
class ReportDocument:
    """Everything the report says, formatted; what the three renderers lay out."""

    approval: list[str]
    draft_note: str
    title: str
    subtitle: str
    measures: list[MeasureSection]
    summary: list[SummaryRow]
    bars: list[Bar] = field(default_factory=list)
    filename: str = "report"

    def chart_png(self) -> bytes:
        return render_chart(self.bars, fmt="png")

    def chart_svg(self) -> str:
        return render_svg(self.bars, title=CHART_TITLE)

    def chart_data(self) -> dict[str, list[Any]]:
        """Return the chart's data for the interactive chart on screen."""
        return {
            "labels": [b.label for b in self.bars],
            "plan": [float(b.plan) for b in self.bars],
            "spent": [float(b.spent) for b in self.bars],
        }


def _d(value: str | None) -> Decimal:
    return Decimal(value) if value else Decimal(0)


def _date(value: str) -> str:
    return date.fromisoformat(value).strftime("%d.%m.%Y")


def _funding_line(measure: dict[str, Any], year: int, is_year: bool) -> str:
    spent = _d(measure["spending"]["total"])
    plan = _d(measure["plan_total"])
    if not spent and not plan:
        return ""
    parts = []
    if plan:
        parts.append(f"план на {year} рік — {thousands_uah(plan)}")
    used = f"використано {'за рік' if is_year else 'з початку року'} — {thousands_uah(spent)}"
    if plan:
        used += f" ({percent(spent, plan)})"
    parts.append(used)
    by_source = measure["spending"]["by_source"]
    if len(by_source) > 1 or (by_source and next(iter(by_source)) != "city"):
        parts.append(
            "у тому числі: "
            + "; ".join(f"{SOURCE_LABELS[s]} — {thousands_uah(v)}" for s, v in by_source.items())
        )
    return (
        "Фінансування: " + ", ".join(parts[:2]) + ("; " + parts[2] if len(parts) > 2 else "") + "."
    )


def _spending_items(measure: dict[str, Any]) -> list[str]:
    lines = []
    for item in measure["spending"]["items"]:
        source = "" if item["source"] == "city" else f" ({SOURCE_LABELS[item['source']]})"
        count = f", платежів — {item['count']}" if item["count"] > 1 else ""
        lines.append(f"{item['purpose']} — {thousands_uah(item['amount'])}{source}{count}")
    rest = measure["spending"].get("rest")
    if rest:
        lines.append(
            f"інші видатки ({format_number(rest['purposes'])} призначень, "
            f"платежів — {format_number(rest['count'])}) — {thousands_uah(rest['amount'])}"
        )
    return lines


def _summary(data: dict[str, Any]) -> list[SummaryRow]:
    rows: list[SummaryRow] = []
    sources = list(SOURCE_LABELS)
    for m in data["measures"]:
        present = [s for s in sources if s in m["plan"] or s in m["spending"]["by_source"]]
        if not present:
            rows.append(SummaryRow(str(m["number"]), m["title"], "—", "—", "—", "—"))
            continue
        for index, source in enumerate(present):
            plan = m["plan"].get(source)
            spent = m["spending"]["by_source"].get(source, "0")
            rows.append(
                SummaryRow(
                    str(m["number"]) if index == 0 else "",
                    m["title"] if index == 0 else "",
                    SOURCE_LABELS[source],
                    thousands(plan) if plan else "—",
                    thousands(spent),
                    percent(spent, plan) if plan else "—",
                )
            )
        if len(present) > 1:
            rows.append(
                SummaryRow(
                    "",
                    "",
                    "разом за заходом",
                    thousands(m["plan_total"]),
                    thousands(m["spending"]["total"]),
                    percent(m["spending"]["total"], m["plan_total"]),
                    total=True,
                )
            )
    totals = data["totals"]
    total_rows = [
        (SOURCE_LABELS[s], _d(totals["plan"][s]), _d(totals["spent"][s]))
        for s in sources
        if _d(totals["plan"][s]) or _d(totals["spent"][s])
    ]
    total_rows.append(("разом", _d(totals["plan_total"]), _d(totals["spent_total"])))
    for index, (label, plan, spent) in enumerate(total_rows):
        rows.append(
            SummaryRow(
                "",
                "Усього за програмою" if index == 0 else "",
                label,
                thousands(plan) if plan else "—",
                thousands(spent),
                percent(spent, plan) if plan else "—",
                total=True,
            )
        )
    return rows


def build_document(data: dict[str, Any], report: dict[str, Any] | None = None) -> ReportDocument:
    """Return the report's text, formatted, from its data and (optionally) the report's status."""
    programme, period = data["programme"], data["period"]
    single_year = programme["year_from"] == programme["year_to"] == period["year"]
    subtitle = f"з виконання заходів {programme['heading']}"
    if not (single_year and period["quarter"] == 0):
        subtitle += f" за {period['label']}"
    # Keep the last two words together: no "рік" alone on the title's last line.
    head, _space, last = subtitle.rpartition(" ")
    subtitle = f"{head}\u00a0{last}" if head else subtitle
    approval: list[str] = []
    draft_note = ""
    if report and report.get("decision_number") and report.get("decision_date"):
        approval = [
            "ЗАТВЕРДЖЕНО",
            "Рішення міської ради",
            f"{_date(report['decision_date'])} №{report['decision_number']}",
        ]
    else:
        label = report["status_label"] if report else "не збережено"
        draft_note = f"ПРОЄКТ ({label}; дані станом на {data['generated_at'][:10]})"
    is_year = period["quarter"] == 0
    measures = []
    bars = []
    for m in data["measures"]:
        activities = ""
        if m["activities"]:
            activities = "Проведено заходів: " + "; ".join(a["text"] for a in m["activities"]) + "."
        indicators = [
            IndicatorLine(
                name=i["name"],
                unit=i["unit"],
                planned=format_number(i["planned"]),
                actual=format_number(i["actual"]),
                share=percent(i["actual"], i["planned"]) if i["actual"] is not None else "—",
            )
            for i in m["indicators"]
        ]
        measures.append(
            MeasureSection(
                number=m["number"],
                heading=f"{m['number']}. {m['title']}",
                paragraphs=[p.strip() for p in m["narrative"].splitlines() if p.strip()],
                activities=activities,
                funding=_funding_line(m, period["year"], is_year),
                spending_items=_spending_items(m),
                indicators=indicators,
            )
        )
        plan, spent = _d(m["plan_total"]), _d(m["spending"]["total"])
        if plan or spent:
            bars.append(Bar(str(m["number"]), plan / 1000, spent / 1000))
    period_key = period["key"]
    return ReportDocument(
        approval=approval,
        draft_note=draft_note,
        title="ЗВІТ",
        subtitle=subtitle,
        measures=measures,
        summary=_summary(data),
        bars=bars,
        filename=f"zvit-{programme['code']}-{period_key}",
    )


# --- renderers -----------------------------------------------------------------------------
def render_html_page(document: ReportDocument) -> str:
    """Return the report as a standalone HTML page (the print layout PDF is made from)."""
    svg = document.chart_svg().encode() if document.bars else b""
    html = render_to_string(
        "programs/report/print.html",
        {
            "doc": document,
            "chart_uri": "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
            if svg
            else "",
        },
    )
    # Justified lines stretch no-break spaces too ("5    400"); a narrow one is never stretched.
    return _DIGIT_GROUP_RE.sub("\u202f", html)


def render_pdf(document: ReportDocument) -> bytes:
    """Return the report as PDF (WeasyPrint; DejaVu fonts carry the Cyrillic)."""
    from weasyprint import HTML

    html = render_html_page(document)
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf


def render_docx(document: ReportDocument) -> bytes:
    """Return the report as DOCX, the file the council's clerks edit and sign."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.paragraph_format.space_after = Pt(0)

    def para(
        text: str = "",
        *,
        bold: bool = False,
        align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: bool = True,
        left: Any = None,
        space_before: int = 0,
    ) -> Any:
        p = doc.add_paragraph()
        p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Cm(1.25)
        if left is not None:
            p.paragraph_format.left_indent = left
        if space_before:
            p.paragraph_format.space_before = Pt(space_before)
        run = p.add_run(text)
        run.bold = bold
        return p

    for line in document.approval:
        para(line, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False, left=Cm(10))
    if document.draft_note:
        para(document.draft_note, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    para(document.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_before=12)
    para(document.subtitle, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)

    def table(header: list[str], rows: list[list[str]], widths: list[float]) -> None:
        grid = doc.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(grid.rows[0].cells, header, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            run.font.size = Pt(10)
        for values in rows:
            cells = grid.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = ""
                run = cell.paragraphs[0].add_run(text)
                run.font.size = Pt(10)
        for row in grid.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)

    for measure in document.measures:
        para(measure.heading, bold=True, space_before=12)
        for text in measure.paragraphs:
            para(text)
        if measure.activities:
            para(measure.activities)
        if measure.funding:
            para(measure.funding)
        for item in measure.spending_items:
            para(f"– {item};")
        if measure.indicators:
            para("Показники виконання:", indent=True, space_before=6)
            table(
                ["Показник", "Од. виміру", "План", "Факт", "Виконання"],
                [[i.name, i.unit, i.planned, i.actual, i.share] for i in measure.indicators],
                [8.0, 2.0, 2.2, 2.2, 2.1],
            )

    para(
        "Зведена таблиця фінансування заходів програми, тис. грн",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        space_before=18,
    )
    table(
        ["№", "Захід", "Джерело фінансування", "План", "Фактично", "%"],
        [[r.number, r.title, r.source, r.plan, r.spent, r.share] for r in document.summary],
        [0.9, 6.6, 3.4, 1.9, 1.9, 1.8],
    )
    if document.bars:
        para(CHART_TITLE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_before=12)
        doc.add_picture(io.BytesIO(document.chart_png()), width=Cm(16))
    buffer = io.BytesIO()
    doc.core_properties.title = f"{document.title} {document.subtitle}"[:250]
    doc.save(buffer)
    return buffer.getvalue()


def render(document: ReportDocument, fmt: str) -> bytes:
    """Return the report in one of FORMATS."""
    if fmt == "html":
        return render_html_page(document).encode("utf-8")
    if fmt == "docx":
        return render_docx(document)
    if fmt == "pdf":
        return render_pdf(document)
    raise ValueError(f"unknown format {fmt!r}")


def document_for_report(report: Report) -> ReportDocument:
    """Return a report's document: frozen figures once approved, today's while a draft."""
    return build_document(report_document_data(report), report.as_dict())


def document_for_period(programme: Programme, period: Period) -> ReportDocument:
    """Return the document of the latest report version for a period, or of today's data."""
    report = report_for_period(programme, period)
    if report is not None:
        return document_for_report(report)
    return build_document(report_data(programme=programme, period=period), None)
