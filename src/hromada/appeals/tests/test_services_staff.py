"""Staff services of appeals: card corrections, extensions, forwarding, returning, art. 8, mass."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from hromada.appeals import services, terms
from hromada.appeals.factories import register
from hromada.appeals.models import Appeal, AppealEvent, AppealTopic, MassGroup, TermExtension
from hromada.control import services as control
from hromada.control.factories import Org
from hromada.control.models import Assignment
from hromada.core.exceptions import ApplicationError
from hromada.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _registered(org: Org, days_ago: int = 0, **overrides: object) -> Appeal:
    appeal = register(org, **overrides).appeal  # type: ignore[arg-type]
    if days_ago:
        reg = timezone.localdate() - timedelta(days=days_ago)
        Appeal.objects.filter(pk=appeal.pk).update(
            reg_date=reg, due_date=terms.initial_due_date(reg, needs_study=True)
        )
        appeal.refresh_from_db()
    return appeal


# --- card corrections -------------------------------------------------------------------------


def test_card_correction_changes_fields_and_audits_only_what_changed(org: Org) -> None:
    appeal = _registered(org)
    index = appeal.reg_index
    services.appeal_update_card(
        actor=org.operator,
        appeal_id=appeal.pk,
        changes={"address": "вул. Миру, 3", "topics": ["109", "110"], "category": "7.5"},
    )
    appeal.refresh_from_db()
    assert appeal.address == "вул. Миру, 3"
    assert appeal.priority is True
    assert appeal.reg_index == index
    assert list(appeal.topics.order_by("-is_main", "code").values_list("code", flat=True)) == [
        "109",
        "110",
    ]
    audit = AuditEvent.objects.get(action="appeals.appeal.card_corrected")
    assert set(audit.data["changed"]) == {"address", "topics", "category"}


def test_card_correction_refuses_index_and_journal(org: Org) -> None:
    appeal = _registered(org)
    with pytest.raises(ApplicationError, match="не можна виправити"):
        services.appeal_update_card(
            actor=org.operator, appeal_id=appeal.pk, changes={"reg_index": "999"}
        )


def test_card_correction_refuses_unknown_topic_and_writes_nothing(org: Org) -> None:
    appeal = _registered(org)
    with pytest.raises(ApplicationError, match="Невідомий код питання"):
        services.appeal_update_card(
            actor=org.operator, appeal_id=appeal.pk, changes={"topics": ["999"]}
        )
    assert list(AppealTopic.objects.filter(appeal=appeal).values_list("code", flat=True)) == ["109"]


def test_card_correction_by_another_departments_staff_is_refused(org: Org) -> None:
    appeal = _registered(org)
    with pytest.raises(ApplicationError, match="Недостатньо прав"):
        services.appeal_update_card(actor=org.head_x, appeal_id=appeal.pk, changes={"address": "x"})


# --- extension of the term ---------------------------------------------------------------------


def test_head_extends_term_with_reason_and_citizen_is_told(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    appeal = _registered(org)
    assert appeal.reg_date is not None
    assert appeal.due_date is not None
    new = terms.latest_due_date(appeal.reg_date)
    with django_capture_on_commit_callbacks() as callbacks:
        services.appeal_extend_term(
            actor=org.head_d, appeal_id=appeal.pk, new_due_date=new, reason="потрібна експертиза"
        )
    appeal.refresh_from_db()
    assert appeal.due_date == new
    extension = TermExtension.objects.get(appeal=appeal)
    assert (extension.new_due_date, extension.reason) == (new, "потрібна експертиза")
    notice = appeal.events.get(kind=AppealEvent.Kind.EXTENDED)
    assert new.strftime("%d.%m.%Y") in notice.public_note
    assert callbacks  # the notice is enqueued after commit
    assert AuditEvent.objects.filter(action="appeals.appeal.term_extended").exists()


def test_extension_beyond_45_days_is_refused_and_nothing_changes(org: Org) -> None:
    appeal = _registered(org)
    assert appeal.reg_date is not None
    due = appeal.due_date
    with pytest.raises(ApplicationError, match="45 днів"):
        services.appeal_extend_term(
            actor=org.head_d,
            appeal_id=appeal.pk,
            new_due_date=appeal.reg_date + timedelta(days=46),
            reason="причина",
        )
    appeal.refresh_from_db()
    assert appeal.due_date == due
    assert not TermExtension.objects.exists()


def test_extension_without_reason_is_refused(org: Org) -> None:
    appeal = _registered(org)
    assert appeal.reg_date is not None
    with pytest.raises(ApplicationError, match="Підстава продовження"):
        services.appeal_extend_term(
            actor=org.head_d,
            appeal_id=appeal.pk,
            new_due_date=terms.latest_due_date(appeal.reg_date),
            reason="  ",
        )


def test_operator_may_not_extend_the_term(org: Org) -> None:
    appeal = _registered(org)
    assert appeal.reg_date is not None
    with pytest.raises(ApplicationError, match="Недостатньо прав"):
        services.appeal_extend_term(
            actor=org.operator,
            appeal_id=appeal.pk,
            new_due_date=terms.latest_due_date(appeal.reg_date),
            reason="причина",
        )


def test_extension_moves_open_control_assignments(org: Org) -> None:
    appeal = _registered(org)
    assert appeal.reg_date is not None
    assert appeal.due_date is not None
    resolution = control.resolution_create(
        item=appeal,
        actor=org.head_d,
        text="Розглянути",
        executors=[org.spec_d],
        due_date=appeal.due_date,
    )
    assignment = resolution.assignments.get()
    new = terms.latest_due_date(appeal.reg_date)
    services.appeal_extend_term(
        actor=org.head_d, appeal_id=appeal.pk, new_due_date=new, reason="експертиза"
    )
    assignment = Assignment.objects.get(pk=assignment.pk)
    resolution.refresh_from_db()
    assert assignment.due_date == new
    assert resolution.due_date == new
    assert assignment.next_reminder_on is not None
    assert assignment.next_reminder_on < new


# --- forwarding, returning, not considering ---------------------------------------------------


def test_forwarding_within_five_days_records_result_9_4(org: Org) -> None:
    appeal = _registered(org, days_ago=2)
    services.appeal_forward(
        actor=org.operator,
        appeal_id=appeal.pk,
        to_body="Головне управління ДСНС",
        covering_letter="Надсилаємо за належністю.",
    )
    appeal.refresh_from_db()
    assert (appeal.state, appeal.result, appeal.forwarded_late) == ("forwarded", "9.4", False)
    assert appeal.due_date is None
    assert appeal.events.get(kind=AppealEvent.Kind.FORWARDED).note == "Надсилаємо за належністю."


def test_forwarding_after_five_days_is_allowed_but_flagged(org: Org) -> None:
    appeal = _registered(org, days_ago=6)
    services.appeal_forward(
        actor=org.operator, appeal_id=appeal.pk, to_body="ДСНС", covering_letter="Лист"
    )
    appeal.refresh_from_db()
    assert appeal.forwarded_late is True
    assert AuditEvent.objects.get(action="appeals.appeal.forwarded").data["late"] is True


def test_forwarding_needs_a_covering_letter(org: Org) -> None:
    appeal = _registered(org)
    with pytest.raises(ApplicationError, match="супровідного листа"):
        services.appeal_forward(
            actor=org.operator, appeal_id=appeal.pk, to_body="ДСНС", covering_letter=""
        )
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.REGISTERED


def test_returning_records_explanation_and_result_9_5(org: Org) -> None:
    appeal = _registered(org)
    services.appeal_return(
        actor=org.operator, appeal_id=appeal.pk, explanation="Не зазначено суть звернення."
    )
    appeal.refresh_from_db()
    assert (appeal.state, appeal.result) == ("returned", "9.5")
    assert appeal.return_reason == "Не зазначено суть звернення."
    assert appeal.returned_at is not None


def test_returning_after_ten_days_is_noted(org: Org) -> None:
    appeal = _registered(org, days_ago=11)
    services.appeal_return(actor=org.operator, appeal_id=appeal.pk, explanation="Пояснення")
    assert AuditEvent.objects.get(action="appeals.appeal.returned").data["late"] is True


def test_a_closed_appeal_cannot_be_returned(org: Org) -> None:
    appeal = _registered(org)
    Appeal.objects.filter(pk=appeal.pk).update(state=Appeal.State.CLOSED)
    with pytest.raises(ApplicationError, match="не можна перевести"):
        services.appeal_return(actor=org.operator, appeal_id=appeal.pk, explanation="x")


def test_not_considering_records_the_art_8_ground_and_result_9_6(org: Org) -> None:
    appeal = _registered(org)
    services.appeal_not_consider(
        actor=org.operator, appeal_id=appeal.pk, reason="no_substance", note="Текст нерозбірливий"
    )
    appeal.refresh_from_db()
    assert (appeal.state, appeal.result) == ("not_considered", "9.6")
    assert "суть" in appeal.not_considered_reason
    assert appeal.events.filter(kind=AppealEvent.Kind.NOT_CONSIDERED).exists()


def test_not_considering_needs_a_known_ground(org: Org) -> None:
    appeal = _registered(org)
    with pytest.raises(ApplicationError, match=r"ст\. 8"):
        services.appeal_not_consider(actor=org.operator, appeal_id=appeal.pk, reason="dislike")


# --- mass appeals --------------------------------------------------------------------------------


def test_marking_two_appeals_creates_a_mass_group_with_sign_2_5(org: Org) -> None:
    first = _registered(org)
    second = _registered(org, surname="Шевченко", phone="0501112233")
    group = services.mass_group_mark(
        actor=org.operator,
        appeal_ids=[first.pk, second.pk],
        title="Немає освітлення",
        place="вул. Свободи",
    )
    assert set(group.appeals.values_list("sign", flat=True)) == {"2.5"}
    assert group.topic == "109"
    assert AuditEvent.objects.filter(action="appeals.mass_group.created").exists()


def test_marking_extends_an_existing_group(org: Org) -> None:
    first = _registered(org)
    second = _registered(org, surname="Шевченко", phone="0501112233")
    third = _registered(org, surname="Бондар", phone="0631112233")
    group = services.mass_group_mark(
        actor=org.operator, appeal_ids=[first.pk, second.pk], title="Освітлення"
    )
    services.mass_group_mark(actor=org.operator, appeal_ids=[third.pk], group_id=group.pk)
    assert group.appeals.count() == 3
    assert MassGroup.objects.count() == 1


def test_a_single_appeal_is_not_a_new_mass_group(org: Org) -> None:
    appeal = _registered(org)
    with pytest.raises(ApplicationError, match="щонайменше два"):
        services.mass_group_mark(actor=org.operator, appeal_ids=[appeal.pk], title="Х")


def test_an_executor_may_not_mark_mass_appeals(org: Org) -> None:
    first = _registered(org)
    second = _registered(org, surname="Шевченко", phone="0501112233")
    with pytest.raises(ApplicationError, match="Недостатньо прав"):
        services.mass_group_mark(
            actor=org.spec_d, appeal_ids=[first.pk, second.pk], title="Освітлення"
        )
    assert not MassGroup.objects.exists()
