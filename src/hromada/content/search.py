"""Materials in the portal search (registered in core.registry from AppConfig.ready)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from hromada.content.selectors import materials_search
from hromada.core.registry import SearchHits
from hromada.portal.search import query_terms


def search_materials(request: HttpRequest | None, q: str, limit: int) -> SearchHits:
    """Return the live materials matching a query, rendered for the portal search page.

    Beyond SEARCH_COUNT_CAP matches the total is the cap and the block says "понад …".
    """
    total, items, more = materials_search(q, limit=limit)
    if not total:
        return SearchHits(total=0, html="", items=[])
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
            "url": item.get_url(request),
        }
        for item in items
    ]
    return SearchHits(total=total, html=html, items=rows)
