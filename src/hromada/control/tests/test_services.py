from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from hromada.accounts.models import Substitution
from hromada.control import services
from hromada.control.factories import item_in
from hromada.control.models import Assignment, ExtensionRequest, Report, Resolution
from hromada.core.calendar import add_calendar_days, add_working_days
from hromada.core.exceptions import ApplicationError
from hromada.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db
State = Assignment.State

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def resolve(org, item=None, *, executors=None, actor=None, **kwargs):
    return services.resolution_create(
        item=item or item_in(org.d),
        actor=actor or org.head_d,
        text=kwargs.pop("text", "Розглянути та підготувати відповідь"),
        executors=executors if executors is not None else [org.spec_d1, org.spec_d],
        **kwargs,
    )


def top(resolution: Resolution) -> list[Assignment]:
    return list(resolution.assignments.filter(parent__isnull=True).order_by("order"))


def reported(org, assignment: Assignment, text: str = "Виконано") -> Report:
    services.assignment_accept(assignment_id=assignment.pk, actor=assignment.executor)
    return services.assignment_report(
        assignment_id=assignment.pk, actor=assignment.executor, text=text
    )


# --- resolutions ----------------------------------------------------------------------------
def test_a_resolution_gives_one_assignment_per_executor_the_first_responsible(org, hooks):
    resolution = resolve(org)
    first, second = top(resolution)
    assert (first.executor, first.is_responsible) == (org.spec_d1, True)
    assert (second.executor, second.is_responsible) == (org.spec_d, False)
    assert first.unit == org.d1
    assert {first.state, second.state} == {State.NEW}
    assert hooks.resolved == [resolution]


@override_settings(HROMADA_CONTROL_DEFAULT_TERM_DAYS=30)
def test_without_a_due_date_the_default_term_counts_calendar_days_from_registration(
    org, hooks, today
):
    resolution = resolve(org)
    assert resolution.due_date == add_calendar_days(today, 30)
    assert (resolution.term_days, resolution.term_kind) == (30, "calendar")


def test_a_term_in_working_days_skips_days_off(org, hooks, today):
    resolution = resolve(org, term_days=10, term_kind="working")
    assert resolution.due_date == add_working_days(today, 10)


def test_a_due_date_before_registration_is_refused_and_nothing_is_written(org, today):
    from hromada.control.factories import positions_controlled

    with positions_controlled(today - timedelta(days=5)), pytest.raises(ApplicationError) as exc:
        resolve(org, due_date=today - timedelta(days=6))
    assert exc.value.field == "due_date"
    assert not Resolution.objects.exists()
    assert not Assignment.objects.exists()


def test_a_due_date_already_past_is_refused(org, today):
    from hromada.control.factories import positions_controlled

    with positions_controlled(today - timedelta(days=5)), pytest.raises(ApplicationError):
        resolve(org, due_date=today - timedelta(days=1))


def test_a_resolution_dated_in_the_future_is_refused(org, hooks, today):
    with pytest.raises(ApplicationError) as exc:
        resolve(org, resolution_date=today + timedelta(days=1))
    assert exc.value.field == "date"
    assert not Resolution.objects.exists()


def test_an_executor_outside_the_authors_authority_is_refused_and_nothing_is_written(org, hooks):
    with pytest.raises(ApplicationError) as exc:
        resolve(org, executors=[org.spec_d1, org.outsider])
    assert exc.value.field == "executors"
    assert org.outsider.full_name in exc.value.message
    assert not Resolution.objects.exists()
    assert not Notification.objects.exists()


def test_a_head_of_a_division_cannot_assign_to_the_department_above(org, hooks):
    with pytest.raises(ApplicationError):
        resolve(org, actor=org.head_d1, executors=[org.spec_d])


def test_an_executor_named_twice_is_refused(org, hooks):
    with pytest.raises(ApplicationError):
        resolve(org, executors=[org.spec_d1, org.spec_d1])


def test_a_resolution_needs_an_executor(org, hooks):
    with pytest.raises(ApplicationError):
        resolve(org, executors=[])


