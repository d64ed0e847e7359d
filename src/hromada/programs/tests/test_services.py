from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hromada.accounts.factories import OrgUnitFactory, staff_with_role
from hromada.accounts.roles import Role
from hromada.core.exceptions import ApplicationError
from hromada.core.models import AuditEvent
from hromada.programs import services
from hromada.programs.models import Activity, IndicatorValue, Report, SpendingEntry
from hromada.programs.periods import Period
from hromada.programs.selectors import report_data

pytestmark = pytest.mark.django_db


def spend(setup, *, actor=None, measure=None, **kwargs):
    values = {"date": date(2025, 3, 10), "amount": "1940", "source": "city", "purpose": "Друк"}
    values.update(kwargs)
    return services.spending_create(
        actor=actor, programme=setup.programme, measure=measure or setup.m1, **values
    )


def activity(setup, *, actor=None, measure=None, **kwargs):
    values = {"type": "seminar", "date": date(2025, 3, 10), "title": "Семінар"}
    values.update(kwargs)
    return services.activity_create(
        actor=actor, programme=setup.programme, measure=measure or setup.m1, **values
    )


def approved(setup, period=None):
    period = period or Period(2025)
    report = services.report_create(actor=None, programme=setup.programme, period=period)
    report = services.report_submit(actor=None, report=report)
    return services.report_approve(
        actor=None, report=report, decision_number="183", decision_date=date(2025, 12, 31)
    )


# --- writes and audit ------------------------------------------------------------------
def test_spending_create_stores_kopecks_exactly_and_audits(setup):
    entry = spend(setup, actor=setup.in_a, amount="18 990,50")
    assert entry.amount == Decimal("18990.50")
    event = AuditEvent.objects.get(action="spending.created")
    assert event.object_id == str(entry.pk)
    assert event.actor_id == setup.in_a.pk


def test_entry_takes_the_measures_only_responsible_unit(setup):
    assert activity(setup).unit == setup.a


def test_activity_update_records_changed_fields(setup):
    entry = activity(setup, actor=setup.in_a)
    services.activity_update(actor=setup.in_a, activity=entry, title="Семінар-нарада")
    event = AuditEvent.objects.get(action="activity.updated")
    assert event.data == {"title": ["Семінар", "Семінар-нарада"]}


def test_activity_delete_is_audited(setup):
    entry = activity(setup)
    services.activity_delete(actor=setup.coordinator, activity=entry)
    assert not Activity.objects.exists()
    assert AuditEvent.objects.filter(action="activity.deleted", object_id=str(entry.pk)).exists()


# --- bad input ---------------------------------------------------------------------------
@pytest.mark.parametrize("amount", ["-5", "0", "abc", "", None, "1.234", "NaN", "Infinity", True])
def test_spending_rejects_amounts_that_are_not_positive_numbers(setup, amount):
    with pytest.raises(ApplicationError) as caught:
        spend(setup, amount=amount)
    assert caught.value.field == "amount"
    assert not SpendingEntry.objects.exists()


def test_spending_rejects_a_date_outside_the_programme_years(setup):
    with pytest.raises(ApplicationError, match="поза роками програми"):
        spend(setup, date=date(2024, 12, 31))
    assert not SpendingEntry.objects.exists()


def test_activity_rejects_a_date_outside_the_programme_years(setup):
    with pytest.raises(ApplicationError, match="поза роками програми"):
        activity(setup, date="2026-01-01")


def test_activity_rejects_an_unknown_type(setup):
    with pytest.raises(ApplicationError) as caught:
        activity(setup, type="party")
    assert caught.value.field == "type"


def test_entry_rejects_a_measure_of_another_programme(setup):
    other = services.programme_create(
        actor=None, code="other", title="Інша", year_from=2025, year_to=2025,
        decision_number="1", decision_date=date(2025, 1, 1), coordinator_unit=setup.coord_unit,
    )  # fmt: skip
    foreign = services.measure_create(
        actor=None, programme=other, number=1, title="Чужий", responsible_units=[setup.a]
    )
    with pytest.raises(ApplicationError, match="не належить до цієї програми"):
        spend(setup, measure=foreign)
    assert not SpendingEntry.objects.exists()


def test_entry_rejects_a_unit_not_responsible_for_the_measure(setup):
    with pytest.raises(ApplicationError, match="не є відповідальним"):
        activity(setup, unit=setup.b)


def test_indicator_value_rejects_negative_and_text(setup):
    for actual in ("-1", "багато"):
        with pytest.raises(ApplicationError):
            services.indicator_value_record(
                actor=None, indicator=setup.indicator, period=Period(2025), actual=actual
            )
    assert not IndicatorValue.objects.exists()


def test_html_in_text_is_stored_as_text(setup):
    entry = activity(setup, title="<script>alert(1)</script>")
    assert entry.title == "<script>alert(1)</script>"


def test_narrative_rejects_an_unknown_placeholder(setup):
    with pytest.raises(ApplicationError, match="невідомий показник"):
        services.narrative_set(
            actor=None, measure=setup.m1, period=Period(2025), text="Розміщено {indicator:nope}."
        )


