"""Every assignment carries its resolution's controlled item (`Assignment.item_type/item_id`).

Lists that ask "which items do this user's assignments reach" read the item from the
assignment alone (appeals.selectors.visible_appeals_q), so each way of creating an
assignment must copy it: a resolution, a delegation, a plain save, a bulk insert (the demo
loaders) and the migration that added the columns to existing rows.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import OuterRef, Subquery

from hromada.control import services
from hromada.control.factories import item_in
from hromada.control.models import Assignment, Resolution


def _items_match(assignments: list[Assignment]) -> None:
    assert assignments
    for a in assignments:
        resolution = Resolution.objects.get(pk=a.resolution_id)
        assert (a.item_type_id, a.item_id) == (resolution.item_type_id, resolution.item_id)


def _stored(resolution: Resolution) -> list[Assignment]:
    return list(Assignment.objects.filter(resolution=resolution).order_by("pk"))


@pytest.mark.django_db
def test_a_resolutions_assignments_carry_its_item(org, hooks) -> None:  # type: ignore[no-untyped-def]
    item = item_in(org.d)
    resolution = services.resolution_create(
        item=item, actor=org.head_d, text="Розглянути", executors=[org.spec_d1, org.spec_d]
    )
    stored = _stored(resolution)
    _items_match(stored)
    assert {a.item_id for a in stored} == {item.pk}


@pytest.mark.django_db
def test_delegated_assignments_carry_the_item(org, hooks, today) -> None:  # type: ignore[no-untyped-def]
    item = item_in(org.d)
    resolution = services.resolution_create(
        item=item,
        actor=org.head_d,
        text="Розглянути",
        executors=[org.head_d1],
        due_date=today + timedelta(days=20),
    )
    [parent] = _stored(resolution)
    children = services.assignment_delegate(
        assignment_id=parent.pk,
        actor=org.head_d1,
        executors=[org.spec_d1, org.spec_d1b],
        due_date=today + timedelta(days=10),
    )
    stored = list(Assignment.objects.filter(pk__in=[c.pk for c in children]))
    _items_match(stored)
    assert {a.item_id for a in stored} == {item.pk}


def _unsaved_like(assignment: Assignment) -> Assignment:
    """A new assignment under the same resolution, without its item (as the demo loaders build)."""
    return Assignment(
        resolution=Resolution.objects.get(pk=assignment.resolution_id),
        executor=assignment.executor,
        unit=assignment.unit,
        assigned_by=assignment.assigned_by,
        assigned_on=assignment.assigned_on,
        due_date=assignment.due_date,
    )


@pytest.mark.django_db
def test_an_assignment_saved_without_its_item_gets_the_resolutions(org, hooks) -> None:  # type: ignore[no-untyped-def]
    resolution = services.resolution_create(
        item=item_in(org.d), actor=org.head_d, text="Розглянути", executors=[org.spec_d]
    )
    new = _unsaved_like(_stored(resolution)[0])
    new.save()
    _items_match([Assignment.objects.get(pk=new.pk)])


@pytest.mark.django_db
def test_bulk_created_assignments_get_their_resolutions_item(org, hooks) -> None:  # type: ignore[no-untyped-def]
    first = services.resolution_create(
        item=item_in(org.d), actor=org.head_d, text="Розглянути", executors=[org.spec_d]
    )
    second = services.resolution_create(
        item=item_in(org.d, "Інший лист"),
        actor=org.head_d,
        text="Розглянути",
        executors=[org.spec_d],
    )
    created = Assignment.objects.bulk_create(
        [_unsaved_like(_stored(first)[0]), _unsaved_like(_stored(second)[0])]
    )
    _items_match(list(Assignment.objects.filter(pk__in=[a.pk for a in created])))
    assert {a.item_id for a in created} == {first.item_id, second.item_id}


@pytest.mark.django_db
def test_the_demo_loaders_assignments_carry_their_items() -> None:
    from hromada.accounts.demo import load_demo
    from hromada.appeals.demo import load_demo_appeals
    from hromada.documents.demo import load_demo_documents

    load_demo(officials=60)
    load_demo_appeals(appeals=60)
    load_demo_documents(per_day=1)
    of_resolution = Resolution.objects.filter(pk=OuterRef("resolution_id"))
    assert Assignment.objects.count() > 100
    assert not Assignment.objects.exclude(
        item_type_id=Subquery(of_resolution.values("item_type_id"))
    ).exists()
    assert not Assignment.objects.exclude(
        item_id=Subquery(of_resolution.values("item_id"))
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_copies_the_item_onto_existing_assignments(org) -> None:  # type: ignore[no-untyped-def]
    before, after = [("control", "0002_notice_title")], [("control", "0003_assignment_item")]
    resolution = services_free_resolution(org)
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        with connection.cursor() as cur:
            cur.execute(
                "INSERT INTO control_assignment (created_at, updated_at, resolution_id, "
                'executor_id, unit_id, assigned_by_id, is_responsible, "order", text, '
                "assigned_on, due_date, state) VALUES (%s, %s, %s, %s, %s, %s, %s, 0, '', "
                "%s, %s, 'new')",
                [
                    resolution.created_at,
                    resolution.created_at,
                    resolution.pk,
                    org.spec_d.pk,
                    org.d.pk,
                    org.head_d.pk,
                    True,
                    resolution.resolution_date,
                    resolution.due_date,
                ],
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    [stored] = Assignment.objects.filter(resolution=resolution)
    assert (stored.item_type_id, stored.item_id) == (resolution.item_type_id, resolution.item_id)


def services_free_resolution(org) -> Resolution:  # type: ignore[no-untyped-def]
    """A resolution row written directly (the migration test adds assignments by SQL)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    item = item_in(org.d)
    today = timezone.localdate()
    return Resolution.objects.create(
        item_type=ContentType.objects.get_for_model(item),
        item_id=item.pk,
        control_type="accounts.position",
        item_title=item.title,
        unit=org.d,
        author=org.head_d,
        entered_by=org.head_d,
        text="Розглянути",
        resolution_date=today,
        start_date=today,
        due_date=today + timedelta(days=15),
    )