def test_a_resolution_needs_text(org, hooks):
    with pytest.raises(ApplicationError) as exc:
        resolve(org, text="   ")
    assert exc.value.field == "text"


def test_only_a_head_gives_resolutions(org, hooks):
    with pytest.raises(ApplicationError):
        resolve(org, actor=org.spec_d, executors=[org.spec_d1])


def test_a_substitute_gives_a_resolution_in_the_absent_heads_name(org, hooks, today):
    Substitution.objects.create(
        absent=org.head_d, substitute=org.spec_d, start=today, end=today + timedelta(days=5)
    )
    resolution = resolve(org, actor=org.spec_d, author=org.head_d, executors=[org.spec_d1])
    assert (resolution.author, resolution.entered_by) == (org.head_d, org.spec_d)


def test_someone_not_acting_for_the_head_cannot_sign_in_their_name(org, hooks):
    with pytest.raises(ApplicationError):
        resolve(org, actor=org.head_x, author=org.head_d, executors=[org.spec_d1])


def test_the_registering_office_enters_a_heads_resolution(org, hooks):
    resolution = resolve(org, actor=org.operator, author=org.head_d, executors=[org.spec_d1])
    assert resolution.entered_by == org.operator


def test_executors_are_notified_once_each(org, hooks):
    resolve(org)
    assert Notification.objects.filter(recipient=org.spec_d1).count() == 1
    assert Notification.objects.filter(recipient=org.spec_d).count() == 1


def test_a_resolution_is_audited(org, hooks):
    resolution = resolve(org)
    event = AuditEvent.objects.get(action="control.resolution.created")
    assert event.object_id == str(resolution.pk)
    assert event.data["executors"] == [org.spec_d1.pk, org.spec_d.pk]


def test_a_controller_outside_the_items_unit_is_refused(org, hooks):
    with pytest.raises(ApplicationError) as exc:
        resolve(
            org,
            item=item_in(org.x),
            executors=[org.spec_d1],
            controller=org.controller,
            actor=org.head_d,
        )
    assert exc.value.field == "controller"


def test_a_due_date_beyond_the_items_limit_is_refused(org, today):
    from hromada.control.factories import positions_controlled

    limit = today + timedelta(days=45)
    with positions_controlled(today, max_due=limit), pytest.raises(ApplicationError):
        resolve(org, due_date=today + timedelta(days=46))


# --- transitions ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("state", "allowed"),
    [
        (State.NEW, {State.ACCEPTED}),
        (State.ACCEPTED, {State.IN_PROGRESS, State.REPORTED}),
        (State.IN_PROGRESS, {State.REPORTED}),
        (State.REPORTED, {State.DONE, State.RETURNED}),
        (State.RETURNED, {State.IN_PROGRESS, State.REPORTED}),
        (State.DONE, set()),
    ],
)
def test_the_allowed_transitions_are_explicit(state, allowed):
    assignment = Assignment(state=state)
    assert {s for s in State.values if assignment.can_become(s)} == allowed


def test_an_executor_accepts_starts_and_reports(org, hooks):
    assignment = top(resolve(org))[0]
    services.assignment_accept(assignment_id=assignment.pk, actor=org.spec_d1)
    services.assignment_start(assignment_id=assignment.pk, actor=org.spec_d1)
    report = services.assignment_report(
        assignment_id=assignment.pk, actor=org.spec_d1, text="Відповідь надіслано"
    )
    assignment.refresh_from_db()
    assert assignment.state == State.REPORTED
    assert assignment.reviewer == org.head_d
    assert report.text == "Відповідь надіслано"
    assert Notification.objects.filter(recipient=org.head_d, key__contains="report").exists()


def test_a_new_assignment_cannot_be_reported_before_it_is_accepted(org, hooks):
    assignment = top(resolve(org))[0]
    with pytest.raises(ApplicationError) as exc:
        services.assignment_report(assignment_id=assignment.pk, actor=org.spec_d1, text="x")
    assert exc.value.code == "invalid_state"
    assert not Report.objects.exists()


