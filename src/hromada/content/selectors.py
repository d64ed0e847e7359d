"""Reads of the editorial content: listings with filters, latest news, banners, search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, cast

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone
from wagtail.models import Page

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
from hromada.portal.search import matches, prefix_query, query_terms

# What a search result shows and its URL needs (content.search, _search_results.html).
SEARCH_FIELDS = ("id", "title", "url_path", "path", "depth", "date", "summary", "locale_id")


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
            qs = matching(qs, terms)
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


@dataclass
class SectionFacets:
    """What a section's filter offers, and how many live materials it holds in all."""

    kinds: list[tuple[str, str]]
    years: list[int]
    total: int


def section_facets(section: SectionPage) -> SectionFacets:
    """Return a section's kinds, years and material count (with its subsections): one query."""
    rows = (
        live_materials()
        .filter(path__startswith=section.path, depth__gt=section.depth)
        .order_by()
        .values_list("content_type_id", ExtractYear("date"))
        .annotate(n=Count("pk"))
    )
    present: set[int] = set()
    years: set[int] = set()
    total = 0
    for content_type_id, year, n in rows:
        present.add(content_type_id)
        years.add(year)
        total += n
    labels = dict(MaterialKind.choices)
    kinds = [(k, str(labels[k])) for ct, k in kind_of_content_type().items() if ct in present]
    return SectionFacets(kinds=kinds, years=sorted(years, reverse=True), total=total)


def subsections(section: SectionPage | PortalIndexPage) -> QuerySet[SectionPage]:
    """Return the live sections directly under a page, in tree order."""
    return cast(
        QuerySet[SectionPage], SectionPage.objects.child_of(section).live().order_by("path")
    )


def sections_with_counts(index: PortalIndexPage) -> list[dict[str, Any]]:
    """Return the top-level sections with the number of live materials in each.

    Counted on Wagtail's page table alone (live pages of a material type, grouped by the
    first path step under the index): no join with the materials' table.
    """
    sections = list(subsections(index).select_related("unit"))
    counts: dict[str, int] = {}
    if sections:
        step = index.depth * Page.steplen + Page.steplen
        rows = (
            Page.objects.filter(
                path__startswith=index.path,
                depth__gt=index.depth + 1,
                live=True,
                content_type_id__in=list(kind_of_content_type()),
            )
            .order_by()
            .annotate(prefix=Substr("path", 1, step))
            .values_list("prefix")
            .annotate(n=Count("pk"))
        )
        counts = dict(rows)
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


def matching(qs: QuerySet[MaterialPage], terms: list[str]) -> QuerySet[MaterialPage]:
    """Filter materials to those whose lemmas hold every term as a word prefix.

    PostgreSQL: the stored ``search_vector`` (migration 0003) through its GIN index, with
    the portal's prefix tsquery (``prefix_query``: each lexeme quoted, so nothing in a query
    is an operator; a typo also a letter shorter). Elsewhere (SQLite): ``LIKE '% term%'``
    over ``search_text``, as the portal's objects.
    """
    if connection.vendor != "postgresql":
        return qs.filter(matches(terms))
    return qs.filter(
        RawSQL(
            '"content_materialpage"."search_vector" @@ to_tsquery(\'simple\'::regconfig, %s)',
            (prefix_query(terms),),
            output_field=BooleanField(),
        )
    )


class MaterialHits(NamedTuple):
    """Search results: the count (exact up to SEARCH_COUNT_CAP), the newest rows, and whether
    more than SEARCH_COUNT_CAP materials match."""

    total: int
    items: list[MaterialPage]
    more: bool = False


# Matches are counted up to this many ("понад 1000" beyond): an exact count of a word in
# half of 54,000 materials visits half the table, a capped one stops at the cap.
SEARCH_COUNT_CAP = 1000


def _capped_count(terms: list[str]) -> int:
    """Count the live matches, stopping at SEARCH_COUNT_CAP + 1.

    "Live" is asked row by row (a scalar subquery on Wagtail's primary key) rather than by a
    join: a join lets PostgreSQL read the whole page table when it expects few matches.
    """
    live = Subquery(Page.objects.filter(pk=OuterRef("pk")).order_by().values("live")[:1])
    qs = matching(MaterialPage.objects.order_by(), terms).filter(
        ExpressionWrapper(live, output_field=BooleanField())
    )
    return qs[: SEARCH_COUNT_CAP + 1].count()


def materials_search(q: str, *, limit: int = 20) -> MaterialHits:
    """Return the live materials matching a query (Ukrainian lemmas), newest first.

    Matching, ordering, the limit and the (capped) count are done by the database; the
    listed rows carry only what a result shows (no body, no search text).
    """
    terms = query_terms(q)
    if not terms:
        return MaterialHits(0, [])
    qs = matching(live_materials(), terms)
    items = list(qs.only(*SEARCH_FIELDS)[:limit])
    if len(items) < limit:
        return MaterialHits(len(items), items)
    total = _capped_count(terms)
    return MaterialHits(min(total, SEARCH_COUNT_CAP), items, total > SEARCH_COUNT_CAP)
