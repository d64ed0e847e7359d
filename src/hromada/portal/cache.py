"""Whole-page cache of the portal's public pages for anonymous visitors.

Every cache key includes the **portal stamp**, a random token kept in the cache: every write
to the portal (objects, imports, schemas, passports, files, polls) replaces it once its
transaction commits (:func:`portal_changed`), so all cached pages are invalidated at once; a
lost stamp (eviction, restart of a memory cache) is the same as a change. Other modules that
put content on portal pages (editorial content) call :func:`portal_changed` when they
publish; Wagtail's publish/unpublish signals are connected in ``PortalConfig.ready``.
Entries also expire after ``HROMADA_PORTAL_CACHE_SECONDS``, which bounds how long a page
shows something time-dependent (a poll that has just closed).

Two levels: an entry is kept in the shared cache and in this process's ``local`` cache, and
each worker remembers the stamp for ``HROMADA_PORTAL_STAMP_SECONDS`` (default 1 s;
:func:`portal_changed` renews this process's memo at once), so a hit costs no database query;
another worker shows a write at most that much later.

Pages carry the visitor's CSRF token (in the header's forms); it is cut out before the page
is stored and each hit gets the current visitor's own token. Only anonymous visitors without
pending messages are served from the cache; every response says ``X-Portal-Cache: hit`` or
``miss`` so that the hit ratio can be measured (``bench/portal_bench.py``). A page without a
CSRF token (JSON map points, the kiosk) carries an ``ETag`` (a digest of the stored body); a
request whose ``If-None-Match`` names it gets ``304 Not Modified`` without the body. Headers
the view set among :data:`KEPT_HEADERS` (the kiosk's ``Cache-Control: no-store``) are stored
with the page and repeated on every hit.
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
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import translation

STAMP_KEY = "portal:stamp"
STAMP_MEMO_KEY = "portal:stamp-memo"
CACHE_HEADER = "X-Portal-Cache"
KEPT_HEADERS = ("Cache-Control",)
_PLACEHOLDER = b"\x00csrf\x00"
_TOKEN = re.compile(rb'(?:csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{64})"')
_LEFT_TOKEN = re.compile(
    rb'csrfmiddlewaretoken"\s+value="[A-Za-z0-9]|X-CSRFToken"\s*:\s*"[A-Za-z0-9]'
)

View = Callable[..., HttpResponse]
# (content type, body with CSRF placeholders, ETag or "", kept headers)
Entry = tuple[str, bytes, str, dict[str, str]]


def _local() -> Any:
    return caches["local"]


def portal_stamp() -> str:
    """Return the current portal stamp from the shared cache (made anew if it was lost)."""
    stamp: str | None = cache.get(STAMP_KEY)
    if stamp is None:
        stamp = uuid.uuid4().hex[:16]
        # add() keeps a stamp another process set meanwhile; read back whichever won.
        cache.add(STAMP_KEY, stamp, None)
        stamp = cache.get(STAMP_KEY) or stamp
    return stamp


def current_stamp() -> str:
    """Return the portal stamp, remembered in this process for HROMADA_PORTAL_STAMP_SECONDS."""
    seconds = settings.HROMADA_PORTAL_STAMP_SECONDS
    if seconds <= 0:
        return portal_stamp()
    stamp: str | None = _local().get(STAMP_MEMO_KEY)
    if stamp is None:
        stamp = portal_stamp()
        _local().set(STAMP_MEMO_KEY, stamp, seconds)
    return stamp


def portal_changed() -> None:
    """Invalidate every cached portal page (call after a write commits)."""
    stamp = uuid.uuid4().hex[:16]
    cache.set(STAMP_KEY, stamp, None)
    seconds = settings.HROMADA_PORTAL_STAMP_SECONDS
    if seconds > 0:
        _local().set(STAMP_MEMO_KEY, stamp, seconds)


def local_memo(name: str, compute: Callable[[], Any]) -> Any:
    """Return a value computed once per portal stamp and process (public data only)."""
    key = f"portal:memo:{name}:{current_stamp()}"
    value = _local().get(key)
    if value is None:
        value = compute()
        _local().set(key, value, settings.HROMADA_PORTAL_CACHE_SECONDS)
    return value


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
            current_stamp(),
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


def _etag_matches(request: HttpRequest, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    return bool(etag) and (header.strip() == "*" or etag in [t.strip() for t in header.split(",")])


def _respond(request: HttpRequest, entry: Entry, state: str) -> HttpResponse:
    content_type, content, etag, headers = entry
    response: HttpResponse
    if _etag_matches(request, etag):
        response = HttpResponseNotModified()
    else:
        if _PLACEHOLDER in content:
            content = content.replace(_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content, content_type=content_type)
    if etag:
        response["ETag"] = etag
    for name, value in headers.items():
        response[name] = value
    response[CACHE_HEADER] = state
    return response


def _entry_of(response: HttpResponse) -> Entry | None:
    """Return what to store of a view's response (None: not to be stored)."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    stored = _strip_tokens(response.content)
    if stored is None:
        return None
    etag = ""
    if _PLACEHOLDER not in stored:
        digest = hashlib.sha1(stored, usedforsecurity=False).hexdigest()[:24]
        etag = f'"{digest}"'
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return (response["Content-Type"], stored, etag, headers)


def cached_page(view: View) -> View:
    """Serve a public page from the cache to anonymous visitors (see the module docstring)."""
    return _cached(view, shared=True)


def locally_cached_page(view: View) -> View:
    """Like :func:`cached_page`, but kept in this process only: for pages of which there are
    many and each is seldom asked twice (search results), where writing the shared database
    cache would cost the first visitor more than it saves the next."""
    return _cached(view, shared=False)


def _cached(view: View, *, shared: bool) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        timeout = settings.HROMADA_PORTAL_CACHE_SECONDS
        entry: Entry | None = _local().get(key)
        if entry is None and shared:
            entry = cache.get(key)
            if entry is not None:
                _local().set(key, entry, timeout)
        if entry is not None:
            return _respond(request, entry, "hit")
        response = view(request, *args, **kwargs)
        entry = _entry_of(response)
        if entry is None:
            response[CACHE_HEADER] = "miss"
            return response
        if shared:
            cache.set(key, entry, timeout)
        _local().set(key, entry, timeout)
        etag = entry[2]
        if _etag_matches(request, etag):
            return _respond(request, entry, "miss")
        if etag:
            response["ETag"] = etag
        response[CACHE_HEADER] = "miss"
        return response

    return wrapper
