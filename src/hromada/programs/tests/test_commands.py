from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from hromada.programs.demo import DEMO_CODE, load_demo_programme
from hromada.programs.models import Programme
from hromada.programs.tests.conftest import programme_data

pytestmark = pytest.mark.django_db


def test_import_command_reads_a_json_file(setup, tmp_path, capsys):
    path = tmp_path / "programme.json"
    path.write_text(json.dumps(programme_data(), ensure_ascii=False), encoding="utf-8")
    call_command("programs", "import", str(path))
    assert Programme.objects.filter(code="imp-2025").exists()
    assert "Imported «imp-2025»" in capsys.readouterr().out


def test_import_command_prints_every_problem_and_imports_nothing(setup, tmp_path, capsys):
    data = programme_data()
    data["measures"][0]["spending"][0]["amount"] = -1
    data["measures"][0]["activities"][0]["date"] = "2030-01-01"
    path = tmp_path / "programme.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="помилок — 2"):
        call_command("programs", "import", str(path))
    err = capsys.readouterr().err
    assert "measures[0].spending[0].amount: має бути додатним числом" in err
    assert "measures[0].activities[0].date: дата 01.01.2030 поза роками програми (2025)" in err
    assert not Programme.objects.filter(code="imp-2025").exists()


def test_import_check_validates_without_importing(setup, tmp_path):
    path = tmp_path / "programme.json"
    path.write_text(json.dumps(programme_data()), encoding="utf-8")
    call_command("programs", "import", "--check", str(path))
    assert not Programme.objects.filter(code="imp-2025").exists()


def test_report_command_writes_the_docx(demo_programme, tmp_path):
    out = tmp_path / "zvit.docx"
    call_command("programs", "report", "msv-2015", "--period", "2015", "--format", "docx",
                 "-o", str(out))  # fmt: skip
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert paragraphs[:3] == ["ЗАТВЕРДЖЕНО", "Рішення міської ради", "27.01.2016 №183"]


def test_report_command_refuses_a_period_outside_the_programme(demo_programme, tmp_path):
    with pytest.raises(CommandError, match="outside"):
        call_command("programs", "report", "msv-2015", "--period", "2016", "--format", "html",
                     "-o", str(tmp_path / "x.html"))  # fmt: skip


def test_report_command_names_an_unknown_programme(db, tmp_path):
    with pytest.raises(CommandError, match="No programme"):
        call_command("programs", "report", "nope", "--period", "2015", "-o", str(tmp_path / "x"))


def test_demo_loader_imports_once(demo_units):
    assert load_demo_programme() is not None
    assert load_demo_programme() is None
    assert Programme.objects.filter(code=DEMO_CODE).count() == 1


def test_demo_loader_does_nothing_without_the_demo_city(db):
    assert load_demo_programme() is None
    assert not Programme.objects.exists()
