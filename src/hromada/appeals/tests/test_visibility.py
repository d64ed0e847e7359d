"""Staff lists' visibility (`selectors.visible_appeals_q`) against the `appeals.view_appeal` rule.

The query reads the appeals of assignments from the assignment itself (`Assignment.item_id`,
copied from its resolution), the rule through the resolution; every query shape (row by row,
an id list joined with the open appeals, an id list fetched by id) must give the rule's set.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hromada.accounts.models import User
from hromada.accounts.roles import Role
from hromada.appeals import selectors, services, staff_selectors
from hromada.appeals.factories import card, register
from hromada.appeals.models import Appeal, Channel
from hromada.control import services as control
from hromada.control.factories import Org, person


def _appeals(org: Org) -> dict[str, Appeal]:
    """Appeals reached in different ways: by the office, by assignments and by delegation."""
    in_d = register(org).appeal
    delegated = register(org, surname="Шевченко", phone="0501112233").appeal
    resolution = control.resolution_create(
        item=delegated,
        actor=org.head_d,
        text="Розглянути",
        executors=[org.head_d1],
        due_date=timezone.localdate() + timedelta(days=10),
    )
    control.assignment_delegate(
        assignment_id=resolution.assignments.get().pk,
        actor=org.head_d1,
        executors=[org.spec_d1b],
        due_date=timezone.localdate() + timedelta(days=5),
    )
    operator_x = person(org.x, Role.OPERATOR, email="operator-x@example.org")
    in_x = services.appeal_register(
        actor=operator_x,
        body=org.x,
        channel=Channel.POST,
        card=card(surname="Чужий", given_name="Іван", phone="0991112233"),
    ).appeal
    control.resolution_create(
        item=in_x, actor=org.head_x, text="Розглянути", executors=[org.outsider]
    )
    return {"in_d": in_d, "delegated": delegated, "in_x": in_x}


def _users(org: Org) -> list[User]:
    return [
        org.head_d,
        org.head_d1,
        org.head_x,
        org.spec_d,
        org.spec_d1,
        org.spec_d1b,
        org.outsider,
        org.operator,
        org.controller,
    ]


@pytest.mark.parametrize("narrow", [False, True], ids=["by-id", "joined"])
@pytest.mark.parametrize("few_visible", [0, 10**9], ids=["row-by-row", "id-list"])
def test_every_query_shape_lists_exactly_what_the_rule_allows(
    org: Org, monkeypatch: pytest.MonkeyPatch, few_visible: int, narrow: bool
) -> None:
    appeals = _appeals(org)
    monkeypatch.setattr(selectors, "FEW_VISIBLE", few_visible)
    monkeypatch.setattr(selectors, "_few_visible_memo", {})  # a fresh memo, restored after
    for user in _users(org):
        allowed = {a.pk for a in appeals.values() if user.has_perm("appeals.view_appeal", a)}
        listed = set(selectors.visible_appeals(user, narrow=narrow).values_list("pk", flat=True))
        assert listed == allowed, user.email


def test_a_delegated_executor_and_the_head_of_their_division_see_the_appeal(org: Org) -> None:
    appeals = _appeals(org)
    for user in (org.spec_d1b, org.head_d1):
        assert set(selectors.visible_appeals(user).values_list("pk", flat=True)) == {
            appeals["delegated"].pk
        }, user.email
    assert set(selectors.visible_appeals(org.outsider).values_list("pk", flat=True)) == {
        appeals["in_x"].pk
    }


@pytest.mark.parametrize(
    "criteria",
    [
        staff_selectors.QueueFilter(state="open"),
        staff_selectors.QueueFilter(state="in_work"),
        staff_selectors.QueueFilter(),
        staff_selectors.QueueFilter(query="Шевченко"),
        staff_selectors.QueueFilter(topic="109"),
        staff_selectors.QueueFilter(state="open", topic="109"),
    ],
    ids=["open", "in-work", "everything", "by-name", "by-topic", "open-by-topic"],
)
def test_the_queue_of_a_head_of_a_division_shows_their_appeal_whatever_the_filter(
    org: Org, monkeypatch: pytest.MonkeyPatch, criteria: staff_selectors.QueueFilter
) -> None:
    appeals = _appeals(org)
    monkeypatch.setattr(selectors, "_few_visible_memo", {})
    listed = list(
        staff_selectors.queue(user=org.head_d1, criteria=criteria).values_list("pk", flat=True)
    )
    assert listed == [appeals["delegated"].pk]


@pytest.mark.parametrize("few_visible", [0, 10**9], ids=["row-by-row", "id-list"])
def test_the_topics_appeals_among_the_users_ids_are_the_visible_ones_with_the_topic(
    org: Org, monkeypatch: pytest.MonkeyPatch, few_visible: int
) -> None:
    appeals = _appeals(org)
    other_topic = register(org, surname="Бондар", phone="0631112233", topics=["110"]).appeal
    monkeypatch.setattr(selectors, "FEW_VISIBLE", few_visible)
    monkeypatch.setattr(selectors, "_few_visible_memo", {})
    for user in _users(org):
        on_topic = selectors.visible_appeals_on_topic(user, "109")
        expected = set(
            selectors.visible_appeals(user).filter(topics__code="109").values_list("pk", flat=True)
        )
        assert (on_topic is not None) == selectors.lists_by_ids(user), user.email
        if on_topic is not None:
            assert set(on_topic.values_list("pk", flat=True)) == expected, user.email
    assert other_topic.pk not in expected
    assert appeals["in_d"].pk in expected  # the last user, the controller over D
