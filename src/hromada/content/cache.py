"""The site's pages (``/sections/…``) for anonymous visitors: a two-level page cache.

Pages are cached under the **portal stamp** (``hromada.portal.cache``): every publish,
unpublish and banner change — and every write to the portal — replaces the stamp once its
transaction commits, which invalidates every cached page at once. On top of the portal's
shared cache (the default cache: the database, or Redis/memcached via ``CACHE_URL``) this
keeps, per worker process, in the ``local`` memory cache:

- the **stamp**, for at most ``HROMADA_CONTENT_STAMP_SECONDS`` (1 s; 0 reads it from the
  shared cache on every request). The worker that publishes forgets it at once
  (:func:`site_pages_changed`); another worker sees the new stamp within that time, so a
  page published a moment ago may be served in its old version for up to that long;
- the **page bodies** under keys that include the stamp, so an entry can never be served
  after the stamp changed; they expire with the shared entries
  (``HROMADA_PORTAL_CACHE_SECONDS``).

A hit therefore costs no database round trip at all (the shared cache is a table by
default: two queries per hit before). A miss looks in the shared cache (another worker may
have rendered the page), then renders it and stores it in both. CSRF tokens are cut out
before storing and each hit gets its visitor's own token, as in the portal's cache; only
anonymous visitors without pending messages are served from it; ``X-Portal-Cache: hit`` /
``miss`` is set on every response that could be cached (the bench counts them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from hromada.portal.cache import (
    _PLACEHOLDER,
    CACHE_HEADER,
    _cacheable,
    _strip_tokens,
    portal_changed,
    portal_stamp,
)

STAMP_MEMO_KEY = "content:stamp"
View = Callable[..., HttpResponse]


def _local() -> Any:
    return caches["local"]


def current_stamp() -> str:
    """Return the portal stamp, remembered in this process for a second (see the docstring)."""
    seconds = settings.HROMADA_CONTENT_STAMP_SECONDS
    if seconds <= 0:
        return portal_stamp()
    stamp: str | None = _local().get(STAMP_MEMO_KEY)
    if stamp is None:
        stamp = portal_stamp()
        _local().set(STAMP_MEMO_KEY, stamp, seconds)
    return stamp


def site_pages_changed() -> None:
    """Invalidate every cached page (call after a write commits): a new stamp, here at once."""
    portal_changed()
    _local().delete(STAMP_MEMO_KEY)


def _page_key(request: HttpRequest, stamp: str) -> str:
    raw = "|".join(
        (
            stamp,
            translation.get_language() or "",
            request.get_full_path(),
            request.headers.get("HX-Request", ""),
        )
    )
    return "content:page:" + hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


def _respond(entry: tuple[str, bytes], request: HttpRequest) -> HttpResponse:
    content_type, content = entry
    if _PLACEHOLDER in content:
        content = content.replace(_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, content_type=content_type)
    response[CACHE_HEADER] = "hit"
    return response


def site_cached_page(view: View) -> View:
    """Serve a site page from the two-level cache to anonymous visitors (module docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _page_key(request, current_stamp())
        timeout = settings.HROMADA_PORTAL_CACHE_SECONDS
        entry: tuple[str, bytes] | None = _local().get(key)
        if entry is None:
            entry = cache.get(key)
            if entry is not None:
                _local().set(key, entry, timeout)
        if entry is not None:
            return _respond(entry, request)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            stored = _strip_tokens(response.content)
            if stored is not None:
                entry = (response["Content-Type"], stored)
                cache.set(key, entry, timeout)
                _local().set(key, entry, timeout)
        response[CACHE_HEADER] = "miss"
        return response

    return wrapper