# --- permissions --------------------------------------------------------------------------
def test_unit_records_entries_of_its_own_measure(setup):
    assert spend(setup, actor=setup.in_a).measure == setup.m1


def test_unit_cannot_record_entries_of_another_units_measure(setup):
    with pytest.raises(ApplicationError) as caught:
        spend(setup, actor=setup.in_a, measure=setup.m2)
    assert caught.value.code == "permission_denied"
    assert not SpendingEntry.objects.exists()


def test_unit_cannot_move_its_entry_to_another_units_measure(setup):
    entry = activity(setup, actor=setup.in_a)
    with pytest.raises(ApplicationError) as caught:
        services.activity_update(actor=setup.in_a, activity=entry, measure=setup.m2)
    assert caught.value.code == "permission_denied"
    entry.refresh_from_db()
    assert entry.measure_id == setup.m1.pk


def test_unit_cannot_change_another_units_entry(setup):
    entry = spend(setup, actor=setup.in_a)
    with pytest.raises(ApplicationError) as caught:
        services.spending_update(actor=setup.in_b, entry=entry, amount="1")
    assert caught.value.code == "permission_denied"


def test_entry_fields_outside_the_list_cannot_be_changed(setup):
    entry = spend(setup)
    with pytest.raises(ApplicationError, match="змінювати не можна"):
        services.spending_update(actor=None, entry=entry, programme=setup.programme, id=99)


def test_coordinator_records_entries_of_every_measure(setup):
    assert spend(setup, actor=setup.coordinator, measure=setup.m2).measure == setup.m2


def test_coordinator_of_another_unit_cannot_change_the_programme(setup):
    stranger = staff_with_role(Role.COORDINATOR, OrgUnitFactory(code="X"))
    with pytest.raises(ApplicationError) as caught:
        services.measure_create(
            actor=stranger, programme=setup.programme, number=3, title="Ще",
            responsible_units=[setup.a],
        )  # fmt: skip
    assert caught.value.code == "permission_denied"


def test_executor_cannot_create_or_approve_reports(setup):
    with pytest.raises(ApplicationError) as caught:
        services.report_create(actor=setup.in_a, programme=setup.programme, period=Period(2025))
    assert caught.value.code == "permission_denied"


# --- report workflow ---------------------------------------------------------------------
def test_report_moves_draft_submitted_approved_published(setup):
    report = services.report_create(actor=setup.coordinator, programme=setup.programme,
                                    period=Period(2025))  # fmt: skip
    assert report.status == Report.Status.DRAFT
    report = services.report_submit(actor=setup.coordinator, report=report)
    report = services.report_approve(
        actor=setup.coordinator, report=report, decision_number="183",
        decision_date=date(2025, 12, 30),
    )  # fmt: skip
    assert (report.status, report.decision_number) == (Report.Status.APPROVED, "183")
    report = services.report_publish(actor=setup.coordinator, report=report)
    assert report.status == Report.Status.PUBLISHED
    actions = list(AuditEvent.objects.filter(action__startswith="report.").values_list(
        "action", flat=True).order_by("seq"))  # fmt: skip
    assert actions == ["report.created", "report.submitted", "report.approved", "report.published"]


def _approve(report):
    services.report_approve(
        actor=None, report=report, decision_number="1", decision_date=date(2025, 12, 1)
    )


def _publish(report):
    services.report_publish(actor=None, report=report)


@pytest.mark.parametrize("move", [_approve, _publish])
def test_a_draft_cannot_skip_submission(setup, move):
    report = services.report_create(actor=None, programme=setup.programme, period=Period(2025))
    with pytest.raises(ApplicationError) as caught:
        move(report)
    assert caught.value.code == "invalid_transition"
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT


def test_submitted_report_can_be_returned_to_draft(setup):
    report = services.report_create(actor=None, programme=setup.programme, period=Period(2025))
    report = services.report_submit(actor=None, report=report)
    assert services.report_return(actor=None, report=report).status == Report.Status.DRAFT


def test_approval_needs_a_decision_number(setup):
    report = services.report_create(actor=None, programme=setup.programme, period=Period(2025))
    report = services.report_submit(actor=None, report=report)
    with pytest.raises(ApplicationError):
        services.report_approve(actor=None, report=report, decision_number=" ",
                                decision_date=date(2025, 12, 1))  # fmt: skip


def test_approved_report_keeps_its_figures_when_data_changes_later(setup):
    spend(setup, amount="1940")
    report = approved(setup, Period(2025, 1))
    spend(setup, amount="5000", date=date(2025, 5, 1))  # after Q1: allowed, not in the report
    report.refresh_from_db()
    assert report.data["measures"][0]["spending"]["total"] == "1940.00"


def test_approved_report_cannot_be_approved_or_edited_again(setup):
    report = approved(setup)
    with pytest.raises(ApplicationError):
        services.report_submit(actor=None, report=report)


def test_second_draft_for_the_same_period_is_refused(setup):
    services.report_create(actor=None, programme=setup.programme, period=Period(2025))
    with pytest.raises(ApplicationError, match="уже готується"):
        services.report_create(actor=None, programme=setup.programme, period=Period(2025))


