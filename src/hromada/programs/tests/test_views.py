from __future__ import annotations

from datetime import date

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from hromada.accounts.factories import UserFactory
from hromada.core.registry import registry
from hromada.programs import services
from hromada.programs.models import Activity, Report, SpendingEntry
from hromada.programs.periods import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client: Client, setup) -> Client:
    # Coordinators see no personal data: no second factor is needed.
    client.force_login(setup.coordinator)
    return client


def test_coordinator_opens_the_programme_list_without_a_second_factor(coordinator_client, setup):
    response = coordinator_client.get(reverse("programs:staff_list"))
    assert response.status_code == 200
    assert setup.programme.title in response.content.decode()


def test_programme_page_shows_measures_and_reports(coordinator_client, setup):
    url = reverse("programs:staff_detail", args=[setup.programme.pk])
    body = coordinator_client.get(url).content.decode()
    assert "Інформування" in body
    assert "Підготувати звіт" in body


def test_citizen_cannot_open_staff_programme_pages(client, setup):
    client.force_login(UserFactory())
    assert client.get(reverse("programs:staff_list")).status_code == 403


def test_anonymous_is_sent_to_log_in(client, setup):
    response = client.get(reverse("programs:staff_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_executor_records_an_activity_on_the_measure_page(login, setup):
    client = login(setup.in_a)
    url = reverse("programs:measure", args=[setup.programme.pk, setup.m1.pk])
    response = client.post(url, {
        "form": "activity", "a-measure": setup.m1.pk, "a-type": "press_conference",
        "a-date": "2025-03-12", "a-title": "Прес-конференція", "a-by_mayor": "on",
    })  # fmt: skip
    assert response.status_code == 302
    assert Activity.objects.get().by_mayor is True


def test_spending_form_shows_the_services_error_and_saves_nothing(login, setup):
    client = login(setup.in_a)
    url = reverse("programs:measure", args=[setup.programme.pk, setup.m1.pk])
    response = client.post(url, {
        "form": "spending", "s-measure": setup.m1.pk, "s-date": "2025-03-12",
        "s-amount": "-100", "s-source": "city", "s-purpose": "Друк",
    })  # fmt: skip
    assert response.status_code == 400
    assert "Має бути додатним числом." in response.content.decode()
    assert not SpendingEntry.objects.exists()


def test_executor_cannot_post_to_another_units_measure(login, setup):
    client = login(setup.in_a)
    url = reverse("programs:measure", args=[setup.programme.pk, setup.m2.pk])
    response = client.post(url, {
        "form": "activity", "a-measure": setup.m2.pk, "a-type": "seminar",
        "a-date": "2025-03-12", "a-title": "Семінар",
    })  # fmt: skip
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_executor_cannot_edit_another_units_entry(login, setup):
    entry = services.activity_create(
        actor=None, programme=setup.programme, measure=setup.m2, type="seminar",
        date=date(2025, 3, 1), title="Семінар",
    )  # fmt: skip
    client = login(setup.in_a)
    response = client.post(reverse("programs:activity_edit", args=[entry.pk]), {"delete": "1"})
    assert response.status_code == 403
    assert Activity.objects.filter(pk=entry.pk).exists()


def test_narrative_form_saves_the_text(login, setup):
    client = login(setup.in_a)
    url = reverse("programs:measure", args=[setup.programme.pk, setup.m1.pk])
    client.post(url, {"form": "narrative", "n-period": "2025", "n-text": "Проведено роботу."})
    assert "Проведено роботу." in client.get(url + "?period=2025").content.decode()


def test_report_workflow_through_the_screens(coordinator_client, setup):
    client = coordinator_client
    response = client.post(reverse("programs:report_new", args=[setup.programme.pk]),
                           {"period": "2025"})  # fmt: skip
    report = Report.objects.get()
    assert response["Location"] == reverse("programs:report", args=[setup.programme.pk, report.pk])
    page = client.get(response["Location"]).content.decode()
    assert "ПРОЄКТ" in page
    for action, data in (
        ("submit", {}),
        ("approve", {"decision_number": "183", "decision_date": "2025-12-30"}),
        ("publish", {}),
    ):
        client.post(reverse("programs:report_action", args=[setup.programme.pk, report.pk, action]),
                    data)  # fmt: skip
    report.refresh_from_db()
    assert report.status == Report.Status.PUBLISHED
    page = client.get(reverse("programs:report", args=[setup.programme.pk, report.pk]))
    assert "ЗАТВЕРДЖЕНО" in page.content.decode()


def test_approving_without_a_decision_is_refused_with_a_message(coordinator_client, setup):
    report = services.report_submit(
        actor=None,
        report=services.report_create(actor=None, programme=setup.programme, period=Period(2025)),
    )
    url = reverse("programs:report_action", args=[setup.programme.pk, report.pk, "approve"])
    response = coordinator_client.post(url, {}, follow=True)
    assert "Вкажіть номер і дату рішення" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


@pytest.mark.parametrize(("fmt", "kind"), [("docx", "wordprocessingml"), ("pdf", "pdf")])
def test_report_downloads(coordinator_client, setup, fmt, kind):
    report = services.report_create(actor=None, programme=setup.programme, period=Period(2025))
    url = reverse("programs:report_download", args=[setup.programme.pk, report.pk, fmt])
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert kind in response["Content-Type"]
    assert response["Content-Disposition"].endswith(f'.{fmt}"')


def test_import_screen_lists_every_problem(coordinator_client, setup):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.yaml", b"code: bad code\nyears: 3000\n", "text/yaml")
    response = coordinator_client.post(reverse("programs:import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 400
    assert "years: має бути роком" in body
    assert "measures: обов&#x27;язкове поле" in body


def test_progress_page_lists_units_that_have_not_reported(coordinator_client, setup):
    services.activity_create(actor=None, programme=setup.programme, measure=setup.m1,
                             type="seminar", date=date(2025, 5, 1), title="Семінар")  # fmt: skip
    response = coordinator_client.get(
        reverse("programs:progress"), {"programme": setup.programme.pk, "quarter": "2025-Q2"}
    )
    assert response.status_code == 200
    assert response.context["progress"].units_missing == ["Відділ B"]


def test_dashboard_panel_and_navigation_are_registered(coordinator_client, setup):
    assert "programs-progress" in registry.panels
    body = coordinator_client.get(reverse("staff_home")).content.decode()
    assert "Виконання програм" in body
    assert reverse("programs:staff_list") in body
    # Running this year or not, the panel names the programme.
    assert setup.programme.title in body


@override_settings(HROMADA_MFA_ENFORCED=False)
def test_measure_page_query_count_does_not_grow_with_entries(
    client, setup, django_assert_max_num_queries
):
    client.force_login(setup.in_a)
    for day in range(1, 29):
        services.activity_create(
            actor=None, programme=setup.programme, measure=setup.m1, type="seminar",
            date=date(2025, 2, day), title=f"С{day}",
        )  # fmt: skip
    with django_assert_max_num_queries(40):
        client.get(reverse("programs:measure", args=[setup.programme.pk, setup.m1.pk]))


# --- public pages -------------------------------------------------------------------------------
def test_published_report_is_public(client, demo_programme):
    page = client.get(reverse("programs:public_report", args=["msv-2015", "2015"]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "ЗАТВЕРДЖЕНО" in body
    assert "27.01.2016 №183" in body
    assert "<svg" in body  # the chart, drawn without JavaScript
    listing = client.get(reverse("programs:public_list")).content.decode()
    assert "Програми сприяння розвитку місцевого самоврядування" in listing


def test_public_pdf_download(client, demo_programme):
    response = client.get(reverse("programs:public_download", args=["msv-2015", "2015", "pdf"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_unpublished_report_is_not_public(client, setup):
    services.report_create(actor=None, programme=setup.programme, period=Period(2025))
    response = client.get(reverse("programs:public_report", args=[setup.programme.code, "2025"]))
    assert response.status_code == 404
