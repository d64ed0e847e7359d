from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from hromada.accounts.factories import UserFactory
from hromada.programs import services
from hromada.programs.models import Activity, Report, SpendingEntry
from hromada.programs.periods import Period

pytestmark = pytest.mark.django_db

API = "/api/v1/programs"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def activity_body(setup, **kwargs):
    body = {"programme": setup.programme.pk, "measure": setup.m1.pk, "type": "seminar",
            "date": "2025-03-01", "title": "Семінар"}  # fmt: skip
    body.update(kwargs)
    return body


def make_activity(setup):
    body = {**activity_body(setup), "programme": setup.programme, "measure": setup.m1}
    return services.activity_create(actor=None, **body)


def test_staff_list_programmes_filtered_by_year(setup):
    response = api(setup.in_a).get(f"{API}/programmes/", {"year": 2025})
    assert response.status_code == 200
    assert [p["code"] for p in response.json()["results"]] == ["p-2025"]
    assert api(setup.in_a).get(f"{API}/programmes/", {"year": 2030}).json()["count"] == 0


def test_citizen_and_anonymous_cannot_read_programmes(setup):
    assert api(UserFactory()).get(f"{API}/programmes/").status_code == 403
    assert APIClient().get(f"{API}/programmes/").status_code in (401, 403)


