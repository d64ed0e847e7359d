"""Retention: the expired list, the anonymisation act (propose → approve → execute)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from hromada.appeals import answers, reports, retention, selectors, services
from hromada.appeals.factories import register
from hromada.appeals.models import (
    Answer,
    Appeal,
    AppealEvent,
    AppealFile,
    RetentionAct,
    TermExtension,
)
from hromada.control import services as control
from hromada.control.factories import Org
from hromada.control.models import Report, Resolution
from hromada.core.exceptions import ApplicationError
from hromada.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERSONAL = ("Коваленко", "Олена", "Петрівна", "Свободи", "olena@example.org", "1234567")


def attachment() -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")


def expire(*appeals: Appeal) -> None:
    """Move the appeals' retention term into the past (as if five years went by)."""
    Appeal.objects.filter(pk__in=[a.pk for a in appeals]).update(
        retention_until=timezone.localdate() - timedelta(days=1)
    )


def closed(org: Org, **overrides: Any) -> Appeal:
    """Register an appeal with a file and take it the whole way: resolution, answer, closing."""
    appeal = register(org, files=[attachment()], **overrides).appeal
    resolution = control.resolution_create(
        item=appeal,
        actor=org.head_d,
        text="Розглянути",
        executors=[org.spec_d],
        controller=org.controller,
    )
    services.appeal_extend_term(
        actor=org.head_d,
        appeal_id=appeal.pk,
        new_due_date=(appeal.due_date or timezone.localdate()) + timedelta(days=5),
        reason="Потрібен виїзд на місце до гр. Коваленко",
    )
    assignment = resolution.assignments.get()
    control.assignment_accept(assignment_id=assignment.pk, actor=org.spec_d)
    control.assignment_report(
        assignment_id=assignment.pk, actor=org.spec_d, text="Відновлено для гр. Коваленко О. П."
    )
    draft = answers.answer_prepare(
        actor=org.spec_d,
        appeal_id=appeal.pk,
        kind=Answer.Kind.FINAL,
        text=answers.template_text(appeal=appeal, template="positive"),
        result="9.1",
        template="positive",
    )
    answers.answer_sign(actor=org.head_d, answer_id=draft.pk)
    answers.answer_send(actor=org.operator, answer_id=draft.pk, delivery="email")
    control.assignment_review(assignment_id=assignment.pk, actor=org.controller, accept=True)
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.CLOSED
    return appeal


def returned(org: Org, **overrides: Any) -> Appeal:
    appeal = register(org, **overrides).appeal
    return services.appeal_return(
        actor=org.operator, appeal_id=appeal.pk, explanation="Не зазначено суть; гр. Коваленко"
    )


def approved_act(org: Org, *appeals: Appeal) -> RetentionAct:
    act = retention.retention_act_propose(
        actor=org.operator, body_id=org.d.pk, appeal_ids=[a.pk for a in appeals]
    )
    return retention.retention_act_approve(actor=org.head_d, act_id=act.pk)


def _stored_text(appeal_id: int) -> str:
    """Every text column of the appeal's own rows and its related rows, as stored."""
    with connection.cursor() as cur:
        chunks: list[str] = []
        for table, key in (
            ("appeals_appeal", "id"),
            ("appeals_appealevent", "appeal_id"),
            ("appeals_answer", "appeal_id"),
            ("appeals_termextension", "appeal_id"),
            ("appeals_appealfile", "appeal_id"),
        ):
            cur.execute(f"SELECT * FROM {table} WHERE {key} = %s", [appeal_id])  # noqa: S608
            chunks.extend(str(row) for row in cur.fetchall())
        cur.execute(
            "SELECT r.item_title, p.text FROM control_resolution r "
            "JOIN control_assignment a ON a.resolution_id = r.id "
            "LEFT JOIN control_report p ON p.assignment_id = a.id "
            "WHERE r.item_id = %s",
            [appeal_id],
        )
        chunks.extend(str(row) for row in cur.fetchall())
    return "\n".join(chunks)


# --- the expired list -------------------------------------------------------------------------


