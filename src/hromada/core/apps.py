from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """Create the database cache table that rate limits rely on (idempotent)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def _register_notifications_ui() -> None:
    """Put "Мої сповіщення" on the staff dashboard and "Сповіщення" in the navigation."""
    from typing import cast

    from django.utils.translation import gettext_lazy as _

    from hromada.core.notification_views import notifications_panel
    from hromada.core.registry import DashboardPanel, NavItem, registry

    registry.add_panel(
        DashboardPanel(
            key="notifications",
            title=cast(str, _("Мої сповіщення")),
            render=notifications_panel,
            order=10,
        )
    )
    registry.add_nav(
        NavItem(
            key="notifications",
            label=cast(str, _("Сповіщення")),
            url_name="notifications",
            order=90,
        )
    )


def _register_audit_ui() -> None:
    """Put "Журнал аудиту" in the staff navigation of security officers."""
    from typing import cast

    from django.utils.translation import gettext_lazy as _

    from hromada.core.registry import NavItem, registry

    registry.add_nav(
        NavItem(
            key="audit",
            label=cast(str, _("Журнал аудиту")),
            url_name="audit_list",
            perm="core.view_audit",
            order=900,
        )
    )


class CoreConfig(AppConfig):
    name = "hromada.core"
    label = "core"
    verbose_name = "Ядро"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="hromada_cache_table")
        _register_audit_ui()
        _register_notifications_ui()
