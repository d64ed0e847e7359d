"""Retention screens: the expired list, proposing, approving and executing an act."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hromada.accounts.models import User
from hromada.appeals import retention, services
from hromada.appeals.factories import register
from hromada.appeals.models import Appeal, RetentionAct
from hromada.control.factories import Org

pytestmark = pytest.mark.django_db


def expired_returned(org: Org, **overrides: Any) -> Appeal:
    appeal = register(org, **overrides).appeal
    services.appeal_return(actor=org.operator, appeal_id=appeal.pk, explanation="Без суті")
    Appeal.objects.filter(pk=appeal.pk).update(
        retention_until=timezone.localdate() - timedelta(days=1)
    )
    appeal.refresh_from_db()
    return appeal


def test_operator_sees_the_expired_list_without_personal_data(
    org: Org, login: Callable[[User], Client]
) -> None:
    appeal = expired_returned(org)
    client = login(org.operator)
    page = client.get(reverse("appeals:retention_expired", args=[org.d.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert appeal.reg_index in text
    assert "Коваленко" not in text


def test_index_lists_bodies_and_acts(org: Org, login: Callable[[User], Client]) -> None:
    expired_returned(org)
    act = retention.retention_act_propose(actor=org.operator, body_id=org.d.pk)
    page = login(org.head_d).get(reverse("appeals:retention"))
    assert page.status_code == 200
    assert act.number in page.content.decode()


def test_executor_gets_404_on_the_retention_screens(
    org: Org, login: Callable[[User], Client]
) -> None:
    expired_returned(org)
    act = retention.retention_act_propose(actor=org.operator, body_id=org.d.pk)
    client = login(org.outsider)
    assert client.get(reverse("appeals:retention")).status_code == 404
    assert client.get(reverse("appeals:retention_expired", args=[org.d.pk])).status_code == 404
    assert client.get(act.get_absolute_url()).status_code == 404
    response = client.post(reverse("appeals:retention_act_step", args=[act.pk, "approve"]))
    assert response.status_code == 404
    act.refresh_from_db()
    assert act.state == RetentionAct.State.PROPOSED


def test_the_whole_path_through_the_screens(org: Org, login: Callable[[User], Client]) -> None:
    appeal = expired_returned(org)
    operator = login(org.operator)
    response = operator.post(
        reverse("appeals:retention_expired", args=[org.d.pk]),
        {"scope": "all", "note": "Справа 05-12, номенклатура 2026"},
    )
    act = RetentionAct.objects.get()
    assert response.status_code == 302
    assert response["Location"] == act.get_absolute_url()
    page = operator.get(act.get_absolute_url()).content.decode()
    assert "Затвердити акт" not in page  # the proposer may not approve
    head = login(org.head_d)
    head.post(reverse("appeals:retention_act_step", args=[act.pk, "approve"]))
    act.refresh_from_db()
    assert act.state == RetentionAct.State.APPROVED
    page = head.get(act.get_absolute_url()).content.decode()
    assert "Виконати акт" in page
    head.post(reverse("appeals:retention_act_step", args=[act.pk, "execute"]))
    appeal.refresh_from_db()
    assert appeal.anonymised_at is not None
    assert appeal.surname == ""


def test_execute_before_approval_shows_the_refusal(
    org: Org, login: Callable[[User], Client]
) -> None:
    appeal = expired_returned(org)
    act = retention.retention_act_propose(actor=org.operator, body_id=org.d.pk)
    client = login(org.operator)
    response = client.post(
        reverse("appeals:retention_act_step", args=[act.pk, "execute"]), follow=True
    )
    assert "не затверджено" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.anonymised_at is None


def test_proposing_an_open_appeal_shows_the_refusal(
    org: Org, login: Callable[[User], Client]
) -> None:
    expired_returned(org)
    still_open = register(org, surname="Бондар", phone="").appeal
    client = login(org.operator)
    response = client.post(
        reverse("appeals:retention_expired", args=[org.d.pk]),
        {"scope": "chosen", "appeal": [str(still_open.pk)]},
        follow=True,
    )
    assert "ще розглядається" in response.content.decode()
    assert not RetentionAct.objects.exists()


def test_expired_list_query_count_does_not_grow_with_rows(
    org: Org, login: Callable[[User], Client], django_assert_max_num_queries: Any
) -> None:
    for surname in ("Бондар", "Гнатюк", "Мельник", "Савченко"):
        expired_returned(org, surname=surname, phone="")
    client = login(org.operator)
    url = reverse("appeals:retention_expired", args=[org.d.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
