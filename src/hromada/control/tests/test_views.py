from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from hromada.control import services
from hromada.control.factories import item_in
from hromada.control.models import Assignment, ExtensionRequest
from hromada.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def give(org, executor, days=5, **kwargs):
    resolution = services.resolution_create(
        item=item_in(org.d),
        actor=org.head_d,
        text="Виконати",
        executors=[executor],
        due_date=kwargs.pop("due", None) or (services._today() + timedelta(days=days)),
        **kwargs,
    )
    return resolution.assignments.get()


def test_my_work_shows_my_assignments(login, org, hooks):
    assignment = give(org, org.spec_d1)
    html = login(org.spec_d1).get(reverse("control:my_work")).content.decode()
    assert f'id="assignment-{assignment.pk}"' in html
    assert "hx-post" in html


def test_my_work_runs_a_fixed_number_of_queries(login, org, hooks):
    give(org, org.spec_d1)
    client = login(org.spec_d1)
    client.get(reverse("control:my_work"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("control:my_work"))
    for days in range(1, 9):
        give(org, org.spec_d1, days=days)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("control:my_work"))
    assert len(many) == len(few)


def test_the_dashboard_shows_the_my_work_panel(login, org, hooks):
    give(org, org.spec_d1)
    html = login(org.spec_d1).get(reverse("staff_home")).content.decode()
    assert reverse("control:my_work") in html


def test_someone_else_gets_not_found_for_an_assignment(login, org, hooks):
    assignment = give(org, org.spec_d1)
    client = login(org.outsider)
    assert client.get(reverse("control:assignment_detail", args=[assignment.pk])).status_code == 404
    response = client.post(reverse("control:assignment_accept", args=[assignment.pk]))
    assert response.status_code == 404
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.NEW


def test_a_colleague_in_the_unit_cannot_act_on_my_assignment(login, org, hooks):
    assignment = give(org, org.spec_d1)
    response = login(org.spec_d1b).post(reverse("control:assignment_accept", args=[assignment.pk]))
    assert response.status_code in (403, 404)
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.NEW


def test_the_head_sees_the_assignment_page_and_the_view_is_audited(login, org, hooks):
    assignment = give(org, org.spec_d1)
    response = login(org.head_d).get(reverse("control:assignment_detail", args=[assignment.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="control.assignment.viewed").exists()


def test_reporting_with_an_executable_shows_an_error_and_changes_nothing(login, org, hooks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assignment = give(org, org.spec_d1)
    services.assignment_accept(assignment_id=assignment.pk, actor=org.spec_d1)
    response = login(org.spec_d1).post(
        reverse("control:assignment_report", args=[assignment.pk]),
        {"text": "Звіт", "files": SimpleUploadedFile("a.pdf", b"MZ" + b"\x00" * 100)},
    )
    assert response.status_code == 400
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.ACCEPTED


def test_the_reviewer_accepts_a_report_on_the_page(login, org, hooks):
    assignment = give(org, org.spec_d1)
    services.assignment_accept(assignment_id=assignment.pk, actor=org.spec_d1)
    services.assignment_report(assignment_id=assignment.pk, actor=org.spec_d1, text="Готово")
    response = login(org.head_d).post(
        reverse("control:assignment_review", args=[assignment.pk]), {"decision": "accept"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.DONE


def test_an_extension_is_requested_and_decided_on_the_page(login, org, hooks, client):
    assignment = give(org, org.spec_d1)
    new_due = assignment.due_date + timedelta(days=7)
    response = login(org.spec_d1).post(
        reverse("control:assignment_extension", args=[assignment.pk]),
        {"new_due_date": new_due.isoformat(), "reason": "Чекаємо на дані"},
    )
    assert response.status_code == 302
    extension = ExtensionRequest.objects.get()
    client.logout()
    login(org.head_d).post(
        reverse("control:extension_decide", args=[extension.pk]), {"decision": "approve"}
    )
    assignment.refresh_from_db()
    assert assignment.due_date == new_due


def test_delegation_page_lists_only_subordinates(login, org, hooks):
    assignment = give(org, org.head_d1)
    html = (
        login(org.head_d1)
        .get(reverse("control:assignment_delegate", args=[assignment.pk]))
        .content.decode()
    )
    assert org.spec_d1.full_name in html
    assert org.outsider.full_name not in html


def test_the_discipline_page_shows_units_with_drill_down(login, org, hooks):
    give(org, org.spec_d1)
    response = login(org.head_d).get(reverse("control:discipline"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Відділ D1" in html
    assert reverse("control:discipline_list") in html


def test_the_discipline_page_is_closed_to_specialists(login, org, hooks):
    assert login(org.spec_d1).get(reverse("control:discipline")).status_code == 403


def test_another_units_statistics_are_not_found(login, org, hooks):
    response = login(org.head_d1).get(reverse("control:discipline"), {"unit": org.x.pk})
    assert response.status_code == 404


def test_the_discipline_exports_to_xlsx(login, org, hooks):
    give(org, org.spec_d1)
    response = login(org.head_d).get(reverse("control:discipline_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Підрозділи", "Працівники"]
    values = [c.value for row in book["Підрозділи"].iter_rows() for c in row]
    assert "Відділ D1" in values


def test_the_drill_down_list_shows_the_assignments(login, org, hooks):
    assignment = give(org, org.spec_d1)
    html = (
        login(org.head_d)
        .get(reverse("control:discipline_list"), {"unit": org.d1.pk, "category": "open"})
        .content.decode()
    )
    assert reverse("control:assignment_detail", args=[assignment.pk]) in html


def test_the_overdue_panel_counts_overdue_assignments_by_unit(login, org, hooks):
    assignment = give(org, org.spec_d1)
    Assignment.objects.filter(pk=assignment.pk).update(
        due_date=services._today() - timedelta(days=2)
    )
    html = login(org.head_d).get(reverse("staff_home")).content.decode()
    assert "Прострочені доручення за підрозділами" in html
    assert "Відділ D1: <strong>1</strong>" in html
