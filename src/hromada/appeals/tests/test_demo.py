"""The appeals demo data: loaded on top of the demo city, once, deterministic."""

from __future__ import annotations

import pytest
from django.db.models import Max
from django.utils import timezone

from hromada.accounts.demo import load_demo
from hromada.accounts.models import OrgUnit, User
from hromada.appeals import rooms, services
from hromada.appeals.demo import load_demo_appeals
from hromada.appeals.factories import card
from hromada.appeals.models import (
    Appeal,
    IncomingMail,
    ReceptionRoom,
    ReceptionSchedule,
)
from hromada.control.models import Resolution

pytestmark = pytest.mark.django_db


def test_demo_appeals_load_once_with_rooms_schedules_and_outcomes() -> None:
    load_demo(officials=120)
    message = load_demo_appeals(appeals=300)
    assert message is not None
    assert "300 appeals" in message
    assert load_demo_appeals(appeals=300) is None  # a second run adds nothing
    assert Appeal.objects.filter(source_ref__startswith="demo:appeals").count() == 300
    assert ReceptionRoom.objects.count() >= 120
    visiting = ReceptionSchedule.objects.filter(kind=ReceptionSchedule.Kind.VISITING)
    assert set(visiting.values_list("district", flat=True)) == {
        "DOV",
        "ING",
        "MET",
        "POK",
        "SAK",
        "TER",
        "TSM",
    }
    states = set(Appeal.objects.values_list("state", flat=True))
    assert {Appeal.State.CLOSED, Appeal.State.IN_WORK, Appeal.State.NOT_CONSIDERED} <= states
    closed = Appeal.objects.filter(state=Appeal.State.CLOSED).first()
    assert closed is not None
    assert closed.answers.filter(state="sent").exists()
    assert Resolution.objects.filter(control_type="appeals.appeal").exists()
    assert IncomingMail.objects.filter(state=IncomingMail.State.FAILED).count() == 1
    assert rooms.rooms_search("благоустрій").exists()


def test_demo_numbers_continue_gaplessly_after_loading() -> None:
    load_demo(officials=60)
    load_demo_appeals(appeals=120)
    vk = OrgUnit.objects.get(code="VK")
    year = timezone.localdate().year
    before = Appeal.objects.filter(unit=vk, year=year).aggregate(m=Max("seq"))["m"] or 0
    operator = User.objects.get(email="operator@demo.hromada.local")
    registered = services.appeal_register(
        actor=operator, body=vk, channel="hotline", card=card(surname="Новенька", phone="")
    ).appeal
    assert registered.seq == before + 1