def test_new_version_after_approval_unlocks_the_period(setup):
    entry = spend(setup)
    approved(setup)
    with pytest.raises(ApplicationError) as caught:
        services.spending_update(actor=None, entry=entry, amount="2000")
    assert caught.value.code == "locked"
    v2 = services.report_create(actor=None, programme=setup.programme, period=Period(2025))
    assert v2.version == 2
    services.spending_update(actor=None, entry=entry, amount="2000")
    entry.refresh_from_db()
    assert entry.amount == Decimal("2000.00")


# --- locked periods ----------------------------------------------------------------------
def test_indicator_value_for_an_approved_period_is_refused(setup):
    approved(setup)
    with pytest.raises(ApplicationError) as caught:
        services.indicator_value_record(
            actor=None, indicator=setup.indicator, period=Period(2025), actual=120
        )
    assert caught.value.code == "locked"
    assert not IndicatorValue.objects.exists()


def test_quarter_value_is_locked_by_an_approved_half_year(setup):
    approved(setup, Period(2025, 2))
    with pytest.raises(ApplicationError):
        services.indicator_value_record(
            actor=None, indicator=setup.indicator, period=Period(2025, 1), actual=5
        )


def test_spending_dated_in_an_approved_period_is_refused(setup):
    approved(setup, Period(2025, 1))
    with pytest.raises(ApplicationError) as caught:
        spend(setup, date=date(2025, 2, 1))
    assert caught.value.code == "locked"
    assert spend(setup, date=date(2025, 4, 1)).amount == Decimal("1940.00")


def test_narrative_of_an_approved_period_is_refused(setup):
    approved(setup)
    with pytest.raises(ApplicationError):
        services.narrative_set(actor=None, measure=setup.m1, period=Period(2025), text="Текст")


# --- aggregation ---------------------------------------------------------------------------
def test_report_data_sums_spending_per_source_and_counts_activities_by_type(setup):
    spend(setup, amount="4980", purpose="Бюлетень «Кривий Ріг у цифрах і фактах»")
    spend(setup, amount="18990", purpose="Бюлетень «Інвестиційний паспорт»")
    spend(setup, amount="1000", source="other", purpose="Грант")
    for day in range(1, 15):
        activity(setup, type="press_conference", date=date(2025, 2, day), by_mayor=day <= 12)
    data = report_data(programme=setup.programme, period=Period(2025))
    m1 = data["measures"][0]
    assert m1["spending"]["by_source"] == {"city": "23970.00", "other": "1000.00"}
    assert m1["activities"] == [
        {"type": "press_conference", "label": "прес-конференція", "count": 14, "by_mayor": 12,
         "text": "14 прес-конференцій (з них міським головою — 12)"},
    ]  # fmt: skip
    assert data["totals"]["plan"]["city"] == "10000.00"


def test_quarter_report_counts_from_january_to_the_quarters_end(setup):
    activity(setup, date=date(2025, 1, 5))
    activity(setup, date=date(2025, 6, 30))
    activity(setup, date=date(2025, 7, 1))
    data = report_data(programme=setup.programme, period=Period(2025, 2))
    assert data["measures"][0]["activities_total"] == 2


def test_narrative_placeholders_are_filled_from_the_data(setup):
    spend(setup, amount="1940")
    activity(setup, type="press_conference", by_mayor=True)
    services.indicator_value_record(
        actor=None, indicator=setup.indicator, period=Period(2025), actual=5400
    )
    services.narrative_set(
        actor=None, measure=setup.m1, period=Period(2025),
        text="Витрачено {spending:city}; {activities:press_conference:by_mayor} прес-конференція; "
        "розміщено {indicator:materials} матеріалів; {{дужки}}.",
    )  # fmt: skip
    text = report_data(programme=setup.programme, period=Period(2025))["measures"][0]["narrative"]
    assert text.replace("\u00a0", " ") == (
        "Витрачено 1,94 тис. грн; 1 прес-конференція; розміщено 5 400 матеріалів; {дужки}."
    )


def test_indicator_bound_to_a_metric_is_computed_and_frozen_at_approval(setup):
    indicator = services.indicator_create(
        actor=None, measure=setup.m2, code="staff", name="Облікові записи працівників",
        unit_of_measure="од.", metric_key="accounts.staff_accounts",
    )  # fmt: skip
    with pytest.raises(ApplicationError, match="обчислюється"):
        services.indicator_value_record(actor=None, indicator=indicator, period=Period(2025),
                                        actual=1)  # fmt: skip
    report = approved(setup)
    frozen = report.data["measures"][1]["indicators"][0]["actual"]
    staff_with_role(Role.EXECUTOR, setup.b)  # one more account after approval
    report.refresh_from_db()
    assert report.data["measures"][1]["indicators"][0]["actual"] == frozen


def test_indicator_create_rejects_an_unregistered_metric(setup):
    with pytest.raises(ApplicationError, match="Невідомий показник платформи"):
        services.indicator_create(actor=None, measure=setup.m2, code="x", name="X",
                                  unit_of_measure="од.", metric_key="appeals.nope")  # fmt: skip
