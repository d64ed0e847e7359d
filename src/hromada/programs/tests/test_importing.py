from __future__ import annotations

import copy
import json

import pytest
import yaml

from hromada.core.models import AuditEvent
from hromada.programs.importing import ImportFailed, parse_document, programme_import
from hromada.programs.models import Activity, Programme, Report, SpendingEntry
from hromada.programs.tests.conftest import programme_data

pytestmark = pytest.mark.django_db


def problems_of(data) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        programme_import(actor=None, data=data)
    return caught.value.problems


def test_demo_file_imports_all_ten_measures_and_publishes_the_2015_report(demo_programme):
    assert demo_programme.measures.count() == 10
    report = Report.objects.get(programme=demo_programme)
    assert (report.status, report.decision_number, str(report.decision_date)) == (
        "published", "183", "2016-01-27",
    )  # fmt: skip
    assert report.data is not None


def test_demo_file_holds_every_activity_series_of_the_seed(demo_programme):
    types = ("information_action", "broadcast", "press_conference", "citizens_gathering",
             "round_table", "delegation_visit", "training")  # fmt: skip
    counts = {t: Activity.objects.filter(programme=demo_programme, type=t).count() for t in types}
    assert counts == {
        "information_action": 85,  # 84 district actions + the GIZ campaign (measure 10)
        "broadcast": 52,
        "press_conference": 14,
        "citizens_gathering": 389,
        "round_table": 84,
        "delegation_visit": 15,
        "training": 16,  # 15 CNAP trainings + the deputies' training (measure 1)
    }
    assert Activity.objects.filter(type="press_conference", by_mayor=True).count() == 12


def test_valid_file_imports_everything_with_one_audit_event(setup):
    result = programme_import(actor=None, data=programme_data())
    programme = result.programme
    assert result.counts["activities"] == 4  # one seminar and a series of three
    assert SpendingEntry.objects.get(programme=programme).amount == 1940
    assert AuditEvent.objects.filter(action="programme.imported").count() == 1


def test_series_spreads_its_dates_over_the_range(setup):
    programme = programme_import(actor=None, data=programme_data()).programme
    days = sorted(
        Activity.objects.filter(programme=programme, type="press_conference").values_list(
            "date", flat=True
        )
    )
    assert [d.isoformat() for d in days] == ["2025-01-01", "2025-05-02", "2025-09-01"]


def test_every_problem_is_reported_with_its_path_and_nothing_is_imported(setup):
    data = programme_data()
    measure = data["measures"][0]
    measure["spending"].append(
        {"date": "2024-12-31", "amount": -5, "source": "city", "purpose": "x"}
    )
    measure["spending"].append({"date": "2025-02-30", "amount": "abc", "source": "bank",
                                "purpose": ""})  # fmt: skip
    measure["activities"][0]["type"] = "party"
    data["measures"][1]["responsible_units"] = ["NOPE"]
    problems = problems_of(data)
    assert "measures[0].spending[1].date: дата 31.12.2024 поза роками програми (2025)" in problems
    assert "measures[0].spending[1].amount: має бути додатним числом" in problems
    assert "measures[0].spending[2].amount: має бути додатним числом" in problems
    assert any(p.startswith("measures[0].spending[2].date:") for p in problems)
    assert any(p.startswith("measures[0].spending[2].source: невідоме значення «bank»")
               for p in problems)  # fmt: skip
    assert "measures[0].spending[2].purpose: це поле обов'язкове" in problems
    assert any(p.startswith("measures[0].activities[0].type:") for p in problems)
    assert "measures[1].responsible_units[0]: немає підрозділу з кодом «NOPE»" in problems
    assert not Programme.objects.filter(code="imp-2025").exists()
    assert not SpendingEntry.objects.exists()


def test_duplicates_are_reported(setup):
    data = programme_data()
    measure = data["measures"][0]
    measure["spending"].append(copy.deepcopy(measure["spending"][0]))
    measure["activities"].append(copy.deepcopy(measure["activities"][0]))
    measure["indicators"].append(copy.deepcopy(measure["indicators"][0]))
    measure["narratives"].append(copy.deepcopy(measure["narratives"][0]))
    data["measures"][1]["number"] = 1
    problems = problems_of(data)
    assert "measures[0].spending[1]: повторює measures[0].spending[0]" in problems
    assert "measures[0].activities[2]: повторює measures[0].activities[0]" in problems
    assert (
        "measures[0].indicators[1].code: показник «events» уже є (measures[0].indicators[0])"
        in (problems)
    )
    assert "measures[0].narratives[1]: текст за 2025 уже є (measures[0].narratives[0])" in problems
    assert "measures[1].number: захід №1 уже є (measures[0])" in problems


def test_an_existing_programme_code_is_refused(setup):
    programme_import(actor=None, data=programme_data())
    assert problems_of(programme_data()) == [
        "code: програма з кодом «imp-2025» уже є; імпорт не змінює наявних програм"
    ]


def test_unknown_fields_and_placeholders_are_reported(setup):
    data = programme_data(colour="red")
    data["measures"][0]["narratives"][0]["text"] = "Показник {indicator:missing}."
    problems = problems_of(data)
    assert "colour: невідоме поле" in problems
    assert "measures[0].narratives[0].text: невідомий показник «missing» у вставці " \
           "{indicator:missing}" in problems  # fmt: skip


def test_report_approval_in_the_file_needs_a_decision(setup):
    data = programme_data(reports=[{"period": 2025, "status": "approved"}])
    assert "reports[0].decision: має бути об'єктом (набором полів)" in problems_of(data)


def test_json_and_yaml_documents_are_both_read(setup):
    data = programme_data()
    as_json = parse_document(json.dumps(data).encode(), filename="p.json")
    as_yaml = parse_document(yaml.safe_dump(data, allow_unicode=True).encode(), filename="p.yaml")
    assert as_json["code"] == as_yaml["code"] == "imp-2025"


def test_a_broken_file_names_the_line(setup):
    with pytest.raises(ImportFailed) as caught:
        parse_document(b'{"code": "x",\n "title": }', filename="p.json")
    assert caught.value.problems[0].startswith("файл: рядок 2")


def test_an_empty_file_is_refused(setup):
    assert problems_of(None) == ["файл: порожній"]


def test_importer_needs_the_right_to_import_for_the_coordinator_unit(setup):
    from hromada.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError) as caught:
        programme_import(actor=setup.in_a, data=programme_data())
    assert caught.value.code == "permission_denied"
    assert not Programme.objects.filter(code="imp-2025").exists()
