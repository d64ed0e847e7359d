from __future__ import annotations

import pytest

from hromada.accounts.demo import load_demo
from hromada.accounts.models import User
from hromada.control import selectors as control_selectors
from hromada.control.models import Assignment, Resolution
from hromada.control.services import reminders_sweep
from hromada.documents import selectors
from hromada.documents.demo import load_demo_documents
from hromada.documents.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city():
    load_demo(officials=60)


def test_the_demo_adds_a_year_of_documents_once(demo_city):
    message = load_demo_documents(per_day=1)
    assert message is not None
    count = Document.objects.count()
    assert count > 300
    assert load_demo_documents(per_day=1) is None
    assert Document.objects.count() == count


def test_the_demo_numbers_are_gapless_and_registration_continues_them(demo_city):
    from hromada.documents import services
    from hromada.documents.models import Journal

    load_demo_documents(per_day=1)
    journal = Journal.objects.get(code="VK-VH")
    operator = User.objects.get(email="operator@demo.hromada.local")
    year_docs = Document.objects.filter(journal=journal, year=services._today().year)
    last = max(year_docs.values_list("seq", flat=True))
    assert sorted(year_docs.values_list("seq", flat=True)) == list(range(1, last + 1))
    document = services.document_register(
        journal=journal,
        actor=operator,
        card=services.Card(
            summary="Новий лист",
            correspondent=Document.objects.filter(correspondent__isnull=False)
            .first()
            .correspondent,
            received_date=services._today(),
            channel="post",
        ),
    )
    assert document.seq == last + 1


def test_the_demo_gives_every_kind_of_assignment_state(demo_city):
    load_demo_documents(per_day=1)
    states = set(Assignment.objects.values_list("state", flat=True))
    assert {"done", "in_progress", "reported"} <= states
    assert Resolution.objects.filter(control_state="removed").exists()


def test_the_demo_head_and_executor_have_work(demo_city):
    load_demo_documents(per_day=1)
    head = User.objects.get(email="head@demo.hromada.local")
    work = control_selectors.my_work(user=head)
    assert work.to_resolve
    executor = User.objects.get(email="executor@demo.hromada.local")
    assert Assignment.objects.filter(executor=executor).exists()


def test_statistics_and_search_work_on_the_demo(demo_city):
    load_demo_documents(per_day=1)
    controller = User.objects.get(email="controller@demo.hromada.local")
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    rows = control_selectors.discipline_by_unit(
        viewer=controller, start=today - timedelta(days=400), end=today + timedelta(days=60)
    )
    assert sum(r.due for r in rows) == Assignment.objects.count()
    found = selectors.documents_list(
        user=controller, criteria=selectors.DocumentFilter(query="покрівлі")
    )
    assert found.exists()


def test_the_first_sweep_after_the_demo_sends_only_new_reminders(demo_city):
    load_demo_documents(per_day=1)
    result = reminders_sweep()
    assert "overdue" not in result.sent
