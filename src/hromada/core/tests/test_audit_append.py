"""Appending an audit event: the event and its stream's head in as few round trips as can be."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hromada.accounts.factories import StaffFactory
from hromada.core.audit import (
    AuditAppender,
    audit_stream,
    event_hash,
    install_append_only_guard,
    verify_chain,
)
from hromada.core.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@on_postgres
def test_on_postgresql_the_event_and_its_heads_move_are_one_statement():
    clerk = StaffFactory()
    install_append_only_guard(connection)  # the head may only advance onto a stored event
    with transaction.atomic():
        appender = AuditAppender(clerk)
        with CaptureQueriesContext(connection) as queries:
            event = appender.record(action="test.done", data={"n": 1})

    assert len(queries.captured_queries) == 1
    head = AuditChainHead.objects.get(pk=audit_stream(clerk.pk))
    assert (head.seq, head.hash) == (event.stream_seq, event.hash)
    assert verify_chain() == (1, None)


def test_a_recorded_event_is_stored_as_hashed_and_the_chain_verifies():
    clerk = StaffFactory()
    for i in range(3):
        with transaction.atomic():
            AuditAppender(clerk).record(action="test.done", data={"i": i, "text": "<b>т</b>"})

    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.stream_seq for e in events] == [1, 2, 3]
    assert all(event_hash(e) == e.hash for e in events)
    assert verify_chain() == (3, None)
