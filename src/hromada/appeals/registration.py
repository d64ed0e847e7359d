"""What the appeals module tells the rest of the platform: control type, nav, panels, demo."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.utils.translation import gettext_lazy as _


def awaiting_resolution(user: Any) -> Iterable[Any]:
    """Appeals waiting for this head's resolution (the "My work" screen)."""
    from hromada.appeals import selectors

    return selectors.awaiting_resolution(user)


def register_with_platform() -> None:
    """Called once from AppealsConfig.ready()."""
    from hromada.appeals import services, terms
    from hromada.appeals.metrics import register_metrics
    from hromada.appeals.models import Appeal
    from hromada.control.types import ControlledType, register_controlled_type
    from hromada.core.registry import registry

    register_metrics(registry)
    register_controlled_type(
        ControlledType(
            model=Appeal,
            label=cast(str, _("звернення громадянина")),
            start_date=lambda appeal: appeal.reg_date,
            can_view=lambda user, appeal: user.has_perm("appeals.view_appeal", appeal),
            max_due_date=lambda appeal: terms.latest_due_date(appeal.reg_date),
            on_resolution=services.on_resolution,
            on_completed=services.on_completed,
            awaiting_resolution=awaiting_resolution,
            notice_title=lambda appeal: appeal.notice_title,
        )
    )
    _register_staff_workspace(registry)
    from hromada.appeals.answer_views import register_panels

    register_panels(registry)  # answers to sign (A5)
    _register_intake(registry)


def _register_intake(registry: Any) -> None:
    """Mailbox, receptions and reception rooms (A3): navigation, demo data, mailbox poll."""
    from hromada.core.registry import NavItem

    for key, label, url_name, perm, order in (
        ("appeals-mailbox", _("Листи зі скриньки"), "appeals:mailbox", "appeals.read_mailbox", 38),
        (
            "appeals-receptions",
            _("Особистий прийом"),
            "appeals:receptions",
            "core.access_staff",
            39,
        ),
        (
            "appeals-reception-journal",
            _("Журнал прийому"),
            "appeals:reception_journal",
            "appeals.keep_reception_journal",
            40,
        ),
        (
            "appeals-rooms",
            _("Віртуальні приймальні"),
            "appeals:staff_rooms",
            "core.access_staff",
            41,
        ),
    ):
        registry.add_nav(
            NavItem(key=key, label=cast(str, label), url_name=url_name, perm=perm, order=order)
        )
    registry.add_demo_loader("appeals", _load_demo, order=150)
    registry.add_demo_loader("appeals-mailbox", _keep_mailbox_polled, order=210)


def _load_demo() -> str | None:
    from hromada.appeals.demo import load_demo_appeals

    return load_demo_appeals()


def _keep_mailbox_polled() -> str | None:
    """Keep the mailbox poll queued when a mailbox is configured (`make run` runs the demo)."""
    from hromada.appeals.mailbox import schedule_mailbox_poll

    return "Mailbox poll queued for the task worker." if schedule_mailbox_poll() else None


def _register_staff_workspace(registry: Any) -> None:
    """Navigation items and the dashboard panel of the appeals staff workspace (A1)."""
    from hromada.appeals import staff_views
    from hromada.core.registry import DashboardPanel, NavItem

    registry.add_nav(
        NavItem(key="appeals", label=cast(str, _("Звернення")), url_name="appeals:queue", order=35)
    )
    registry.add_nav(
        NavItem(
            key="appeals-new",
            label=cast(str, _("Нове звернення")),
            url_name="appeals:staff_new",
            perm="appeals.register",
            order=36,
        )
    )
    registry.add_nav(
        NavItem(
            key="appeals-drafts",
            label=cast(str, _("Чернетки")),
            url_name="appeals:drafts",
            perm="appeals.register",
            order=37,
        )
    )
    registry.add_panel(
        DashboardPanel(
            key="appeals-work",
            title=cast(str, _("Звернення громадян")),
            render=staff_views.dashboard_panel,
            order=20,
        )
    )