def test_retention_term_is_set_at_registration_to_january_after_full_years(org: Org) -> None:
    appeal = register(org).appeal
    assert appeal.reg_date is not None
    years = settings.HROMADA_APPEALS_RETENTION_YEARS
    assert appeal.retention_until == date(appeal.reg_date.year + years + 1, 1, 1)


def test_expired_list_holds_considered_appeals_only(org: Org) -> None:
    done = returned(org)
    still_open = register(org, surname="Бондар", phone="").appeal
    fresh = returned(org, surname="Гнатюк", phone="")
    expire(done, still_open)
    listed = list(retention.expired_appeals(body=org.d))
    assert listed == [done]
    assert still_open not in listed
    assert fresh not in listed


def test_appeal_in_a_pending_act_leaves_the_expired_list(org: Org) -> None:
    done = returned(org)
    expire(done)
    retention.retention_act_propose(actor=org.operator, body_id=org.d.pk)
    assert not retention.expired_appeals(body=org.d).exists()


# --- proposing ----------------------------------------------------------------------------------


def test_operator_proposes_an_act_of_all_expired_appeals(org: Org) -> None:
    first, second = returned(org), returned(org, surname="Бондар", phone="")
    expire(first, second)
    act = retention.retention_act_propose(actor=org.operator, body_id=org.d.pk, note="Справа 05-12")
    assert act.state == RetentionAct.State.PROPOSED
    assert {i.appeal_id for i in act.items.all()} == {first.pk, second.pk}
    assert act.items.get(appeal=first).reg_index == first.reg_index
    assert AuditEvent.objects.filter(
        action="appeals.retention_act.proposed", object_id=str(act.pk)
    ).exists()


def test_open_appeal_in_the_list_is_refused_and_nothing_is_written(org: Org) -> None:
    done = returned(org)
    still_open = register(org, surname="Бондар", phone="").appeal
    expire(done, still_open)
    with pytest.raises(ApplicationError, match="ще розглядається") as exc:
        retention.retention_act_propose(
            actor=org.operator, body_id=org.d.pk, appeal_ids=[done.pk, still_open.pk]
        )
    assert exc.value.code == "open_appeal"
    assert not RetentionAct.objects.exists()


def test_appeal_whose_term_has_not_expired_is_refused(org: Org) -> None:
    done = returned(org)
    with pytest.raises(ApplicationError, match="ще не сплив"):
        retention.retention_act_propose(actor=org.operator, body_id=org.d.pk, appeal_ids=[done.pk])


def test_appeal_already_in_a_pending_act_is_refused(org: Org) -> None:
    done = returned(org)
    expire(done)
    first = retention.retention_act_propose(actor=org.operator, body_id=org.d.pk)
    with pytest.raises(ApplicationError, match=first.number):
        retention.retention_act_propose(actor=org.operator, body_id=org.d.pk, appeal_ids=[done.pk])


def test_nothing_expired_is_refused(org: Org) -> None:
    returned(org)
    with pytest.raises(ApplicationError, match="Немає звернень"):
        retention.retention_act_propose(actor=org.operator, body_id=org.d.pk)


def test_executor_may_not_propose(org: Org) -> None:
    done = returned(org)
    expire(done)
    with pytest.raises(ApplicationError) as exc:
        retention.retention_act_propose(actor=org.spec_d, body_id=org.d.pk)
    assert exc.value.code == "permission_denied"


# --- approving -----------------------------------------------------------------------------------


def test_head_over_the_body_approves(org: Org) -> None:
    done = returned(org)
    expire(done)
    act = approved_act(org, done)
    assert act.state == RetentionAct.State.APPROVED
    assert act.approved_by == org.head_d
    assert AuditEvent.objects.filter(
        action="appeals.retention_act.approved", object_id=str(act.pk)
    ).exists()


