"""Kiosk mode (/kiosk/): the portal for touch screens in public places.

No login and no personal data: the pages never show the header's account links,
never set a session, and the kiosk script returns to the start screen after
HROMADA_KIOSK_IDLE_SECONDS without a touch, forgetting what was typed. Having nothing
personal, every kiosk screen is served from the portal page cache (portal/cache.py) while
browsers are still told not to keep it (``Cache-Control: no-store``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from hromada.portal.cache import cached_page, locally_cached_page
from hromada.portal.models import BuildingPassport, Resource, ResourceObject, Rubric
from hromada.portal.schema import display_value
from hromada.portal.selectors import ObjectFilter, portal_search, resource_objects, schema_of

KIOSK_PAGE_SIZE = 8
# The on-screen keyboard: Ukrainian ЙЦУКЕН layout, with digits and the apostrophe.
KEYBOARD_ROWS = [
    list("1234567890"),
    list("йцукенгшщзхї"),
    list("фівапролджє'"),
    list("ячсмитьбю-"),
]


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("idle_seconds", settings.HROMADA_KIOSK_IDLE_SECONDS)
    context.setdefault("keyboard", KEYBOARD_ROWS)
    response = render(request, template, context)
    # A kiosk page is never cached by the browser: "back" after a reset shows nothing old.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@cached_page
def start(request: HttpRequest) -> HttpResponse:
    """Render the kiosk's start screen: search and the rubrics as big tiles."""
    rubrics = list(Rubric.objects.order_by("order", "name"))
    return _render(request, "portal/kiosk/start.html", {"rubrics": rubrics})


@require_GET
@locally_cached_page
def search(request: HttpRequest) -> HttpResponse:
    """Render search results for the kiosk."""
    q = request.GET.get("q", "")[:200]
    results = portal_search(q, limit=KIOSK_PAGE_SIZE)
    return _render(request, "portal/kiosk/search.html", {"q": q, "results": results})


@require_GET
@cached_page
def rubric(request: HttpRequest, slug: str) -> HttpResponse:
    """Render a rubric's resources as tiles."""
    item = get_object_or_404(Rubric, slug=slug)
    return _render(
        request,
        "portal/kiosk/rubric.html",
        {"rubric": item, "resources": list(item.resources.order_by("order", "name"))},
    )


@require_GET
@cached_page
def resource(request: HttpRequest, slug: str) -> HttpResponse:
    """Render a resource's objects, a few per screen, with big previous/next buttons."""
    item = get_object_or_404(Resource.objects.select_related("rubric"), slug=slug)
    page = Paginator(resource_objects(item, ObjectFilter()), KIOSK_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render(request, "portal/kiosk/resource.html", {"resource": item, "page": page})


@require_GET
@cached_page
def object_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Render an object for the kiosk."""
    obj = get_object_or_404(ResourceObject.objects.select_related("resource__rubric"), pk=pk)
    attributes = [
        (a.label, display_value(a, obj.attributes.get(a.name))) for a in schema_of(obj.resource)
    ]
    return _render(request, "portal/kiosk/object.html", {"object": obj, "attributes": attributes})


@require_GET
@cached_page
def building(request: HttpRequest, pk: int) -> HttpResponse:
    """Render a building passport for the kiosk."""
    passport = get_object_or_404(BuildingPassport, pk=pk)
    return _render(
        request,
        "portal/kiosk/building.html",
        {"passport": passport, "repairs": list(passport.repairs.all())},
    )