def test_unit_creates_an_activity_of_its_measure(setup):
    response = api(setup.in_a).post(f"{API}/activities/", activity_body(setup), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["unit"] == "A"


def test_unit_cannot_create_an_activity_of_another_units_measure(setup):
    response = api(setup.in_a).post(
        f"{API}/activities/", activity_body(setup, measure=setup.m2.pk), format="json"
    )
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_measure_of_another_programme_is_a_400(setup):
    other = services.programme_create(
        actor=None, code="other", title="Інша", year_from=2025, year_to=2025,
        decision_number="1", decision_date=date(2025, 1, 1), coordinator_unit=setup.coord_unit,
    )  # fmt: skip
    response = api(setup.coordinator).post(
        f"{API}/activities/", activity_body(setup, programme=other.pk), format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Захід не належить до цієї програми."


@pytest.mark.parametrize(("amount", "status"), [("-5", 400), ("abc", 400), ("0", 400)])
def test_bad_amounts_are_refused(setup, amount, status):
    body = {"programme": setup.programme.pk, "measure": setup.m1.pk, "date": "2025-03-01",
            "amount": amount, "source": "city", "purpose": "Друк"}  # fmt: skip
    response = api(setup.in_a).post(f"{API}/spending/", body, format="json")
    assert response.status_code == status
    assert not SpendingEntry.objects.exists()


def test_date_outside_the_programme_is_refused(setup):
    response = api(setup.in_a).post(
        f"{API}/activities/", activity_body(setup, date="2026-01-01"), format="json"
    )
    assert response.status_code == 400
    assert "поза роками програми" in response.json()["detail"]


def test_moving_an_entry_to_another_programme_fails(setup):
    entry = make_activity(setup)
    other = services.programme_create(
        actor=None, code="other", title="Інша", year_from=2025, year_to=2025,
        decision_number="1", decision_date=date(2025, 1, 1), coordinator_unit=setup.coord_unit,
    )  # fmt: skip
    response = api(setup.coordinator).patch(
        f"{API}/activities/{entry.pk}/", {"programme": other.pk}, format="json"
    )
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.programme_id == setup.programme.pk


def test_moving_an_entry_to_another_units_measure_fails(setup):
    entry = make_activity(setup)
    response = api(setup.in_a).patch(
        f"{API}/activities/{entry.pk}/", {"measure": setup.m2.pk, "id": 999}, format="json"
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.pk, entry.measure_id) == (entry.pk, setup.m1.pk)


def test_changing_the_id_in_the_body_changes_nothing(setup):
    entry = make_activity(setup)
    response = api(setup.in_a).patch(
        f"{API}/activities/{entry.pk}/", {"id": entry.pk + 100, "title": "Нова"}, format="json"
    )
    assert response.json()["id"] == entry.pk
    assert list(Activity.objects.values_list("pk", "title")) == [(entry.pk, "Нова")]


def test_unit_cannot_delete_another_units_entry(setup):
    entry = services.spending_create(
        actor=None, programme=setup.programme, measure=setup.m2, date=date(2025, 3, 1),
        amount="10", source="city", purpose="x",
    )  # fmt: skip
    assert api(setup.in_a).delete(f"{API}/spending/{entry.pk}/").status_code == 403
    assert api(setup.in_b).delete(f"{API}/spending/{entry.pk}/").status_code == 204


def test_activities_filter_by_period_measure_and_unit(setup):
    for day, measure in ((date(2025, 2, 1), setup.m1), (date(2025, 8, 1), setup.m1),
                         (date(2025, 2, 2), setup.m2)):  # fmt: skip
        services.activity_create(actor=None, programme=setup.programme, measure=measure,
                                 type="seminar", date=day, title="С")  # fmt: skip
    client = api(setup.coordinator)
    assert client.get(f"{API}/activities/", {"period": "2025-Q1"}).json()["count"] == 2
    assert client.get(f"{API}/activities/", {"measure": setup.m1.pk}).json()["count"] == 2
    assert client.get(f"{API}/activities/", {"unit": "B"}).json()["count"] == 1
    assert client.get(f"{API}/activities/", {"period": "nonsense"}).status_code == 400


def test_indicator_value_for_a_locked_period_is_refused(setup):
    report = services.report_submit(
        actor=None,
        report=services.report_create(actor=None, programme=setup.programme, period=Period(2025)),
    )
    services.report_approve(actor=None, report=report, decision_number="1",
                            decision_date=date(2025, 12, 30))  # fmt: skip
    response = api(setup.in_a).post(
        f"{API}/indicator-values/",
        {"indicator": setup.indicator.pk, "period": "2025", "actual": "12"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "locked"


def test_report_workflow_and_download_through_the_api(setup):
    client = api(setup.coordinator)
    created = client.post(f"{API}/reports/", {"programme": setup.programme.pk, "period": "2025"},
                          format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    rid = created.json()["id"]
    assert client.post(f"{API}/reports/{rid}/submit/").json()["status"] == "submitted"
    approved = client.post(f"{API}/reports/{rid}/approve/",
                           {"decision_number": "183", "decision_date": "2025-12-30"},
                           format="json")  # fmt: skip
    assert approved.json()["status"] == "approved"
    assert client.post(f"{API}/reports/{rid}/publish/").json()["status"] == "published"
    download = client.get(f"{API}/reports/{rid}/download/docx/")
    assert download.status_code == 200
    assert download.content[:2] == b"PK"
    assert Report.objects.get().data is not None


def test_executor_cannot_approve_a_report(setup):
    report = services.report_submit(
        actor=None,
        report=services.report_create(actor=None, programme=setup.programme, period=Period(2025)),
    )
    response = api(setup.in_a).post(f"{API}/reports/{report.pk}/approve/",
                                    {"decision_number": "1", "decision_date": "2025-12-30"},
                                    format="json")  # fmt: skip
    assert response.status_code == 403


def test_coordinator_creates_a_programme_and_measure(setup):
    client = api(setup.coordinator)
    response = client.post(f"{API}/programmes/", {
        "code": "new-2025", "title": "Нова програма", "year_from": 2025, "year_to": 2026,
        "decision_number": "5", "decision_date": "2025-01-10", "coordinator_unit": "C",
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    measure = client.post(f"{API}/measures/", {
        "programme": response.json()["id"], "number": 1, "title": "Захід",
        "responsible_units": ["A", "B"],
    }, format="json")  # fmt: skip
    assert measure.status_code == 201, measure.json()
    assert sorted(measure.json()["responsible_units"]) == ["A", "B"]


def test_schema_of_the_programmes_endpoints_is_valid_and_clean(setup, capsys):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert "/api/v1/programs/reports/{id}/download/{fmt}/" in schema["paths"]
    # Other modules' warnings are theirs; none may come from this one.
    assert "programs" not in capsys.readouterr().err
