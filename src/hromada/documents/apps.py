from django.apps import AppConfig


def _register() -> None:
    """Put documents under execution control; add navigation, a panel and the demo loader."""
    from typing import cast

    from django.utils import timezone
    from django.utils.translation import gettext_lazy as _

    from hromada.control.types import ControlledType, register_controlled_type
    from hromada.core.registry import DashboardPanel, NavItem, registry
    from hromada.documents import demo, selectors, services, views
    from hromada.documents.models import Document

    register_controlled_type(
        ControlledType(
            model=Document,
            label=cast(str, _("документ")),
            start_date=lambda doc: doc.reg_date or timezone.localdate(),
            can_view=lambda user, doc: user.has_perm("documents.view_document", doc),
            on_resolution=services.on_resolution,
            on_completed=services.on_completed,
            awaiting_resolution=selectors.awaiting_resolution,
            notice_title=lambda doc: doc.notice_title,
        )
    )
    registry.add_nav(
        NavItem(
            key="documents",
            label=cast(str, _("Документи")),
            url_name="documents:list",
            order=30,
        )
    )
    registry.add_nav(
        NavItem(
            key="documents-register",
            label=cast(str, _("Реєстрація документа")),
            url_name="documents:register",
            perm="documents.register",
            order=31,
        )
    )
    registry.add_nav(
        NavItem(
            key="documents-archive",
            label=cast(str, _("Номенклатура справ і архів")),
            url_name="documents:cases",
            perm="documents.manage_cases",
            order=32,
        )
    )
    registry.add_panel(
        DashboardPanel(
            key="documents-approvals",
            title=cast(str, _("Документи на погодження і підпис")),
            render=views.approvals_panel,
            order=15,
        )
    )
    registry.add_demo_loader("documents", demo.load_demo_documents, order=70)


class DocumentsConfig(AppConfig):
    name = "hromada.documents"
    label = "documents"
    verbose_name = "Документообіг"

    def ready(self) -> None:
        _register()
