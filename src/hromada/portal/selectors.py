"""Reads of the portal: catalogue, filtered object lists, map points, search, passports."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.db.models import Count, F, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncDate

from hromada.portal.cache import current_stamp, local_memo
from hromada.portal.models import (
    AttributeType,
    BuildingPassport,
    District,
    ObjectWordCount,
    Poll,
    PollOption,
    PollVote,
    Resource,
    ResourceObject,
    Rubric,
)
from hromada.portal.schema import Attribute, parse_schema
from hromada.portal.search import match_prefix, query_terms, word_filter


def catalogue_stamp() -> str:
    """Return a stamp that changes with every write to any resource (for cache keys)."""
    agg = Resource.objects.aggregate(
        v=Sum("version"), n=Count("id"), r=Count("rubric", distinct=True)
    )
    return f"{agg['v']}:{agg['n']}:{agg['r']}:{Rubric.objects.count()}"


def rubrics_with_resources() -> list[Rubric]:
    """Return the rubrics with their resources and object counts (cached until a write)."""
    key = f"portal:catalogue:{catalogue_stamp()}"
    cached: list[Rubric] | None = cache.get(key)
    if cached is None:
        cached = _rubrics_with_resources()
        cache.set(key, cached, settings.HROMADA_PORTAL_CACHE_SECONDS)
    return cached


def _rubrics_with_resources() -> list[Rubric]:
    resources = Resource.objects.annotate(object_count=Count("objects_set")).order_by(
        "order", "name"
    )
    return list(
        Rubric.objects.prefetch_related(Prefetch("resources", queryset=resources)).order_by(
            "order", "name"
        )
    )


def schema_of(resource: Resource) -> list[Attribute]:
    """Return a resource's attributes (none if its stored schema is broken: pages still work)."""
    try:
        return parse_schema(resource.attribute_schema)
    except ValueError:
        return []


def filterable_attributes(resource: Resource) -> list[Attribute]:
    """Return the attributes a visitor may filter a resource's objects by."""
    return [
        a for a in schema_of(resource) if a.type in (AttributeType.BOOLEAN, AttributeType.CHOICE)
    ]


@dataclass
class ObjectFilter:
    """A visitor's filter of a resource's objects (from the query string)."""

    q: str = ""
    district: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    # A point (latitude, longitude) in the city: the list is ordered by distance from it.
    near: tuple[float, float] | None = None

    @classmethod
    def from_query(cls, resource: Resource, params: Any) -> ObjectFilter:
        district = params.get("district", "")
        attributes: dict[str, Any] = {}
        for attr in filterable_attributes(resource):
            value = params.get(f"a_{attr.name}", "")
            if attr.type == AttributeType.BOOLEAN and value in ("1", "0"):
                attributes[attr.name] = value == "1"
            elif attr.type == AttributeType.CHOICE and value in attr.choices:
                attributes[attr.name] = value
        return cls(
            q=str(params.get("q", ""))[:200],
            district=district if district in District.values else "",
            attributes=attributes,
            near=parse_point(str(params.get("near", ""))),
        )

    def key(self) -> str:
        return json.dumps([self.q, self.district, sorted(self.attributes.items())])


def parse_point(text: str) -> tuple[float, float] | None:
    """Return "lat,lon" as a point if it is one inside the city, else None."""
    from hromada.portal.services import in_city

    try:
        lat, lon = (float(x) for x in text.split(",", 1))
    except ValueError:
        return None
    return (lat, lon) if in_city(lat, lon) else None


# Degrees of longitude are shorter than degrees of latitude by cos(latitude) (~0.67 here).
_LON_SCALE = math.cos(math.radians(47.9))
_METRES_PER_DEGREE = 111_320


def distance_metres(a: tuple[float, float], b: tuple[float, float]) -> int:
    """Return the approximate distance between two nearby points, in metres."""
    dlat = a[0] - b[0]
    dlon = (a[1] - b[1]) * _LON_SCALE
    return round(math.hypot(dlat, dlon) * _METRES_PER_DEGREE)


