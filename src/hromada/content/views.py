"""Public views of the editorial content: a section's listing and image renditions."""

from __future__ import annotations

import mimetypes
from typing import cast

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views
from wagtail.images import get_image_model

from hromada.content.models import MaterialKind, ProcurementPage, RegulatoryActPage, SectionPage
from hromada.content.selectors import (
    MaterialFilter,
    banners_shown,
    kind_of_content_type,
    section_facets,
    section_materials,
    subsections,
)
from hromada.portal.cache import cached_page

PAGE_SIZE = 20
# A listing shows the title, date, kind, unit and summary: the long columns stay behind.
LISTING_DEFERRED = ("body", "search_text")


@cached_page
def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Serve a page of the site tree; anonymous visitors get it from the page cache.

    Wrapping Wagtail's view (not a page's serve()) means a hit costs no site lookup, page
    routing or privacy query, and (the portal cache's per-process level) no database query
    at all. Every publish, unpublish and banner change renews the portal stamp; signed-in
    people always get a fresh page.
    """
    response = wagtail_views.serve(request, path)
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        response.render()
    return cast(HttpResponse, response)


def section_listing(request: HttpRequest, section: SectionPage) -> HttpResponse:
    """Render a section: subsections, banners, and its materials with filters and pages."""
    flt = MaterialFilter.from_query(request.GET)
    facets = section_facets(section)
    materials = section_materials(section, flt).select_related("unit").defer(*LISTING_DEFERRED)
    paginator = Paginator(materials, PAGE_SIZE)
    if not flt.active:
        paginator.count = facets.total  # no second count of the same rows
    page = paginator.get_page(request.GET.get("page"))
    kinds = kind_of_content_type()
    labels = dict(MaterialKind.choices)
    for item in page:
        item.kind_name = labels.get(kinds.get(item.content_type_id, ""), "")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "content/section_page.html",
        {
            "page": section,
            "self": section,
            "materials": page,
            "filter": flt,
            "query": query.urlencode(),
            "kinds": facets.kinds,
            "years": facets.years,
            "months": list(range(1, 13)),
            "act_kinds": RegulatoryActPage.ActKind.choices,
            "act_statuses": RegulatoryActPage.Status.choices,
            "procedures": ProcurementPage.Procedure.choices,
            "subsections": subsections(section),
            "banners": banners_shown(day=timezone.localdate(), section=section),
        },
    )


@require_GET
def image_file(request: HttpRequest, name: str) -> FileResponse:
    """Serve an image rendition (public by nature); originals and other files are never served."""
    stored = f"images/{name}"
    if (
        ".." in name
        or not get_image_model().get_rendition_model().objects.filter(file=stored).exists()
    ):
        raise Http404
    content_type = mimetypes.guess_type(stored)[0] or "application/octet-stream"
    try:
        handle = default_storage.open(stored, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
