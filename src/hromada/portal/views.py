"""Public pages of the portal: home, resource centre, map, building passports, search, open data."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hromada.core.exceptions import ApplicationError
from hromada.core.registry import registry
from hromada.portal import opendata
from hromada.portal.cache import cached_page, locally_cached_page
from hromada.portal.forms import ImportForm, ObjectForm
from hromada.portal.importing import read_rows
from hromada.portal.models import (
    Attachment,
    BuildingPassport,
    District,
    Resource,
    ResourceObject,
    Rubric,
)
from hromada.portal.schema import display_value
from hromada.portal.selectors import (
    ObjectFilter,
    all_points,
    catalogue_stamp,
    distance_metres,
    filterable_attributes,
    passports_search,
    portal_search,
    resource_objects,
    resource_points,
    rubrics_with_resources,
    schema_of,
)
from hromada.portal.services import (
    ImportRejected,
    resource_object_create,
    resource_object_update,
    resource_objects_import,
)

PAGE_SIZE = 50


def map_settings() -> dict[str, Any]:
    """Return the map's configuration for the page (tile server may be empty: no tiles)."""
    south, west, north, east = settings.HROMADA_CITY_BBOX
    return {
        "tiles": settings.HROMADA_PORTAL_TILE_URL,
        "attribution": settings.HROMADA_PORTAL_TILE_ATTRIBUTION,
        "bounds": [[south, west], [north, east]],
    }


def appeal_url(address: str, subject: str = "") -> str:
    """Return the link that opens a new appeal prefilled with an address (appeals module)."""
    params = {"address": address}
    if subject:
        params["subject"] = subject
    return f"/appeals/new/?{urlencode(params)}"


def attachments_of(owner: ResourceObject | BuildingPassport) -> dict[str, list[Attachment]]:
    """Return an object's or a passport's photos and documents for its page."""
    files = list(owner.attachments.all())
    return {
        "photos": [a for a in files if a.kind == Attachment.Kind.PHOTO],
        "documents": [a for a in files if a.kind == Attachment.Kind.DOCUMENT],
    }


def attribute_filters(item: Resource, flt: ObjectFilter) -> list[dict[str, Any]]:
    """Return the attribute filters of a resource page with their options and selection."""
    rows = []
    for attr in filterable_attributes(item):
        current = flt.attributes.get(attr.name)
        if attr.type == "boolean":
            options = [("1", _("так"), current is True), ("0", _("ні"), current is False)]
        else:
            options = [(c, c, current == c) for c in attr.choices]
        rows.append({"name": attr.name, "label": attr.label, "options": options})
    return rows


@require_GET
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    """Render the portal home: search, rubrics of the resource centre, building passports."""
    rubrics = list(Rubric.objects.order_by("order", "name"))
    return render(request, "portal/home.html", {"rubrics": rubrics})


@require_GET
@cached_page
def catalogue(request: HttpRequest) -> HttpResponse:
    """Render the resource centre: every rubric with its resources."""
    return render(
        request,
        "portal/catalogue.html",
        {
            # Lazy: the rendered list is cached per stamp, so the rubrics are read only on a miss.
            "rubrics": rubrics_with_resources,
            "stamp": catalogue_stamp(),
            "cache_seconds": settings.HROMADA_PORTAL_CACHE_SECONDS,
        },
    )


@require_GET
@cached_page
def rubric(request: HttpRequest, slug: str) -> HttpResponse:
    """Render a rubric: its resources and a map of all their objects."""
    item = get_object_or_404(Rubric, slug=slug)
    resources = list(item.resources.order_by("order", "name"))
    return render(
        request,
        "portal/rubric.html",
        {"rubric": item, "resources": resources, "map": map_settings()},
    )


@require_GET
@cached_page
def resource(request: HttpRequest, slug: str) -> HttpResponse:
    """Render a resource: filters, a map of the filtered objects and their list."""
    item = get_object_or_404(Resource.objects.select_related("rubric", "unit"), slug=slug)
    flt = ObjectFilter.from_query(item, request.GET)
    page = Paginator(resource_objects(item, flt), PAGE_SIZE).get_page(request.GET.get("page"))
    if flt.near is not None:
        for obj in page:
            if obj.latitude is not None and obj.longitude is not None:
                obj.distance = distance_metres(flt.near, (obj.latitude, obj.longitude))  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/resource.html",
        {
            "resource": item,
            "filter": flt,
            "page": page,
            "attributes": attribute_filters(item, flt),
            "districts": District.choices,
            "query": query.urlencode(),
            "map": map_settings(),
            "can_import": request.user.has_perm("portal.import_objects", item),
            "cache_seconds": settings.HROMADA_PORTAL_CACHE_SECONDS,
        },
    )


