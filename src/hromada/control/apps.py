from django.apps import AppConfig


def _register() -> None:
    """Put "Моя робота" and the discipline statistics in the staff navigation and dashboard."""
    from typing import cast

    from django.utils.translation import gettext_lazy as _

    from hromada.control import views
    from hromada.core.registry import DashboardPanel, NavItem, registry

    registry.add_nav(
        NavItem(
            key="my-work", label=cast(str, _("Моя робота")), url_name="control:my_work", order=20
        )
    )
    registry.add_nav(
        NavItem(
            key="discipline",
            label=cast(str, _("Виконавська дисципліна")),
            url_name="control:discipline",
            perm="control.view_statistics",
            order=40,
        )
    )
    registry.add_panel(
        DashboardPanel(
            key="my-work", title=cast(str, _("Моя робота")), render=views.my_work_panel, order=5
        )
    )
    registry.add_demo_loader("control-reminders", _keep_sweep_scheduled, order=200)
    registry.add_panel(
        DashboardPanel(
            key="overdue-by-unit",
            title=cast(str, _("Прострочені доручення за підрозділами")),
            render=views.overdue_panel,
            perm="control.view_statistics",
            order=30,
        )
    )


def _keep_sweep_scheduled() -> str | None:
    """Keep the daily reminder sweep queued on a demo installation (`make run` runs the demo)."""
    from hromada.control.tasks import schedule_daily_sweep

    return "Daily reminder sweep queued for the task worker." if schedule_daily_sweep() else None


class ControlConfig(AppConfig):
    name = "hromada.control"
    label = "control"
    verbose_name = "Контроль виконання"

    def ready(self) -> None:
        _register()