def test_approving_ones_own_act_is_refused(org: Org) -> None:
    done = returned(org)
    expire(done)
    # The head may propose too when also an operator; here the head proposes as the office.
    from hromada.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=org.head_d, role="operator", unit=org.d)
    act = retention.retention_act_propose(actor=org.head_d, body_id=org.d.pk)
    with pytest.raises(ApplicationError, match="інша особа") as exc:
        retention.retention_act_approve(actor=org.head_d, act_id=act.pk)
    assert exc.value.code == "own_act"
    act.refresh_from_db()
    assert act.state == RetentionAct.State.PROPOSED


def test_head_of_another_body_may_not_approve(org: Org) -> None:
    done = returned(org)
    expire(done)
    act = retention.retention_act_propose(actor=org.operator, body_id=org.d.pk)
    with pytest.raises(ApplicationError) as exc:
        retention.retention_act_approve(actor=org.head_x, act_id=act.pk)
    assert exc.value.code == "permission_denied"


def test_rejected_act_frees_its_appeals_for_another_act(org: Org) -> None:
    done = returned(org)
    expire(done)
    act = retention.retention_act_propose(actor=org.operator, body_id=org.d.pk)
    retention.retention_act_reject(actor=org.head_d, act_id=act.pk, reason="Справа ще потрібна")
    assert list(retention.expired_appeals(body=org.d)) == [done]
    with pytest.raises(ApplicationError, match="Затвердити можна лише"):
        retention.retention_act_approve(actor=org.head_d, act_id=act.pk)


def test_rejecting_without_a_reason_is_refused(org: Org) -> None:
    done = returned(org)
    expire(done)
    act = retention.retention_act_propose(actor=org.operator, body_id=org.d.pk)
    with pytest.raises(ApplicationError, match="причину"):
        retention.retention_act_reject(actor=org.head_d, act_id=act.pk, reason="  ")


# --- executing ------------------------------------------------------------------------------------


def test_executing_an_unapproved_act_is_refused_and_nothing_changes(org: Org) -> None:
    done = returned(org)
    expire(done)
    act = retention.retention_act_propose(actor=org.operator, body_id=org.d.pk)
    with pytest.raises(ApplicationError, match="не затверджено") as exc:
        retention.retention_act_execute(actor=org.operator, act_id=act.pk)
    assert exc.value.code == "invalid_state"
    done.refresh_from_db()
    assert done.surname == "Коваленко"
    assert done.anonymised_at is None


def test_executed_act_removes_personal_data_from_the_database(org: Org) -> None:
    appeal = closed(org)
    expire(appeal)
    assert "Коваленко" in _stored_text(appeal.pk)
    act = retention.retention_act_execute(actor=org.operator, act_id=approved_act(org, appeal).pk)
    assert act.state == RetentionAct.State.EXECUTED
    appeal.refresh_from_db()
    assert appeal.anonymised_at is not None
    stored = _stored_text(appeal.pk)
    for value in PERSONAL:
        assert value not in stored, value
    assert appeal.person_key == appeal.phone_digits == appeal.tracking_hash == ""
    assert appeal.applicant_id is None
    assert appeal.text == f"Знеособлено за актом № {act.number}."


def test_executed_act_keeps_the_classifier_codes(org: Org) -> None:
    appeal = closed(org, category="7.5", sex="4.2", topics=["109", "110"])
    expire(appeal)
    retention.retention_act_execute(actor=org.operator, act_id=approved_act(org, appeal).pk)
    appeal.refresh_from_db()
    assert (appeal.sex, appeal.category, appeal.result, appeal.district) == (
        "4.2",
        "7.5",
        "9.1",
        "TSM",
    )
    assert sorted(appeal.topics.values_list("code", flat=True)) == ["109", "110"]
    assert appeal.reg_index
    assert appeal.reg_date
    assert appeal.state == Appeal.State.CLOSED