def test_accepting_twice_is_refused(org, hooks):
    assignment = top(resolve(org))[0]
    services.assignment_accept(assignment_id=assignment.pk, actor=org.spec_d1)
    with pytest.raises(ApplicationError):
        services.assignment_accept(assignment_id=assignment.pk, actor=org.spec_d1)


def test_only_the_executor_works_on_an_assignment(org, hooks):
    assignment = top(resolve(org))[0]
    with pytest.raises(ApplicationError) as exc:
        services.assignment_accept(assignment_id=assignment.pk, actor=org.spec_d)
    assert exc.value.code == "permission_denied"


def test_a_substitute_works_on_the_absent_executors_assignment(org, hooks, today):
    assignment = top(resolve(org))[0]
    Substitution.objects.create(absent=org.spec_d1, substitute=org.spec_d1b, start=today, end=today)
    services.assignment_accept(assignment_id=assignment.pk, actor=org.spec_d1b)
    assignment.refresh_from_db()
    assert assignment.state == State.ACCEPTED


def test_a_report_carries_files(org, hooks):
    assignment = top(resolve(org))[0]
    services.assignment_accept(assignment_id=assignment.pk, actor=org.spec_d1)
    report = services.assignment_report(
        assignment_id=assignment.pk,
        actor=org.spec_d1,
        text="Додаю відповідь",
        files=[SimpleUploadedFile("відповідь.pdf", PDF, content_type="application/pdf")],
    )
    [attached] = report.files.all()
    assert (attached.name, attached.mime) == ("відповідь.pdf", "application/pdf")


