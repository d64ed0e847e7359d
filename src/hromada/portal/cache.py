"""Whole-page cache of the portal's public pages for anonymous visitors.

Every cache key includes the **portal stamp**, a random token kept in the cache: every write
to the portal (objects, imports, schemas, passports, files, polls) replaces it once its
transaction commits (:func:`portal_changed`), so all cached pages are invalidated at once; a
lost stamp (eviction, restart of a memory cache) is the same as a change. Other modules that
put content on portal pages (editorial content) call :func:`portal_changed` when they
publish; Wagtail's publish/unpublish signals are connected in ``PortalConfig.ready``.
Entries also expire after ``HROMADA_PORTAL_CACHE_SECONDS``, which bounds how long a page
shows something time-dependent (a poll that has just closed).

Pages carry the visitor's CSRF token (in the header's forms); it is cut out before the page
is stored and each hit gets the current visitor's own token. Only anonymous visitors without
pending messages are served from the cache; every response says ``X-Portal-Cache: hit`` or
``miss`` so that the hit ratio can be measured (``bench/portal_bench.py``).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

STAMP_KEY = "portal:stamp"
CACHE_HEADER = "X-Portal-Cache"
_PLACEHOLDER = b"\x00csrf\x00"
_TOKEN = re.compile(rb'(?:csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{64})"')
_LEFT_TOKEN = re.compile(
    rb'csrfmiddlewaretoken"\s+value="[A-Za-z0-9]|X-CSRFToken"\s*:\s*"[A-Za-z0-9]'
)

View = Callable[..., HttpResponse]


def portal_stamp() -> str:
    """Return the current portal stamp (made anew if the cache has lost it)."""
    stamp: str | None = cache.get(STAMP_KEY)
    if stamp is None:
        stamp = uuid.uuid4().hex[:16]
        # add() keeps a stamp another process set meanwhile; read back whichever won.
        cache.add(STAMP_KEY, stamp, None)
        stamp = cache.get(STAMP_KEY) or stamp
    return stamp


def portal_changed() -> None:
    """Invalidate every cached portal page (call after a write commits)."""
    cache.set(STAMP_KEY, uuid.uuid4().hex[:16], None)


def _cacheable(request: HttpRequest) -> bool:
    if request.method != "GET":
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        if request.user.is_authenticated:
            return False
        # Pending messages ("Ваш голос зараховано") belong to this visitor only.
        if len(messages.get_messages(request)):
            return False
    return True


def _page_key(request: HttpRequest) -> str:
    raw = "|".join(
        (
            portal_stamp(),
            translation.get_language() or "",
            request.get_full_path(),
            request.headers.get("HX-Request", ""),
        )
    )
    return "portal:page:" + hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


def _strip_tokens(content: bytes) -> bytes | None:
    """Return the page with its CSRF tokens replaced by a placeholder (None: not safe)."""
    tokens = {m.group(1) for m in _TOKEN.finditer(content)}
    for token in tokens:
        content = content.replace(token, _PLACEHOLDER)
    # A token written some other way would be served to the next visitor: do not store.
    if _LEFT_TOKEN.search(content):
        return None
    return content


def cached_page(view: View) -> View:
    """Serve a public page from the cache to anonymous visitors (see the module docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        cached: tuple[str, bytes] | None = cache.get(key)
        if cached is not None:
            content_type, content = cached
            if _PLACEHOLDER in content:
                content = content.replace(_PLACEHOLDER, get_token(request).encode())
            response = HttpResponse(content, content_type=content_type)
            response[CACHE_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            stored = _strip_tokens(response.content)
            if stored is not None:
                cache.set(
                    key,
                    (response["Content-Type"], stored),
                    settings.HROMADA_PORTAL_CACHE_SECONDS,
                )
        response[CACHE_HEADER] = "miss"
        return response

    return wrapper
