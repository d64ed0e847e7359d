"""Reads of the editorial content: listings with filters, latest news, banners, search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hromada.content.models import (
    MATERIAL_MODELS,
    Banner,
    MaterialKind,
    MaterialPage,
    PortalIndexPage,
    ProcurementPage,
    RegulatoryActPage,
    SectionPage,
)
from hromada.portal.search import matches, query_terms

LISTING_FIELDS = (
    "id",
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "content_type_id",
    "date",
    "summary",
    "unit__short_name",
    "unit__name",
    "live",
    "locale_id",
)


def kind_of_content_type() -> dict[int, str]:
    """Return each material model's content type id with its kind."""
    types = ContentType.objects.get_for_models(*MATERIAL_MODELS.values())
    return {types[model].pk: kind for kind, model in MATERIAL_MODELS.items()}


def live_materials() -> QuerySet[MaterialPage]:
    """Return the live materials, newest first."""
    return cast(QuerySet[MaterialPage], MaterialPage.objects.live().order_by("-date", "-pk"))


@dataclass
class MaterialFilter:
    """The filters of a section's listing, parsed from the query string (bad values ignored)."""

    kind: str = ""
    tag: str = ""
    year: int | None = None
    month: int | None = None
    q: str = ""
    act_kind: str = ""
    act_status: str = ""
    procedure: str = ""
    open_only: bool = False

    @classmethod
    def from_query(cls, params: Any) -> MaterialFilter:
        def number(name: str, low: int, high: int) -> int | None:
            raw = str(params.get(name, ""))[:6]
            return int(raw) if raw.isdigit() and low <= int(raw) <= high else None

        kind = params.get("kind", "")
        act_kind = params.get("act_kind", "")
        act_status = params.get("status", "")
        procedure = params.get("procedure", "")
        return cls(
            kind=kind if kind in MaterialKind.values else "",
            tag=str(params.get("tag", ""))[:100],
            year=number("year", 2000, 2100),
            month=number("month", 1, 12),
            q=str(params.get("q", ""))[:200],
            act_kind=act_kind if act_kind in RegulatoryActPage.ActKind.values else "",
            act_status=act_status if act_status in RegulatoryActPage.Status.values else "",
            procedure=procedure if procedure in ProcurementPage.Procedure.values else "",
            open_only=params.get("open", "") == "1",
        )

    @property
    def active(self) -> bool:
        return any(
            (self.kind, self.tag, self.year, self.month, self.q, self.act_kind, self.act_status)
        ) or bool(self.procedure or self.open_only)


def section_materials(section: SectionPage, flt: MaterialFilter) -> QuerySet[MaterialPage]:
    """Return the live materials of a section and its subsections, filtered, newest first."""
    qs = live_materials().filter(path__startswith=section.path, depth__gt=section.depth)
    if flt.kind:
        model = MATERIAL_MODELS[flt.kind]
        qs = qs.filter(content_type=ContentType.objects.get_for_model(model))
    if flt.tag:
        qs = qs.filter(tagged_items__tag__slug=flt.tag)
    if flt.year:
        qs = qs.filter(date__year=flt.year)
        if flt.month:
            qs = qs.filter(date__month=flt.month)
    if flt.q:
        terms = query_terms(flt.q)
        if terms:
            qs = qs.filter(matches(terms))
    if flt.kind == MaterialKind.REGULATORY_ACT:
        if flt.act_kind:
            qs = qs.filter(regulatoryactpage__act_kind=flt.act_kind)
        if flt.act_status:
            qs = qs.filter(regulatoryactpage__status=flt.act_status)
    if flt.kind == MaterialKind.PROCUREMENT:
        if flt.procedure:
            qs = qs.filter(procurementpage__procedure=flt.procedure)
        if flt.open_only:
            qs = qs.filter(
                Q(procurementpage__deadline__isnull=True)
                | Q(procurementpage__deadline__gt=timezone.now())
            )
    return qs


def section_kinds(section: SectionPage) -> list[tuple[str, str]]:
    """Return the kinds of material a section holds, for its filter."""
    kinds = kind_of_content_type()
    present = set(
        live_materials()
        .filter(path__startswith=section.path, depth__gt=section.depth)
        .order_by()
        .values_list("content_type_id", flat=True)
        .distinct()
    )
    labels = dict(MaterialKind.choices)
    return [(k, str(labels[k])) for ct, k in kinds.items() if ct in present]


def section_years(section: SectionPage) -> list[int]:
    """Return the years the section has materials for, newest first."""
    dates = (
        live_materials()
        .filter(path__startswith=section.path, depth__gt=section.depth)
        .dates("date", "year", order="DESC")
    )
    return [d.year for d in dates]


def subsections(section: SectionPage | PortalIndexPage) -> QuerySet[SectionPage]:
    """Return the live sections directly under a page, in tree order."""
    return cast(
        QuerySet[SectionPage], SectionPage.objects.child_of(section).live().order_by("path")
    )


def sections_with_counts(index: PortalIndexPage) -> list[dict[str, Any]]:
    """Return the top-level sections with the number of live materials in each."""
    sections = list(subsections(index).select_related("unit"))
    counts: dict[str, int] = {}
    if sections:
        rows = (
            live_materials()
            .filter(path__startswith=index.path)
            .order_by()
            .values_list("path")
            .annotate(n=Count("pk"))
        )
        step = index.depth * 4 + 4
        for path, n in rows:
            counts[path[:step]] = counts.get(path[:step], 0) + n
    return [{"section": s, "count": counts.get(s.path, 0)} for s in sections]


def latest_materials(limit: int = 6) -> list[MaterialPage]:
    """Return the newest live materials for the portal home."""
    return list(live_materials().select_related("unit")[:limit])


def banners_shown(*, day: date, section: SectionPage | None = None) -> list[Banner]:
    """Return the banners shown on a day: on the home page, or on a section."""
    qs = Banner.objects.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))
    if section is None:
        qs = qs.filter(placement=Banner.Placement.HOME)
    else:
        qs = qs.filter(placement=Banner.Placement.SECTION, section=section)
    return list(qs.select_related("image").order_by("order", "pk"))


def materials_search(q: str, *, limit: int = 20) -> tuple[int, list[MaterialPage]]:
    """Return the number of live materials matching a query (Ukrainian lemmas) and the newest."""
    terms = query_terms(q)
    if not terms:
        return 0, []
    qs = live_materials().filter(matches(terms))
    items = list(qs[:limit])
    total = len(items) if len(items) < limit else qs.count()
    return total, items