def points_response(body: str) -> HttpResponse:
    """Return map points as JSON; browsers revalidate them by ETag (portal/cache.py)."""
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@cached_page
def resource_points_json(request: HttpRequest, slug: str) -> HttpResponse:
    """Return the filtered objects' points: [[id, lat, lon, name], …]."""
    item = get_object_or_404(Resource, slug=slug)
    return points_response(resource_points(item, ObjectFilter.from_query(item, request.GET)))


@require_GET
@cached_page
def object_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Render an object: fields, attributes, a small map and "report a problem here"."""
    obj = get_object_or_404(
        ResourceObject.objects.select_related("resource__rubric", "resource__unit"), pk=pk
    )
    attributes = [
        (a.label, display_value(a, obj.attributes.get(a.name))) for a in schema_of(obj.resource)
    ]
    return render(
        request,
        "portal/object.html",
        {
            "object": obj,
            "attributes": attributes,
            "map": map_settings(),
            "points": json.dumps([[obj.pk, obj.latitude, obj.longitude, obj.name]])
            if obj.has_point
            else "[]",
            "appeal_url": appeal_url(obj.address, obj.name),
            "can_edit": request.user.has_perm("portal.change_objects", obj),
            **attachments_of(obj),
        },
    )


@require_GET
@cached_page
def city_map(request: HttpRequest) -> HttpResponse:
    """Render the map of every object in the city (optionally one rubric's)."""
    rubrics = list(Rubric.objects.order_by("order", "name"))
    current = request.GET.get("rubric", "")
    return render(
        request,
        "portal/map.html",
        {"rubrics": rubrics, "current": current, "map": map_settings()},
    )


@require_GET
@cached_page
def city_points_json(request: HttpRequest) -> HttpResponse:
    """Return every object's point (optionally one rubric's) as JSON."""
    slug = request.GET.get("rubric", "")
    item = Rubric.objects.filter(slug=slug).first() if slug else None
    return points_response(all_points(item))


@require_GET
@cached_page
def buildings(request: HttpRequest) -> HttpResponse:
    """Render the building passport search: a resident finds their building by address."""
    q = request.GET.get("q", "")[:200]
    page = Paginator(passports_search(q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/buildings.html",
        {"q": q, "page": page, "total": BuildingPassport.objects.count()},
    )


@require_GET
@cached_page
def building(request: HttpRequest, pk: int) -> HttpResponse:
    """Render a building's passport with its repairs history and an appeal link."""
    passport = get_object_or_404(BuildingPassport, pk=pk)
    return render(
        request,
        "portal/building.html",
        {
            "passport": passport,
            "repairs": list(passport.repairs.all()),
            "map": map_settings(),
            "points": json.dumps([[0, passport.latitude, passport.longitude, passport.address]])
            if passport.latitude is not None
            else "[]",
            "appeal_url": appeal_url(passport.address),
            "can_edit": request.user.has_perm("portal.change_passport", passport),
            **attachments_of(passport),
        },
    )


@require_GET
@locally_cached_page
def search(request: HttpRequest) -> HttpResponse:
    """Render portal search results grouped by type, with facets."""
    q = request.GET.get("q", "")
    kind = request.GET.get("type", "")
    results = portal_search(
        q,
        kind=kind,
        rubric=request.GET.get("rubric", "")[:80],
        district=request.GET.get("district", ""),
    )
    # Other modules' results (editorial materials, …) come through core.registry.
    providers = registry.search_providers_in_order()
    extra = [(p, p.search(request, q, 20)) for p in providers if kind in ("", p.key)]
    return render(
        request,
        "portal/search.html",
        {
            "q": q[:200],
            "kind": kind,
            "rubric": request.GET.get("rubric", "")[:80],
            "district": request.GET.get("district", ""),
            "results": results,
            "providers": providers,
            "extra_results": extra,
            "total": results.total + sum(hits.total for _p, hits in extra),
        },
    )


@require_GET
@locally_cached_page
def search_json(request: HttpRequest) -> HttpResponse:
    """Return portal search results as JSON (the search API)."""
    q, kind = request.GET.get("q", ""), request.GET.get("type", "")
    results = portal_search(q, kind=kind)
    extra = {
        p.key: p.search(request, q, 20)
        for p in registry.search_providers_in_order()
        if kind in ("", p.key)
    }
    return JsonResponse(
        {
            **{key: {"total": hits.total, "items": hits.items} for key, hits in extra.items()},
            "terms": results.terms,
            "objects": {
                "total": results.objects_total,
                "items": [
                    {"id": o.pk, "name": o.name, "address": o.address, "resource": o.resource.slug}
                    for o in results.objects
                ],
            },
            "passports": {
                "total": results.passports_total,
                "more": results.passports_more,
                "items": [{"id": p.pk, "address": p.address} for p in results.passports],
            },
            "resources": [{"slug": r.slug, "name": r.name} for r in results.resources],
        },
        json_dumps_params={"ensure_ascii": False},
    )


# --- Open data ----------------------------------------------------------------------------


@require_GET
def opendata_index(request: HttpRequest) -> HttpResponse:
    """Render the open data catalogue: every dataset with its CSV and JSON downloads."""
    return render(
        request,
        "portal/opendata.html",
        {
            "rubrics": rubrics_with_resources(),
            "passports": BuildingPassport.objects.count(),
            "passports_slug": opendata.PASSPORTS_SLUG,
            "licence": settings.HROMADA_OPENDATA_LICENSE,
        },
    )


@require_GET
def opendata_dcat(request: HttpRequest) -> JsonResponse:
    """Return the DCAT catalogue of the datasets as JSON-LD."""
    base = request.build_absolute_uri("/").rstrip("/")
    response = JsonResponse(
        opendata.dcat_catalogue(base), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    return response


@require_GET
def opendata_file(request: HttpRequest, slug: str, fmt: str) -> StreamingHttpResponse:
    """Stream one dataset as CSV or JSON."""
    if slug == opendata.PASSPORTS_SLUG:
        columns = [*opendata.PASSPORT_COLUMNS, "repairs"]
        records = opendata.passport_records()
    else:
        item = get_object_or_404(Resource, slug=slug)
        columns = opendata.resource_columns(item)
        records = opendata.resource_records(item)
    if fmt == "csv":
        response = StreamingHttpResponse(
            opendata.csv_stream(columns, records), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "json":
        response = StreamingHttpResponse(
            opendata.json_stream(records), content_type="application/json; charset=utf-8"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{slug}.{fmt}"'
    return response


# --- Staff: import ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def resource_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Import a registry's objects from CSV or XLSX (staff of the owner unit)."""
    item = get_object_or_404(Resource.objects.select_related("unit"), slug=slug)
    if not request.user.has_perm("portal.import_objects", item):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_rows(upload.read(), upload.name or "")
            count = resource_objects_import(
                resource_id=item.pk,
                rows=rows,
                replace=form.cleaned_data["replace"],
                actor=request.user,
            )
        except ImportRejected as exc:
            messages.error(request, exc.message)
            errors = [str(e) for e in exc.errors]
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Імпортовано об'єктів: %(n)s.") % {"n": count})
            return redirect(item.get_absolute_url())
    columns = opendata.resource_columns(item)[1:]
    return render(
        request,
        "portal/import.html",
        {"resource": item, "form": form, "errors": errors, "columns": columns},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def object_edit(request: HttpRequest, slug: str = "", pk: int | None = None) -> HttpResponse:
    """Add an object to a resource (``slug``) or change one (``pk``): staff of the owner unit."""
    obj = None
    if pk is not None:
        obj = get_object_or_404(ResourceObject.objects.select_related("resource__unit"), pk=pk)
        item = obj.resource
    else:
        item = get_object_or_404(Resource.objects.select_related("unit"), slug=slug)
    if not request.user.has_perm("portal.change_objects", obj or item):
        raise PermissionDenied
    initial = ObjectForm.initial_for(obj) if obj else None
    form = ObjectForm(request.POST or None, initial=initial, attributes=schema_of(item))
    if request.method == "POST" and form.is_valid():
        try:
            if obj is None:
                obj = resource_object_create(
                    resource_id=item.pk, data=form.service_data(), actor=request.user
                )
            else:
                obj = resource_object_update(
                    object_id=obj.pk, data=form.service_data(), actor=request.user
                )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Зміни збережено."))
            return redirect(obj.get_absolute_url())
    return render(
        request,
        "portal/object_form.html",
        {"resource": item, "object": obj, "form": form},
        status=400 if request.method == "POST" else 200,
    )
