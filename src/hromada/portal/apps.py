from django.apps import AppConfig


def _register() -> None:
    """Add the portal's demo loader (rubrics, resources, objects, building passports)."""
    from hromada.core.registry import registry
    from hromada.portal.demo import load_demo_portal

    registry.add_demo_loader("portal", load_demo_portal, order=70)


class PortalConfig(AppConfig):
    name = "hromada.portal"
    label = "portal"
    verbose_name = "Портал і ресурсний центр"

    def ready(self) -> None:
        _register()
