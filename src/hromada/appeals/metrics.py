"""Appeals figures the programme reports can bind indicators to, and the statistics' nav items."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hromada.core.registry import Metric, NavItem, Registry


def _period(first: date, last: date) -> Q:
    return Q(reg_date__gte=first, reg_date__lte=last, seq__isnull=False) & ~Q(
        state__in=("draft", "discarded")
    )


def received(first: date, last: date) -> int:
    from hromada.appeals.models import Appeal

    return Appeal.objects.filter(_period(first, last)).count()


def answered(first: date, last: date) -> int:
    from hromada.appeals.models import Appeal

    return Appeal.objects.filter(_period(first, last), answered_at__isnull=False).count()


def answered_on_time(first: date, last: date) -> int:
    from hromada.appeals.models import Appeal

    return Appeal.objects.filter(
        _period(first, last), answered_at__isnull=False, answered_at__date__lte=F("due_date")
    ).count()


def resolved_positively(first: date, last: date) -> int:
    from hromada.appeals.models import Appeal

    return Appeal.objects.filter(_period(first, last), result="9.1").count()


def receptions_held(first: date, last: date) -> int:
    from hromada.appeals.models import ReceptionRecord

    return ReceptionRecord.objects.filter(date__gte=first, date__lte=last).count()


def register_metrics(target: Registry) -> None:
    """Called from AppealsConfig.ready()."""
    for key, label, compute in (
        ("appeals.received", _("Кількість звернень громадян, що надійшли"), received),
        ("appeals.answered", _("Кількість звернень, на які надано відповідь"), answered),
        (
            "appeals.answered_on_time",
            _("Кількість звернень, розглянутих у встановлений строк"),
            answered_on_time,
        ),
        (
            "appeals.resolved_positively",
            _("Кількість звернень, вирішених позитивно (9.1)"),
            resolved_positively,
        ),
        (
            "appeals.receptions",
            _("Кількість громадян, прийнятих на особистому прийомі"),
            receptions_held,
        ),
    ):
        target.add_metric(Metric(key=key, label=cast(str, label), unit="од.", compute=compute))
    target.add_nav(
        NavItem(
            key="appeals-dashboard",
            label=cast(str, _("Звернення: огляд")),
            url_name="appeals:dashboard",
            perm="appeals.view_statistics",
            order=45,
        )
    )
    target.add_nav(
        NavItem(
            key="appeals-retention",
            label=cast(str, _("Звернення: строки зберігання")),
            url_name="appeals:retention",
            perm="appeals.view_retention",
            order=47,
        )
    )
    target.add_nav(
        NavItem(
            key="appeals-report",
            label=cast(str, _("Звіт за класифікатором 858")),
            url_name="appeals:report",
            perm="appeals.view_statistics",
            order=46,
        )
    )
