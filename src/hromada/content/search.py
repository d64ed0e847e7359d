"""Materials in the portal search (registered in core.registry from AppConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import Page, Site

from hromada.content.selectors import materials_search
from hromada.core.registry import SearchHits
from hromada.portal.search import query_terms

ROOT_PATHS_KEY = "content:site_root_paths"
# Sites and their root pages change only by an administrator's hand in the CMS.
ROOT_PATHS_SECONDS = 60


def _site_root_paths() -> list[Any]:
    """Return Wagtail's site root paths, remembered in this process for a minute.

    Wagtail reads them from the shared cache (a database query by default) and looks the
    request's site up (another query) for every request that builds a page URL.
    """
    memo = caches["local"]
    paths: list[Any] | None = memo.get(ROOT_PATHS_KEY)
    if paths is None:
        paths = list(Site.get_site_root_paths())
        memo.set(ROOT_PATHS_KEY, paths, ROOT_PATHS_SECONDS)
    return paths


def material_url(page: Page) -> str:
    """Return a live page's path on the site (as Wagtail's page URL for a single site)."""
    for root in _site_root_paths():
        if page.url_path.startswith(root.root_path):
            return reverse("wagtail_serve", args=(page.url_path[len(root.root_path) :],))
    return str(page.get_url() or "")


def search_materials(request: HttpRequest | None, q: str, limit: int) -> SearchHits:
    """Return the live materials matching a query, rendered for the portal search page.

    Beyond SEARCH_COUNT_CAP matches the total is the cap and the block says "понад …".
    """
    total, items, more = materials_search(q, limit=limit)
    if not total:
        return SearchHits(total=0, html="", items=[])
    for item in items:
        item.search_url = material_url(item)
    html = render_to_string(
        "content/_search_results.html",
        {
            "hits": {"total": total, "items": items, "more": more},
            "terms": query_terms(q),
            "request": request,
        },
    )
    rows = [
        {
            "id": item.pk,
            "title": item.title,
            "date": item.date.isoformat(),
            "url": item.search_url,
        }
        for item in items
    ]
    return SearchHits(total=total, html=html, items=rows)
