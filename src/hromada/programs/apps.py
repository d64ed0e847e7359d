from django.apps import AppConfig


def _register() -> None:
    """Put programmes in the staff navigation and dashboard; add metrics and the demo loader."""
    from typing import cast

    from django.utils.translation import gettext_lazy as _

    from hromada.core.registry import DashboardPanel, NavItem, registry
    from hromada.programs.demo import load_demo_programme
    from hromada.programs.metrics import register_builtin_metrics
    from hromada.programs.views import progress_panel

    registry.add_nav(
        NavItem(
            key="programs",
            label=cast(str, _("Програми")),
            url_name="programs:staff_list",
            perm="programs.view_programme",
            order=60,
        )
    )
    registry.add_nav(
        NavItem(
            key="programs-progress",
            label=cast(str, _("Виконання програм")),
            url_name="programs:progress",
            perm="programs.view_programme",
            order=61,
        )
    )
    registry.add_panel(
        DashboardPanel(
            key="programs-progress",
            title=cast(str, _("Виконання програм")),
            render=progress_panel,
            perm="programs.record_entry",
            order=60,
        )
    )
    register_builtin_metrics(registry)
    registry.add_demo_loader("programs", load_demo_programme, order=60)


class ProgramsConfig(AppConfig):
    name = "hromada.programs"
    label = "programs"
    verbose_name = "Міські програми"

    def ready(self) -> None:
        _register()