def resource_objects(resource: Resource, flt: ObjectFilter) -> QuerySet[ResourceObject]:
    """Return the resource's objects that match a filter, by name (or nearest first)."""
    qs = ResourceObject.objects.filter(resource=resource)
    if flt.district:
        qs = qs.filter(district=flt.district)
    for name, value in flt.attributes.items():
        qs = qs.filter(**{f"attributes__{name}": value})
    terms = query_terms(flt.q)
    if terms:
        qs = qs.filter(word_filter(terms))
    if flt.near is not None:
        lat, lon = flt.near
        square = (F("latitude") - lat) * (F("latitude") - lat) + (F("longitude") - lon) * (
            F("longitude") - lon
        ) * (_LON_SCALE * _LON_SCALE)
        return qs.filter(latitude__isnull=False).order_by(square, "pk")
    return qs.order_by("sort_key", "pk")


def resource_points(resource: Resource, flt: ObjectFilter) -> str:
    """Return the map points of the filtered objects as compact JSON (cached per version)."""
    digest = hashlib.sha1(flt.key().encode(), usedforsecurity=False).hexdigest()
    key = f"portal:points:{resource.pk}:{resource.version}:{digest}"
    cached: str | None = cache.get(key)
    if cached is not None:
        return cached
    rows = (
        resource_objects(resource, flt)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values_list("pk", "latitude", "longitude", "name")
    )
    body = json.dumps(
        [[pk, round(lat or 0, 6), round(lon or 0, 6), name] for pk, lat, lon, name in rows],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    cache.set(key, body, settings.HROMADA_PORTAL_CACHE_SECONDS)
    return body


def all_points(rubric: Rubric | None = None) -> str:
    """Return every object's map point as JSON: [id, lat, lon, name, resource index]."""
    versions = Resource.objects.values_list("pk", "version")
    if rubric is not None:
        versions = versions.filter(rubric=rubric)
    stamp = hashlib.sha1(repr(list(versions)).encode(), usedforsecurity=False).hexdigest()
    key = f"portal:allpoints:{rubric.pk if rubric else 0}:{stamp}"
    cached: str | None = cache.get(key)
    if cached is not None:
        return cached
    rows = ResourceObject.objects.filter(latitude__isnull=False, longitude__isnull=False)
    if rubric is not None:
        rows = rows.filter(resource__rubric=rubric)
    body = json.dumps(
        [
            [pk, round(lat or 0, 5), round(lon or 0, 5), name]
            for pk, lat, lon, name in rows.values_list("pk", "latitude", "longitude", "name")
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    cache.set(key, body, settings.HROMADA_PORTAL_CACHE_SECONDS)
    return body


def passports_search(q: str) -> QuerySet[BuildingPassport]:
    """Return the passports whose address matches a query (street words and number)."""
    terms = query_terms(q)
    qs = BuildingPassport.objects.all()
    if not terms:
        return qs.none()
    return qs.filter(word_filter(terms)).order_by("sort_key", "pk")


# Passports are counted up to this many ("понад 1000" beyond): the exact count of a common
# word ("ОСББ" is in 15,000 of 50,000 addresses at 10x) costs more than the rest of a search.
PASSPORT_COUNT_CAP = 1000


@dataclass
class SearchResults:
    """Portal search results, grouped by type, each group cut to a page."""

    terms: list[str]
    objects: list[ResourceObject]
    objects_total: int
    passports: list[BuildingPassport]
    passports_total: int
    resources: list[Resource]
    facets_rubric: list[dict[str, Any]]
    facets_district: list[dict[str, Any]]
    # More than passports_total (= PASSPORT_COUNT_CAP) passports match.
    passports_more: bool = False

    @property
    def total(self) -> int:
        return self.objects_total + self.passports_total + len(self.resources)

    @property
    def total_more(self) -> bool:
        """Whether the total is a lower bound (some group was counted only up to a cap)."""
        return self.passports_more


def portal_search(
    q: str, *, kind: str = "", rubric: str = "", district: str = "", limit: int = 20
) -> SearchResults:
    """Search (see _portal_search); results are kept until the portal changes.

    They are kept in this process's cache only (keyed by the portal stamp): storing them in
    the shared database cache would cost the first visitor more queries than it saves.
    """
    raw = json.dumps([current_stamp(), query_terms(q), kind, rubric, district, limit])
    key = "portal:search:" + hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()
    local = caches["local"]
    cached: SearchResults | None = local.get(key)
    if cached is None:
        cached = _portal_search(q, kind=kind, rubric=rubric, district=district, limit=limit)
        local.set(key, cached, settings.HROMADA_PORTAL_CACHE_SECONDS)
    return cached


# (id, name, slug, rubric id, rubric slug, rubric name) of a resource.
ResourceRow = tuple[int, str, str, int, str, str]


def _resource_rows() -> list[ResourceRow]:
    return list(
        Resource.objects.values_list(
            "pk", "name", "slug", "rubric_id", "rubric__slug", "rubric__name"
        ).order_by("rubric__order", "order", "name", "pk")
    )


def _narrow_resource(row: ResourceRow) -> Resource:
    """Return a resource with only its id, name, slug and rubric id loaded (others deferred)."""
    loaded = {"id": row[0], "name": row[1], "slug": row[2], "rubric_id": row[3]}
    # from_db takes the loaded fields in the model's field order.
    names = [f.attname for f in Resource._meta.concrete_fields if f.attname in loaded]
    return Resource.from_db(None, names, [loaded[name] for name in names])


def _object_groups_and_page(
    found: QuerySet[ResourceObject], district: str, resource_ids: list[int] | None, limit: int
) -> tuple[list[tuple[int, str, int]], list[int]]:
    """Return the matched objects' counts per (resource, district) and the page's ids.

    PostgreSQL: one statement; the matches are read once into a materialised CTE, then
    grouped (a hash aggregate) and, filtered by district/resources, top-N sorted.
    """
    sql, params = (
        found.order_by().values_list("pk", "resource_id", "district", "sort_key").query
    ).sql_with_params()
    page_where: list[str] = ["TRUE"]
    page_params: list[Any] = []
    if district:
        page_where.append("district = %s")
        page_params.append(district)
    if resource_ids is not None:
        page_where.append("resource_id = ANY(%s)")
        page_params.append(resource_ids)
    # Only Django's compiled SQL and fixed text are joined; every value is a bound parameter.
    statement = (
        f"WITH m (id, resource_id, district, sort_key) AS MATERIALIZED ({sql}) "  # noqa: S608
        "SELECT resource_id, district, COUNT(*), NULL FROM m GROUP BY resource_id, district "
        "UNION ALL SELECT NULL, NULL, NULL, id FROM (SELECT id FROM m "
        f"WHERE {' AND '.join(page_where)} ORDER BY sort_key, id LIMIT %s) AS page"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *page_params, limit])
        rows = cursor.fetchall()
    groups = [(r, d, n) for r, d, n, pk in rows if pk is None]
    return groups, [pk for _r, _d, _n, pk in rows if pk is not None]


# (resource id, district, objects with the word, objects of the resource in the district,
# objects of the resource in all districts).
WordGroup = tuple[int, str, int, int, int]


def _one_word_groups(terms: list[str]) -> list[WordGroup] | None:
    """Return a one-term query's matches per (resource, district) from the kept counts.

    Only when the term (a typo: its shorter stem) is a prefix of at most one stored word, so
    that no object is counted twice; None otherwise (the matches must be read). One statement:
    the lowest and highest word with the prefix (two index probes), and when they are the same
    word its counts, each with its resource's count of objects in the district and in all
    districts (word "").
    """
    if len(terms) != 1:
        return None
    prefix = match_prefix(terms[0])
    table = connection.ops.quote_name(ObjectWordCount._meta.db_table)
    # The first and the last word in the prefix index's order (PostgreSQL: byte order of the
    # pattern operator class, so each is one index probe; MIN/MAX would read every word with
    # the prefix: 15 ms for "1", 57,834 rows at 10x). SQLite compares bytes anyway.
    first, last = ("USING ~<~", "USING ~>~") if connection.vendor == "postgresql" else ("", "DESC")
    # Words hold letters, digits and apostrophes only (search._WORD): no LIKE wildcards.
    statement = (
        f"WITH w AS (SELECT (SELECT word FROM {table} WHERE word LIKE %s "  # noqa: S608
        f"ORDER BY word {first} LIMIT 1) AS lo, (SELECT word FROM {table} WHERE word LIKE %s "
        f"ORDER BY word {last} LIMIT 1) AS hi) "
        "SELECT w.lo, w.hi, c.resource_id, c.district, c.n, a.n, "
        f"(SELECT SUM(s.n) FROM {table} s WHERE s.word = '' AND s.resource_id = c.resource_id) "
        f"FROM w LEFT JOIN {table} c ON c.word = w.lo AND w.lo = w.hi "
        f"LEFT JOIN {table} a ON a.word = '' AND a.resource_id = c.resource_id "
        "AND a.district = c.district"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [prefix + "%", prefix + "%"])
        rows = cursor.fetchall()
    if not rows or rows[0][0] != rows[0][1]:
        return None  # two or more words start with the term (or none: then rows[0] is NULLs)
    return [
        (r, d, n, size or 0, int(total or 0))
        for _lo, _hi, r, d, n, size, total in rows
        if r is not None
    ]


def _one_word_page(
    found: QuerySet[ResourceObject],
    groups: list[WordGroup],
    district: str,
    resource_ids: list[int] | None,
    limit: int,
) -> list[int]:
    """Return the page's ids of a one-word query from its counts, reading only page rows.

    A resource whose every object (in the chosen district; else in all districts) has the word
    is read straight from its (resource, sort_key) index, ``limit`` rows; the rest of the
    matches (resources only partly matched) by the word's index, top-N sorted. The union is
    sorted again, ``limit``.
    """
    matched: dict[int, int] = {}
    sizes: dict[int, int] = {}
    for resource_id, code, n, in_district, in_all in groups:
        if (district and code != district) or (
            resource_ids is not None and resource_id not in resource_ids
        ):
            continue
        matched[resource_id] = matched.get(resource_id, 0) + n
        # A district with objects but none with the word has no row here: compare with the
        # resource's objects in all districts, not only in those where the word is.
        sizes[resource_id] = in_district if district else in_all
    full = sorted(r for r, n in matched.items() if n == sizes[r])
    partial = sorted(r for r, n in matched.items() if n != sizes[r])
    table = connection.ops.quote_name(ResourceObject._meta.db_table)
    members: list[str] = []
    params: list[Any] = []
    rest_sql = ""
    if partial:
        rest = found.filter(resource_id__in=partial)
        if district:
            rest = rest.filter(district=district)
        sql, rest_params = (
            rest.order_by("sort_key", "pk").values_list("pk", "sort_key")[:limit].query
        ).sql_with_params()
        rest_sql = f"WITH rest (id, sort_key) AS ({sql}) "
        members.append("SELECT id, sort_key FROM rest")
        params.extend(rest_params)
    for i, resource_id in enumerate(full):
        where = "resource_id = %s" + (" AND district = %s" if district else "")
        members.append(
            f"SELECT id, sort_key FROM (SELECT id, sort_key FROM {table} "  # noqa: S608
            f"WHERE {where} ORDER BY sort_key, id LIMIT %s) AS f{i}"
        )
        params.extend([resource_id, *([district] if district else []), limit])
    if not members:
        return []
    # Only Django's compiled SQL and fixed text are joined; every value is a bound parameter.
    statement = (
        f"{rest_sql}SELECT id FROM ({' UNION ALL '.join(members)}) AS u "  # noqa: S608
        "ORDER BY sort_key, id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def _capped_count(found: QuerySet[Any], cap: int) -> int:
    """Return how many rows match, counting no further than cap + 1."""
    if connection.vendor != "postgresql":
        return found.order_by()[: cap + 1].count()
    # A LIMIT inside the counted query makes the planner pick a sequential scan that stops
    # early, not knowing that it computes every row's word list (~1.6 µs a row): 2-3x the
    # index's cost for "ОСББ". A materialised CTE is planned alone (the GIN index) and read
    # lazily, so the outer LIMIT still stops its scan at cap + 1 rows.
    sql, params = found.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH m AS MATERIALIZED ({sql}) "  # noqa: S608 - Django's SQL, bound values
            "SELECT COUNT(*) FROM (SELECT 1 FROM m LIMIT %s) AS capped",
            [*params, cap + 1],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _portal_search(
    q: str, *, kind: str = "", rubric: str = "", district: str = "", limit: int = 20
) -> SearchResults:
    """Search objects, building passports and resources; facets by rubric and district.

    Objects: one grouped query (no joins, a hash aggregate) gives the facets and the total;
    then the page's ids in display order (a narrow top-N sort) and those objects by primary
    key. Passports: the page's ids, counted only when the page is full. Resources (167) are
    matched in memory. EXPLAIN ANALYZE figures: docs/portal.md, "Search".
    """
    terms = query_terms(q)
    if not terms:
        return SearchResults([], [], 0, [], 0, [], [], [])
    district = district if district in District.values else ""
    found = ResourceObject.objects.filter(word_filter(terms))
    # Grouped by resource without joins (the big scan stays narrow); rubrics mapped here from
    # one memo of the 167 resources (also their names for matching and objects' resources).
    resource_rows: list[ResourceRow] = local_memo("resource-rows", _resource_rows)
    rubric_of = {row[0]: (row[4], row[5]) for row in resource_rows}
    rubric_ids = [pk for pk, (slug, _n) in rubric_of.items() if slug == rubric]
    page_ids: list[int] | None = None
    word_groups = _one_word_groups(terms)
    if word_groups is not None:
        # One word: facets and totals from the kept counts; only the page's rows are read.
        groups = [(r, d, n) for r, d, n, _in_district, _in_all in word_groups]
        if kind in ("", "objects"):
            page_ids = _one_word_page(
                found, word_groups, district, rubric_ids if rubric else None, limit
            )
    elif connection.vendor == "postgresql":
        groups, page_ids = _object_groups_and_page(
            found, district, rubric_ids if rubric else None, limit
        )
    else:
        groups = list(
            found.values_list("resource_id", "district").annotate(n=Count("pk")).order_by()
        )
    by_rubric: dict[tuple[str, str], int] = {}
    by_district: dict[str, int] = {}
    objects_total = 0
    for resource_id, code, n in groups:
        slug, name = rubric_of.get(resource_id, ("", ""))
        if not district or code == district:
            by_rubric[(slug, name)] = by_rubric.get((slug, name), 0) + n
        if code and (not rubric or slug == rubric):
            by_district[code] = by_district.get(code, 0) + n
        if (not district or code == district) and (not rubric or slug == rubric):
            objects_total += n
    labels = dict(District.choices)
    facets_rubric = [
        {"resource__rubric__slug": slug, "resource__rubric__name": name, "n": n}
        for (slug, name), n in sorted(by_rubric.items(), key=lambda kv: (-kv[1], kv[0][1]))
    ]
    facets_district = [
        {"district": code, "label": labels.get(code, code), "n": n}
        for code, n in sorted(by_district.items(), key=lambda kv: -kv[1])
    ]
    objects: list[ResourceObject] = []
    if kind in ("", "objects") and objects_total > 0:
        ids = page_ids
        if ids is None:
            page_of = found
            if district:
                page_of = page_of.filter(district=district)
            if rubric:
                page_of = page_of.filter(resource_id__in=rubric_ids)
            ids = list(page_of.order_by("sort_key", "pk").values_list("pk", flat=True)[:limit])
        # No join: each object gets its resource (name, slug) from the memo's rows.
        by_pk = ResourceObject.objects.defer("search_text", "sort_key").in_bulk(ids)
        resource_of = {row[0]: row for row in resource_rows}
        narrow: dict[int, Resource] = {}
        for obj in by_pk.values():
            row = resource_of.get(obj.resource_id)
            if row is not None:
                if obj.resource_id not in narrow:
                    narrow[obj.resource_id] = _narrow_resource(row)
                obj.resource = narrow[obj.resource_id]
        objects = [by_pk[pk] for pk in ids if pk in by_pk]
    passports: list[BuildingPassport] = []
    passports_total = 0
    passports_more = False
    if kind in ("", "passports") and not rubric:
        found_passports = BuildingPassport.objects.filter(word_filter(terms))
        if district:
            found_passports = found_passports.filter(district=district)
        # A result shows a passport's address only: the page's rows are read in one query.
        passports = list(found_passports.order_by("sort_key", "pk").only("pk", "address")[:limit])
        passports_total = len(passports)
        if passports_total == limit:
            # Counted up to the cap: a LIMITed scan stops early on a common word.
            counted = _capped_count(found_passports, PASSPORT_COUNT_CAP)
            passports_total = min(counted, PASSPORT_COUNT_CAP)
            passports_more = counted > PASSPORT_COUNT_CAP
    resources: list[Resource] = []
    if kind in ("", "resources") and not rubric:
        # 167 resources: matched in memory (case-insensitively also on SQLite's Cyrillic).
        stems = [term[: max(3, len(term) - 2)] for term in terms]
        found_pks = [
            row[0] for row in resource_rows if all(stem in row[1].lower() for stem in stems)
        ][:10]
        if found_pks:
            by_pk_resource = Resource.objects.select_related("rubric").in_bulk(found_pks)
            resources = [by_pk_resource[pk] for pk in found_pks if pk in by_pk_resource]
    return SearchResults(
        terms=terms,
        objects=objects,
        objects_total=objects_total if kind in ("", "objects") else 0,
        passports=passports,
        passports_total=passports_total,
        resources=resources,
        facets_rubric=facets_rubric,
        facets_district=facets_district,
        passports_more=passports_more,
    )


# --- Visitor polls ------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionResult:
    """One option of a poll with its votes and share (percent, rounded)."""

    option: PollOption
    votes: int
    percent: int


@dataclass(frozen=True)
class PollResults:
    poll: Poll
    options: list[OptionResult]
    total: int


def polls_published(*, now: datetime) -> tuple[list[Poll], list[Poll]]:
    """Return the published polls that are open now and those already closed (newest first)."""
    polls = list(
        Poll.objects.filter(is_published=True, opens_at__lte=now)
        .prefetch_related("options")
        .order_by("-opens_at", "-pk")[:200]
    )
    return [p for p in polls if p.closes_at > now], [p for p in polls if p.closes_at <= now]


def polls_for_home(*, now: datetime, limit: int = 3) -> list[Poll]:
    """Return the open polls shown on the portal home."""
    return list(
        Poll.objects.filter(
            is_published=True, on_home=True, opens_at__lte=now, closes_at__gt=now
        ).order_by("closes_at", "pk")[:limit]
    )


def poll_results(poll: Poll) -> PollResults:
    """Return a poll's votes per option (counted from the votes: never out of step)."""
    options = list(poll.options.annotate(n=Count("votes")).order_by("order", "pk"))
    total = sum(o.n for o in options)
    return PollResults(
        poll=poll,
        options=[
            OptionResult(
                option=o,
                votes=o.n,
                percent=round(100 * o.n / total) if total else 0,
            )
            for o in options
        ],
        total=total,
    )


def poll_votes_by_day(poll: Poll) -> list[tuple[date, int, int]]:
    """Return (day, option id, votes) of a poll, for the staff export (no voter data)."""
    rows = (
        PollVote.objects.filter(poll=poll)
        .annotate(day=TruncDate("created_at"))
        .values_list("day", "option_id")
        .annotate(n=Count("pk"))
        .order_by("day", "option_id")
    )
    return [(day, option_id, n) for day, option_id, n in rows]


def poll_has_voted(poll: Poll, voter: str) -> bool:
    """Return whether a voter (see services.poll_voter_for_*) has voted in a poll."""
    return PollVote.objects.filter(poll=poll, voter=voter).exists()


def polls_for_staff() -> QuerySet[Poll]:
    """Return every poll with its vote count, newest first."""
    return Poll.objects.annotate(vote_count=Count("votes")).order_by("-opens_at", "-pk")
