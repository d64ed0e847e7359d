"""Extension points the modules fill: staff navigation, dashboard panels, metrics, demo data.

A module registers its entries from its AppConfig.ready(); the staff shell
renders whatever is registered, so the shell never imports the modules.
Metrics are named figures of live platform data over a date range (e.g. appeals
received) that reports bind to; demo loaders add a module's demo data after
``hromada demo`` has loaded the city; search providers add a type of result to the
portal search (``/search/?q=``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class NavItem:
    """A link in the staff workspace navigation, shown to users with `perm`."""

    key: str
    label: str
    url_name: str
    perm: str = "core.access_staff"
    order: int = 100
    section: str = ""


@dataclass(frozen=True)
class DashboardPanel:
    """A panel on the staff dashboard: `render(request)` returns HTML or None to hide."""

    key: str
    title: str
    render: Callable[[HttpRequest], str | None]
    perm: str = "core.access_staff"
    order: int = 100


@dataclass(frozen=True)
class Metric:
    """A named figure of live data: `compute(first_day, last_day)` counts it over those days."""

    key: str
    label: str
    unit: str
    compute: Callable[[date, date], Decimal | int]


@dataclass(frozen=True)
class DemoLoader:
    """A module's demo data: `load()` adds it unless present; returns a summary line or None."""

    key: str
    load: Callable[[], str | None]
    order: int = 100


@dataclass(frozen=True)
class SearchHits:
    """A module's results for the portal search: a count, an HTML block, and rows for JSON."""

    total: int
    html: str
    items: list[dict[str, Any]]


@dataclass(frozen=True)
class SearchProvider:
    """A type of result in the portal search: `search(request, q, limit)` returns its hits."""

    key: str
    label: str
    search: Callable[[HttpRequest | None, str, int], SearchHits]
    order: int = 100


@dataclass
class Registry:
    nav: dict[str, NavItem] = field(default_factory=dict)
    panels: dict[str, DashboardPanel] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    demo_loaders: dict[str, DemoLoader] = field(default_factory=dict)
    search_providers: dict[str, SearchProvider] = field(default_factory=dict)

    def add_search_provider(self, provider: SearchProvider) -> None:
        self.search_providers[provider.key] = provider

    def search_providers_in_order(self) -> list[SearchProvider]:
        return sorted(self.search_providers.values(), key=lambda p: (p.order, p.key))

    def add_nav(self, item: NavItem) -> None:
        self.nav[item.key] = item

    def add_panel(self, panel: DashboardPanel) -> None:
        self.panels[panel.key] = panel

    def add_metric(self, metric: Metric) -> None:
        self.metrics[metric.key] = metric

    def add_demo_loader(
        self, key: str, load: Callable[[], str | None], *, order: int = 100
    ) -> None:
        self.demo_loaders[key] = DemoLoader(key=key, load=load, order=order)

    def demo_loaders_in_order(self) -> list[DemoLoader]:
        return sorted(self.demo_loaders.values(), key=lambda d: (d.order, d.key))

    def nav_for(self, user: Any) -> list[NavItem]:
        """Return the navigation entries the user may see, in order.

        Each distinct permission is asked once per request (items share them, and the
        dashboard asks its panels' too): see accounts.permissions.has_perm_memo.
        """
        from hromada.accounts.permissions import has_perm_memo

        return sorted(
            (i for i in self.nav.values() if has_perm_memo(user, i.perm)),
            key=lambda i: (i.order, i.key),
        )

    def panels_for(self, user: Any) -> list[DashboardPanel]:
        from hromada.accounts.permissions import has_perm_memo

        return sorted(
            (p for p in self.panels.values() if has_perm_memo(user, p.perm)),
            key=lambda p: (p.order, p.key),
        )


# Filled once at start-up from AppConfig.ready(); read-only afterwards.
registry = Registry()
