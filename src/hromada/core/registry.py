"""Extension points the modules fill: staff navigation, dashboard panels, metrics, demo data.

A module registers its entries from its AppConfig.ready(); the staff shell
renders whatever is registered, so the shell never imports the modules.
Metrics are named figures of live platform data over a date range (e.g. appeals
received) that reports bind to; demo loaders add a module's demo data after
``hromada demo`` has loaded the city.
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


@dataclass
class Registry:
    nav: dict[str, NavItem] = field(default_factory=dict)
    panels: dict[str, DashboardPanel] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    demo_loaders: dict[str, DemoLoader] = field(default_factory=dict)

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
        return sorted(
            (i for i in self.nav.values() if user.has_perm(i.perm)), key=lambda i: (i.order, i.key)
        )

    def panels_for(self, user: Any) -> list[DashboardPanel]:
        return sorted(
            (p for p in self.panels.values() if user.has_perm(p.perm)),
            key=lambda p: (p.order, p.key),
        )


# Filled once at start-up from AppConfig.ready(); read-only afterwards.
registry = Registry()
