"""Tests of `hromada audit verify` and `hromada audit export`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from hromada.accounts.factories import StaffFactory
from hromada.core.audit import audit_record, audit_stream, remove_append_only_guard
from hromada.core.models import AuditEvent


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _tamper(sql: str, params: list[object] | None = None) -> None:
    remove_append_only_guard(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


@pytest.mark.django_db
def test_verify_reports_ok_with_the_number_of_events():
    for _ in range(3):
        audit_record(actor=None, action="test.done")
    out, _ = _run("verify")
    assert out.splitlines()[0] == "OK: 3 events verified"


@pytest.mark.django_db
def test_verify_prints_the_chain_head_to_note_elsewhere():
    event = audit_record(actor=None, action="test.done")
    out, _ = _run("verify")
    assert f"#1 {event.hash}" in out


@pytest.mark.django_db
def test_verify_prints_every_streams_head():
    first = audit_record(actor=None, action="test.done")
    clerk = StaffFactory()
    second = audit_record(actor=clerk, action="test.done")
    out, _ = _run("verify")
    assert f"stream 1: #1 {first.hash}" in out
    assert f"stream {second.stream}: #1 {second.hash}" in out


@pytest.mark.django_db
def test_verify_reports_the_first_break_of_each_broken_stream():
    clerk = StaffFactory()
    for actor in (None, None, clerk, clerk):
        audit_record(actor=actor, action="test.done")
    stream = audit_stream(clerk.pk)
    _tamper("UPDATE core_auditevent SET object_repr = 'x' WHERE stream_seq = 2")
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("audit", "verify", stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("BROKEN at event #2: ")
    assert any(line.startswith("stream 1: BROKEN at #2") for line in lines)
    assert any(line.startswith(f"stream {stream}: BROKEN at #2") for line in lines)


@pytest.mark.django_db
def test_verify_reports_the_first_broken_event_and_fails():
    for _ in range(4):
        audit_record(actor=None, action="test.done")
    _tamper("UPDATE core_auditevent SET object_repr = 'x' WHERE stream_seq IN (2, 3)")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify", stdout=io.StringIO(), stderr=err)
    assert exc.value.code == 1
    assert err.getvalue().startswith("BROKEN at event #2: ")


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_export_writes_utf8_csv_with_bom_and_ukrainian_header(tmp_path):
    event = audit_record(actor=None, action="test.done", object_repr="Заява №1")
    target = tmp_path / "audit.csv"
    _run("export", "-o", str(target))
    rows = _read_csv(target)
    assert rows[0][:3] == ["Номер", "Час", "Хто (текст)"]
    assert rows[1][0] == str(event.seq)
    assert "Заява №1" in rows[1]


@pytest.mark.django_db
def test_export_keeps_only_the_days_asked_for(tmp_path):
    seqs = []
    for day in ("2025-01-10", "2025-01-15", "2025-01-20"):
        event = audit_record(actor=None, action="test.done", data={"day": day})
        seqs.append(str(event.seq))
        _tamper(
            "UPDATE core_auditevent SET created_at = %s WHERE seq = %s",
            [f"{day} 12:00:00", event.seq],
        )
    target = tmp_path / "audit.csv"
    _run("export", "--since", "2025-01-15", "--until", "2025-01-20", "-o", str(target))
    rows = _read_csv(target)[1:]
    assert [r[0] for r in rows] == [seqs[2], seqs[1]]


@pytest.mark.django_db
def test_export_is_itself_audited(tmp_path):
    _run("export", "--since", "2025-01-01", "-o", str(tmp_path / "a.csv"))
    event = AuditEvent.objects.get(action="audit.exported")
    assert event.data["via"] == "command"
    assert event.data["since"].startswith("2025-01-01")


@pytest.mark.django_db
def test_export_leaves_its_own_event_out_of_the_file(tmp_path):
    target = tmp_path / "a.csv"
    _run("export", "-o", str(target))
    assert _read_csv(target)[1:] == []


@pytest.mark.django_db
def test_export_neutralises_spreadsheet_formulas(tmp_path):
    audit_record(actor=None, action="test.done", object_repr='=HYPERLINK("http://evil")')
    target = tmp_path / "a.csv"
    _run("export", "-o", str(target))
    assert _read_csv(target)[1][7] == '\'=HYPERLINK("http://evil")'


@pytest.mark.django_db
def test_export_rejects_an_impossible_date(tmp_path):
    with pytest.raises(CommandError):
        _run("export", "--since", "2025-02-30", "-o", str(tmp_path / "a.csv"))


@pytest.mark.django_db
def test_export_rejects_an_inverted_range(tmp_path):
    with pytest.raises(CommandError):
        _run("export", "--since", "2025-02-10", "--until", "2025-02-01", "-o", str(tmp_path / "a"))


@pytest.mark.django_db
def test_export_to_stdout_with_a_dash():
    event = audit_record(actor=None, action="test.done")
    out, _ = _run("export", "-o", "-")
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows[0][0] == "Номер"
    assert rows[1][0] == str(event.seq)
