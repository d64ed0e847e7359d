"""The demo's 2015 report must reproduce the seed: every figure, in its measure, in its format."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from hromada.programs import services
from hromada.programs.importing import programme_import
from hromada.programs.models import Activity, Programme, SpendingEntry
from hromada.programs.periods import Period
from hromada.programs.rendering import build_document, document_for_period, render
from hromada.programs.selectors import report_data
from hromada.programs.tests.conftest import programme_data

pytestmark = pytest.mark.django_db

HEADER = [
    "ЗАТВЕРДЖЕНО",
    "Рішення міської ради",
    "27.01.2016 №183",
    "ЗВІТ",
    "з виконання заходів Програми сприяння розвитку місцевого самоврядування в м. Кривому Розі "
    "на 2015 рік",
]
# The figures of the seed report, by measure, as the seed writes them.
SEED_FIGURES: dict[int, list[str]] = {
    1: ["з міського бюджету витрачено 1,94 тис. грн"],
    2: ["проведено 84 районні інформаційні акції", "відбулися 52 виступи",
        "Проведено 14 прес-конференцій", "з яких 12 – міським головою",
        "«Кривий Ріг у цифрах і фактах» на суму 4,98 тис. грн",
        "«Інвестиційний паспорт» на суму 18,99 тис. грн"],
    3: ["розміщено 5 400 інформаційних матеріалів", "за допомогою 12 сенсорних",
        "167 інформаційних ресурсів", "17 тис. об'єктів", "15 рубрик",
        "понад 5 тис. житлових", "понад 760 віртуальних приймалень",
        "ДСТУ ISO/IEC 27001:2010", "наприкінці 2014 року", "З 2015 року",
        "близько 25% працівників"],
    4: ["108 семінарів-нарад", "389 сходів громадян", "17 інформаційних зустрічей",
        "84 засідання «круглих столів»"],
    5: ["71-ї річниці", "240-ї річниці", "витрачено з міського бюджету 130 тис. грн",
        "25.06.2015 №152-р"],
    6: ["понад 10 тис. учнів", "71 учнівське наукове товариство", "понад 4 тис. учнів",
        "13 закладів освіти", "1 236 учнів", "182 учня", "219 учнів", "26 юних криворіжців",
        "Більше 5 тис. учнів", "29 дітей-сиріт", "1 500 грн", "2 500 грн", "68 студентів",
        "650 грн", "200 грн"],
    7: ["41 громадянину", "2009, 2010 роках", "29.05.2015", "240-ї річниці",
        "150 тематичних зустрічей", "близько 5 тис. учнів"],
    8: ["38 посадових осіб", "3 посадові особи", "«Державна служба» – 2", "25 кращих студентів",
        "23,24 квітня 2015 року", "6 тематичних семінарів", "15 тренінгів",
        "ДСТУ ISO 9001:2009"],
    9: ["надано 12 інформацій", "26, 27 березня 2015 року", "21, 22 травня 2015 року",
        "27.05.2015", "близько 20 міст", "витрачено 283,1 тис. грн"],
    10: ["15 іноземних делегацій", "У травні 2015 року", "стерилізовано 184 тварини",
         "на загальну суму 34,2 тис. грн"],
}  # fmt: skip


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u00ad", "")).strip()


def sections(text: str, programme: Programme) -> dict[int, str]:
    """Split a report's text into the sections of its measures (by their numbered headings)."""
    text = normalise(text)
    starts = []
    for measure in programme.measures.order_by("number"):
        heading = normalise(f"{measure.number}. {measure.title}")[:40]
        position = text.find(heading)
        assert position >= 0, f"heading of measure {measure.number} not found"
        starts.append((measure.number, position))
    end = text.find("Зведена таблиця")
    bounds = [*(p for _n, p in starts[1:]), end]
    return {n: text[p:b] for (n, p), b in zip(starts, bounds, strict=True)}


def assert_seed_figures(text: str, programme: Programme) -> None:
    flat = normalise(text)
    for line in HEADER:
        assert line in flat, line
    by_measure = sections(text, programme)
    missing = [
        (number, figure)
        for number, figures in SEED_FIGURES.items()
        for figure in figures
        if figure not in by_measure[number]
    ]
    assert missing == []


def test_html_report_holds_every_seed_figure_in_its_measure(demo_programme):
    html = render(document_for_period(demo_programme, Period(2015)), "html").decode()
    text = re.sub(r"<[^>]+>", " ", html.split("<body>", 1)[1])
    text = text.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
    assert_seed_figures(text, demo_programme)


def test_docx_report_holds_every_seed_figure_in_its_measure(demo_programme):
    content = render(document_for_period(demo_programme, Period(2015)), "docx")
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert_seed_figures(text, demo_programme)
    assert len(document.inline_shapes) == 1  # the chart
    summary = document.tables[-1]
    last_row = [cell.text for cell in summary.rows[-1].cells]
    assert last_row[2:] == ["разом", "475,1", "473,21", "99,6\u00a0%"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf_report_holds_every_seed_figure_in_its_measure(demo_programme, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render(document_for_period(demo_programme, Period(2015)), "pdf"))
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],  # noqa: S607
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    assert_seed_figures(text, demo_programme)
    fonts = subprocess.run(  # noqa: S603
        ["pdffonts", str(pdf)],  # noqa: S607
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "DejaVu" in fonts


def test_draft_report_says_it_is_a_draft_and_has_no_approval_block(setup):
    document = build_document(report_data(programme=setup.programme, period=Period(2025)), None)
    assert document.approval == []
    assert document.draft_note.startswith("ПРОЄКТ")


def test_quarter_report_title_names_the_period(setup):
    document = build_document(report_data(programme=setup.programme, period=Period(2025, 2)))
    assert document.subtitle.replace("\u00a0", " ").endswith("за I півріччя 2025 року")


def test_a_second_imported_programme_gets_its_own_report(setup):
    programme = programme_import(actor=None, data=programme_data()).programme
    document = document_for_period(programme, Period(2025))
    text = normalise(render(document, "html").decode())
    assert "з виконання заходів Програма імпорту на 2025 рік" in text
    assert "Проведено 3 прес-конференції." in text
    assert "план на 2025 рік — 5 тис. грн, використано за рік — 1,94 тис. грн (38,8 %)" in text
    assert "Проведено заходів: 3 прес-конференції (з них міським головою — 3); 1 семінар." in text


def _fill(setup, activities: int) -> None:
    Activity.objects.bulk_create(
        Activity(programme=setup.programme, measure=setup.m1, type="seminar",
                 date=date(2025, 1 + i % 12, 1 + i % 28), title=f"Семінар {i}")
        for i in range(activities)
    )  # fmt: skip
    SpendingEntry.objects.bulk_create(
        SpendingEntry(programme=setup.programme, measure=setup.m2, date=date(2025, 5, 1),
                      amount=10 + i, source="city", purpose=f"Видаток {i % 30}")
        for i in range(activities)
    )  # fmt: skip


def _queries(setup) -> int:
    with CaptureQueriesContext(connection) as captured:
        document = document_for_period(setup.programme, Period(2025))
        render(document, "html")
    return len(captured.captured_queries)


def test_report_queries_do_not_grow_with_the_number_of_activities(setup):
    services.indicator_value_record(
        actor=None, indicator=setup.indicator, period=Period(2025), actual=3
    )
    _fill(setup, 10)
    few = _queries(setup)
    _fill(setup, 500)
    assert _queries(setup) == few
    assert few <= 12
