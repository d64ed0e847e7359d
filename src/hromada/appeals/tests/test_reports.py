"""The quarterly classifier-858 report adds up; XLSX and PDF read back; dashboard figures."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db.models import Q
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from hromada.accounts.models import User
from hromada.appeals import reports
from hromada.appeals.factories import register
from hromada.appeals.metrics import answered_on_time, received
from hromada.appeals.models import Appeal, Channel
from hromada.control.factories import Org

pytestmark = pytest.mark.django_db


def _some_appeals(org: Org) -> list[Appeal]:
    made = [
        register(org, channel=Channel.HOTLINE, topics=["109", "110"]).appeal,
        register(
            org, channel=Channel.POST, surname="Бондар", phone="", category="7.5", topics=["106"]
        ).appeal,
        register(org, channel=Channel.EMAIL, surname="Гнатюк", phone="", kind="3.3").appeal,
        register(org, surname="", address="", confirm_anonymous=True, phone="").appeal,
    ]
    Appeal.objects.filter(pk=made[0].pk).update(result="9.1", state=Appeal.State.CLOSED)
    return made


def _today() -> date:
    return timezone.localdate()


def test_every_single_valued_section_adds_up_to_the_total(org: Org) -> None:
    _some_appeals(org)
    report = reports.classifier_report(_today() - timedelta(days=1), _today())
    assert report.total == 4
    for section in report.sections:
        if section.code == "topics":
            # Every appeal has one main question; all questions count in `total`.
            assert section.main_total == report.total
            assert section.total == 5
        else:
            assert section.total == report.total, section.code


def test_counts_land_in_the_right_rows(org: Org) -> None:
    _some_appeals(org)
    report = reports.classifier_report(_today(), _today())
    how = {r.code: r.count for r in report.section("1").rows}
    assert how["1.1.1"] == 2  # the hotline call and the anonymous default channel (hotline)
    assert how["1.1"] == 2
    kinds = {r.code: r.count for r in report.section("3").rows}
    assert kinds["3.3"] == 1
    results = {r.code: r.count for r in report.section("9").rows}
    assert results["9.1"] == 1
    assert results["9.6"] == 1
    assert results[""] == 2
    topics = {r.code: (r.count, r.main) for r in report.section("topics").rows}
    assert topics["110"] == (1, 0)
    assert topics["109"][1] >= 1


def test_period_and_scope_filter_the_count(org: Org) -> None:
    _some_appeals(org)
    yesterday = _today() - timedelta(days=1)
    assert reports.classifier_report(yesterday, yesterday).total == 0
    assert reports.classifier_report(_today(), _today(), org.x).total == 0
    assert reports.classifier_report(_today(), _today(), org.d).total == 4


def test_backwards_period_is_refused() -> None:
    from hromada.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError, match="раніше"):
        reports.classifier_report(date(2025, 3, 1), date(2025, 1, 1))


def test_quarter_bounds() -> None:
    assert reports.quarter_bounds(2025, 1) == (date(2025, 1, 1), date(2025, 3, 31))
    assert reports.quarter_bounds(2025, 4) == (date(2025, 10, 1), date(2025, 12, 31))


def test_xlsx_reads_back_with_totals(org: Org) -> None:
    _some_appeals(org)
    report = reports.classifier_report(_today(), _today())
    book = load_workbook(io.BytesIO(reports.report_xlsx(report)))
    rows = [tuple(r) for r in book.active.iter_rows(values_only=True)]  # type: ignore[union-attr]
    assert rows[1][2] == 4
    totals = [r for r in rows if r[1] == "Разом"]
    assert len(totals) == len(report.sections)
    assert all(r[2] == 4 for r in totals[:-1])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf_reads_back(org: Org, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _some_appeals(org)
    report = reports.classifier_report(_today(), _today())
    path = tmp_path / "r.pdf"
    path.write_bytes(reports.report_pdf(report))
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Звіт про звернення громадян" in text
    assert "скарга" in text
    assert "комунальне господарство" in text


def test_report_screen_and_downloads_for_controller(
    org: Org, login: Callable[[User], Client]
) -> None:
    _some_appeals(org)
    client = login(org.controller)
    today = _today().isoformat()
    page = client.get(f"/staff/appeals/report/?start={today}&end={today}")
    assert page.status_code == 200
    assert "Усього звернень" in page.content.decode()
    xlsx = client.get(f"/staff/appeals/report/?start={today}&end={today}&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    pdf = client.get(f"/staff/appeals/report/?start={today}&end={today}&format=pdf")
    assert pdf.content.startswith(b"%PDF")


def test_report_of_another_body_is_forbidden(org: Org, login: Callable[[User], Client]) -> None:
    client = login(org.controller)
    assert client.get(f"/staff/appeals/report/?unit={org.x.pk}").status_code == 403


def test_executor_may_not_see_statistics(org: Org, login: Callable[[User], Client]) -> None:
    client = login(org.spec_d)
    assert client.get("/staff/appeals/report/").status_code == 403
    assert client.get("/staff/appeals/dashboard/").status_code == 403


def test_dashboard_counts_overdue_and_on_time(org: Org, login: Callable[[User], Client]) -> None:
    made = _some_appeals(org)
    today = _today()
    Appeal.objects.filter(pk=made[1].pk).update(due_date=today - timedelta(days=1))
    Appeal.objects.filter(pk=made[0].pk).update(answered_at=timezone.now(), due_date=today)
    board = reports.dashboard(
        today - timedelta(days=1), today, Q(unit__path__startswith=org.d.path), today=today
    )
    assert board.received == 4
    assert board.answered_on_time == 1
    assert board.overdue_now == 1
    page = login(org.head_d).get("/staff/appeals/dashboard/").content.decode()
    assert 'data-figure="overdue"' in page


def test_metrics_count_received_and_on_time(org: Org) -> None:
    made = _some_appeals(org)
    Appeal.objects.filter(pk=made[0].pk).update(answered_at=timezone.now())
    today = _today()
    assert received(today, today) == 4
    assert answered_on_time(today, today) == 1
