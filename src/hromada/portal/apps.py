from django.apps import AppConfig


def _register() -> None:
    """Add the portal's demo loader and the polls' staff screen; follow Wagtail publishing."""
    from typing import cast

    from django.apps import apps
    from django.utils.translation import gettext_lazy as _

    from hromada.core.registry import NavItem, registry
    from hromada.portal.demo import load_demo_polls, load_demo_portal

    registry.add_demo_loader("portal", load_demo_portal, order=70)
    registry.add_demo_loader("portal-polls", load_demo_polls, order=71)
    registry.add_nav(
        NavItem(
            key="portal-polls",
            label=cast(str, _("Опитування")),
            url_name="portal:staff_polls",
            perm="portal.manage_polls",
            order=80,
        )
    )
    if apps.is_installed("wagtail"):
        # Editorial content on portal pages (home news, banners): cached pages go stale
        # when a page is published or unpublished.
        import importlib

        signals = importlib.import_module("wagtail.signals")
        signals.page_published.connect(_content_changed, dispatch_uid="portal-page-published")
        signals.page_unpublished.connect(_content_changed, dispatch_uid="portal-page-unpublished")


def _content_changed(**kwargs: object) -> None:
    from django.db import transaction

    from hromada.portal.cache import portal_changed

    transaction.on_commit(portal_changed)


class PortalConfig(AppConfig):
    name = "hromada.portal"
    label = "portal"
    verbose_name = "Портал і ресурсний центр"

    def ready(self) -> None:
        _register()