def test_an_executable_report_file_is_refused_and_nothing_changes(org, hooks):
    assignment = top(resolve(org))[0]
    services.assignment_accept(assignment_id=assignment.pk, actor=org.spec_d1)
    program = SimpleUploadedFile("звіт.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(ApplicationError) as exc:
        services.assignment_report(
            assignment_id=assignment.pk, actor=org.spec_d1, text="x", files=[program]
        )
    assert exc.value.field == "files"
    assignment.refresh_from_db()
    assert assignment.state == State.ACCEPTED
    assert not Report.objects.exists()


@override_settings(HROMADA_UPLOAD_MAX_BYTES=1000)
def test_an_oversize_report_file_is_refused(org, hooks):
    assignment = top(resolve(org))[0]
    services.assignment_accept(assignment_id=assignment.pk, actor=org.spec_d1)
    big = SimpleUploadedFile("великий.pdf", PDF + b"0" * 2000)
    with pytest.raises(ApplicationError):
        services.assignment_report(
            assignment_id=assignment.pk, actor=org.spec_d1, text="x", files=[big]
        )


def test_accepting_the_report_makes_the_assignment_done_on_the_report_date(org, hooks, today):
    assignment = top(resolve(org, executors=[org.spec_d1]))[0]
    reported(org, assignment)
    services.assignment_review(assignment_id=assignment.pk, actor=org.head_d, accept=True)
    assignment.refresh_from_db()
    assert assignment.state == State.DONE
    assert assignment.completed_on == today
    assert assignment.days_taken == 0


def test_when_every_assignment_is_done_the_item_is_removed_from_control(org, hooks):
    resolution = resolve(org, controller=org.controller)
    first, second = top(resolution)
    for assignment in (first, second):
        reported(org, assignment)
    services.assignment_review(assignment_id=first.pk, actor=org.controller, accept=True)
    resolution.refresh_from_db()
    assert resolution.control_state == Resolution.ControlState.ON_CONTROL
    assert hooks.completed == []
    services.assignment_review(assignment_id=second.pk, actor=org.controller, accept=True)
    resolution.refresh_from_db()
    assert resolution.control_state == Resolution.ControlState.REMOVED
    assert resolution.removed_by == org.controller
    assert hooks.completed == [resolution]


def test_a_report_goes_to_the_controller_when_there_is_one(org, hooks):
    assignment = top(resolve(org, controller=org.controller))[0]
    reported(org, assignment)
    assignment.refresh_from_db()
    assert assignment.reviewer == org.controller


def test_returning_a_report_needs_a_note(org, hooks):
    assignment = top(resolve(org))[0]
    reported(org, assignment)
    with pytest.raises(ApplicationError) as exc:
        services.assignment_review(assignment_id=assignment.pk, actor=org.head_d, accept=False)
    assert exc.value.field == "note"


def test_a_returned_report_goes_back_to_the_executor_for_rework(org, hooks):
    assignment = top(resolve(org))[0]
    report = reported(org, assignment)
    services.assignment_review(
        assignment_id=assignment.pk, actor=org.head_d, accept=False, note="Додайте розрахунки"
    )
    assignment.refresh_from_db()
    report.refresh_from_db()
    assert assignment.state == State.RETURNED
    assert (report.decision, report.decision_note) == ("returned", "Додайте розрахунки")
    assert Notification.objects.filter(recipient=org.spec_d1, key__endswith="returned").exists()
    services.assignment_start(assignment_id=assignment.pk, actor=org.spec_d1)
    services.assignment_report(assignment_id=assignment.pk, actor=org.spec_d1, text="Доопрацьовано")
    assignment.refresh_from_db()
    assert assignment.state == State.REPORTED


def test_someone_else_cannot_accept_a_report(org, hooks):
    assignment = top(resolve(org))[0]
    reported(org, assignment)
    with pytest.raises(ApplicationError):
        services.assignment_review(assignment_id=assignment.pk, actor=org.spec_d, accept=True)


# --- delegation -----------------------------------------------------------------------------
def test_a_head_delegates_down_with_a_nearer_due_date(org, hooks, today):
    parent = top(resolve(org, executors=[org.head_d1], due_date=today + timedelta(days=20)))[0]
    [child] = services.assignment_delegate(
        assignment_id=parent.pk,
        actor=org.head_d1,
        executors=[org.spec_d1],
        due_date=today + timedelta(days=10),
        text="Підготувати проєкт відповіді",
    )
    parent.refresh_from_db()
    assert parent.state == State.IN_PROGRESS
    assert (child.parent, child.executor, child.reviewer) == (parent, org.spec_d1, org.head_d1)


def test_a_delegated_due_date_later_than_the_parents_is_refused(org, hooks, today):
    parent = top(resolve(org, executors=[org.head_d1], due_date=today + timedelta(days=20)))[0]
    with pytest.raises(ApplicationError) as exc:
        services.assignment_delegate(
            assignment_id=parent.pk,
            actor=org.head_d1,
            executors=[org.spec_d1],
            due_date=today + timedelta(days=21),
        )
    assert exc.value.field == "due_date"
    assert not Assignment.objects.filter(parent=parent).exists()


def test_delegating_outside_ones_authority_is_refused(org, hooks):
    parent = top(resolve(org, executors=[org.head_d1]))[0]
    with pytest.raises(ApplicationError):
        services.assignment_delegate(
            assignment_id=parent.pk,
            actor=org.head_d1,
            executors=[org.spec_d],
            due_date=parent.due_date,
        )


def test_a_specialist_cannot_delegate(org, hooks):
    assignment = top(resolve(org))[0]
    with pytest.raises(ApplicationError):
        services.assignment_delegate(
            assignment_id=assignment.pk,
            actor=org.spec_d1,
            executors=[org.spec_d1b],
            due_date=assignment.due_date,
        )


def test_the_delegator_reviews_the_child_and_reports_only_after(org, hooks):
    parent = top(resolve(org, executors=[org.head_d1]))[0]
    [child] = services.assignment_delegate(
        assignment_id=parent.pk,
        actor=org.head_d1,
        executors=[org.spec_d1],
        due_date=parent.due_date,
    )
    with pytest.raises(ApplicationError):
        services.assignment_report(assignment_id=parent.pk, actor=org.head_d1, text="Готово")
    reported(org, child)
    services.assignment_review(assignment_id=child.pk, actor=org.head_d1, accept=True)
    services.assignment_report(assignment_id=parent.pk, actor=org.head_d1, text="Готово")
    parent.refresh_from_db()
    assert parent.state == State.REPORTED


# --- extensions -----------------------------------------------------------------------------
def test_an_approved_extension_moves_the_due_date_and_keeps_history(org, hooks, today):
    resolution = resolve(org, executors=[org.spec_d1], due_date=today + timedelta(days=5))
    assignment = top(resolution)[0]
    request = services.extension_request(
        assignment_id=assignment.pk,
        actor=org.spec_d1,
        new_due_date=today + timedelta(days=15),
        reason="Чекаємо відповіді іншого органу",
    )
    assert request.decider == org.head_d
    services.extension_decide(request_id=request.pk, actor=org.head_d, approve=True)
    assignment.refresh_from_db()
    resolution.refresh_from_db()
    request.refresh_from_db()
    assert assignment.due_date == today + timedelta(days=15)
    assert resolution.due_date == today + timedelta(days=15)
    assert (request.state, request.old_due_date) == ("approved", today + timedelta(days=5))


def test_a_rejected_extension_leaves_the_due_date(org, hooks, today):
    assignment = top(resolve(org, executors=[org.spec_d1], due_date=today + timedelta(days=5)))[0]
    request = services.extension_request(
        assignment_id=assignment.pk,
        actor=org.spec_d1,
        new_due_date=today + timedelta(days=15),
        reason="Багато роботи",
    )
    services.extension_decide(
        request_id=request.pk, actor=org.head_d, approve=False, note="Строк не змінюється"
    )
    assignment.refresh_from_db()
    assert assignment.due_date == today + timedelta(days=5)


def test_only_the_resolutions_author_decides_an_extension(org, hooks, today):
    assignment = top(resolve(org, executors=[org.spec_d1]))[0]
    request = services.extension_request(
        assignment_id=assignment.pk,
        actor=org.spec_d1,
        new_due_date=assignment.due_date + timedelta(days=3),
        reason="Причина",
    )
    with pytest.raises(ApplicationError):
        services.extension_decide(request_id=request.pk, actor=org.controller, approve=True)


def test_an_extension_to_an_earlier_date_is_refused(org, hooks):
    assignment = top(resolve(org, executors=[org.spec_d1]))[0]
    with pytest.raises(ApplicationError):
        services.extension_request(
            assignment_id=assignment.pk,
            actor=org.spec_d1,
            new_due_date=assignment.due_date,
            reason="Причина",
        )


def test_a_second_pending_extension_request_is_refused(org, hooks):
    assignment = top(resolve(org, executors=[org.spec_d1]))[0]
    services.extension_request(
        assignment_id=assignment.pk,
        actor=org.spec_d1,
        new_due_date=assignment.due_date + timedelta(days=3),
        reason="Причина",
    )
    with pytest.raises(ApplicationError):
        services.extension_request(
            assignment_id=assignment.pk,
            actor=org.spec_d1,
            new_due_date=assignment.due_date + timedelta(days=4),
            reason="Причина",
        )
    assert ExtensionRequest.objects.count() == 1


def test_a_delegated_extension_is_decided_by_the_delegator_within_the_parents_date(
    org, hooks, today
):
    parent = top(resolve(org, executors=[org.head_d1], due_date=today + timedelta(days=20)))[0]
    [child] = services.assignment_delegate(
        assignment_id=parent.pk,
        actor=org.head_d1,
        executors=[org.spec_d1],
        due_date=today + timedelta(days=10),
    )
    request = services.extension_request(
        assignment_id=child.pk,
        actor=org.spec_d1,
        new_due_date=today + timedelta(days=25),
        reason="Причина",
    )
    assert request.decider == org.head_d1
    with pytest.raises(ApplicationError):
        services.extension_decide(request_id=request.pk, actor=org.head_d1, approve=True)


def test_a_term_out_of_range_is_refused():
    with pytest.raises(ApplicationError):
        services.compute_due_date(start=date(2025, 1, 1), term_days=0, term_kind="calendar")