def test_executed_act_destroys_the_files(org: Org) -> None:
    appeal = closed(org)
    expire(appeal)
    paths = [Path(f.blob.path) for f in AppealFile.objects.filter(appeal=appeal)]
    kinds = set(AppealFile.objects.filter(appeal=appeal).values_list("kind", flat=True))
    assert {AppealFile.Kind.ATTACHMENT, AppealFile.Kind.ANSWER} <= kinds
    assert all(p.exists() for p in paths)
    act = retention.retention_act_execute(actor=org.operator, act_id=approved_act(org, appeal).pk)
    assert not any(p.exists() for p in paths)
    assert not AppealFile.objects.filter(appeal=appeal).exists()
    assert act.files_deleted == len(paths)
    assert act.items.get().files == len(paths)


def test_executed_act_clears_notes_answers_and_control_reports(org: Org) -> None:
    appeal = closed(org)
    expire(appeal)
    retention.retention_act_execute(actor=org.operator, act_id=approved_act(org, appeal).pk)
    assert not AppealEvent.objects.filter(appeal=appeal).exclude(note="", public_note="").exists()
    assert not Answer.objects.filter(appeal=appeal).exclude(text="").exists()
    assert not TermExtension.objects.filter(appeal=appeal).exclude(reason="").exists()
    assert (
        not Report.objects.filter(assignment__resolution__item_id=appeal.pk)
        .exclude(text="")
        .exists()
    )
    title = Resolution.objects.get(item_id=appeal.pk).item_title
    assert "освітлення" not in title
    assert appeal.reg_index in title


def test_the_858_report_adds_up_the_same_after_anonymisation(org: Org) -> None:
    made = [
        closed(org, category="7.5", topics=["109", "110"]),
        returned(org, surname="Бондар", phone="", kind="3.3", topics=["106"]),
        register(org, surname="", address="", confirm_anonymous=True, phone="").appeal,
        register(org, surname="Гнатюк", phone="").appeal,  # still open: not in the act
    ]
    expire(*made)
    today = timezone.localdate()

    def figures() -> list[tuple[str, int, list[tuple[str, int, int | None]]]]:
        report = reports.classifier_report(today - timedelta(days=1), today)
        return [
            (s.code, report.total, [(r.code, r.count, r.main) for r in s.rows])
            for s in report.sections
        ]

    before = figures()
    act = retention.retention_act_propose(actor=org.operator, body_id=org.d.pk)
    assert act.items.count() == 3
    retention.retention_act_approve(actor=org.head_d, act_id=act.pk)
    retention.retention_act_execute(actor=org.operator, act_id=act.pk)
    assert Appeal.objects.filter(anonymised_at__isnull=False).count() == 3
    assert figures() == before


def test_anonymised_appeal_is_no_longer_found_as_the_persons_earlier_one(org: Org) -> None:
    appeal = returned(org)
    expire(appeal)
    retention.retention_act_execute(actor=org.operator, act_id=approved_act(org, appeal).pk)
    assert not selectors.earlier_appeals(
        surname="Коваленко", given_name="Олена", patronymic="Петрівна", phone="+380671234567"
    ).exists()


def test_each_anonymised_appeal_and_the_execution_are_audited(org: Org) -> None:
    appeal = returned(org)
    expire(appeal)
    act = retention.retention_act_execute(actor=org.operator, act_id=approved_act(org, appeal).pk)
    assert AuditEvent.objects.filter(
        action="appeals.appeal.anonymised", object_id=str(appeal.pk)
    ).exists()
    executed = AuditEvent.objects.get(action="appeals.retention_act.executed")
    assert executed.object_id == str(act.pk)
    assert executed.data["appeals"] == 1


def test_executed_act_cannot_run_twice(org: Org) -> None:
    appeal = returned(org)
    expire(appeal)
    act = approved_act(org, appeal)
    retention.retention_act_execute(actor=org.operator, act_id=act.pk)
    with pytest.raises(ApplicationError, match="виконати не можна"):
        retention.retention_act_execute(actor=org.operator, act_id=act.pk)


def test_executor_may_not_execute(org: Org) -> None:
    appeal = returned(org)
    expire(appeal)
    act = approved_act(org, appeal)
    with pytest.raises(ApplicationError) as exc:
        retention.retention_act_execute(actor=org.spec_d, act_id=act.pk)
    assert exc.value.code == "permission_denied"
