from django.apps import AppConfig


def _register() -> None:
    """Add the demo materials, materials in the portal search; follow Wagtail's publishing."""
    from typing import cast

    from django.utils.translation import gettext_lazy as _
    from wagtail.signals import page_published, page_unpublished

    from hromada.content import signals
    from hromada.content.demo import load_demo_content
    from hromada.content.search import search_materials
    from hromada.core.registry import NavItem, SearchProvider, registry

    registry.add_demo_loader("content", load_demo_content, order=75)
    registry.add_search_provider(
        SearchProvider(
            key="materials", label=cast(str, _("Матеріали")), search=search_materials, order=10
        )
    )
    registry.add_nav(
        NavItem(
            key="content-cms",
            label=cast(str, _("Сайт: матеріали")),
            url_name="wagtailadmin_home",
            perm="wagtailadmin.access_admin",
            order=85,
        )
    )
    page_published.connect(signals.page_published, dispatch_uid="content-page-published")
    page_unpublished.connect(signals.page_unpublished, dispatch_uid="content-page-unpublished")


class ContentConfig(AppConfig):
    name = "hromada.content"
    label = "content"
    verbose_name = "Сайт: розділи і матеріали"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        _register()
