"""Whole public pages served from the cache, keyed by the catalog version.

A page is cached under (day, scheme, host, path, query parameters) with the catalog stamp it
was rendered under, compressed once; it is served only while that stamp is current, so after
any catalog write the next view renders afresh. The same key
makes the ETag, so a conditional request is answered 304 before anything is read or rendered.

PageCacheMiddleware answers readers without a session from the cache before the rest of the
middleware runs; the `catalog_page` wrapper answers everyone else and renders on a miss.

Only pages that are the same for every reader are decorated: no CSRF token, nothing from the
session. A page that turns out to use either is served but not cached. A cache that fails
(Redis down) costs a render, never an error.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, QueryDict
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from comparisons import page_directory
from models_catalog import version_watch
from models_catalog.catalog_version import (
    CatalogState,
    StampedLRU,
    catalog_state,
    catalog_state_with,
    forget_computed,
    heard_catalog_state,
)

logger = logging.getLogger(__name__)

# Parameters that name where a visitor came from, never what the page shows.
TRACKING_PARAMS = ("fbclid", "gclid", "msclkid", "mc_cid", "mc_eid", "ref")

# Headers of a rendered page that its cached copy must carry too (the sitemap views set it).
KEPT_HEADERS = ("X-Robots-Tag",)

# zlib's fastest level: most pair pages are drawn for one reader and stored, so compression
# is paid on nearly every view. On a 41 KB pair page, level 1 gives 9.0 KB and level 3 8.4 KB;
# under load level 1 takes about 0.05 ms less per page, level 6 (the default) 0.2 ms more.
GZIP_LEVEL = 1
# Bodies shorter than this are not worth a gzip header.
MIN_COMPRESS = 200


def _relevant_query(request: HttpRequest) -> str:
    """The query string without tracking parameters, in a fixed order."""
    if not request.META.get("QUERY_STRING"):
        return ""  # most requests: nothing to parse
    kept = [
        (name, value)
        for name in sorted(request.GET)
        if not name.startswith("utm_") and name not in TRACKING_PARAMS
        for value in request.GET.getlist(name)
    ]
    query = QueryDict(mutable=True)
    for name, value in kept:
        query.appendlist(name, value)
    return query.urlencode()


def _accepts_gzip(request: HttpRequest) -> bool:
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "").lower()


def _cache_control(request: HttpRequest) -> str:
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        # Editors (the only visitors with a session) revalidate every time, so they see
        # their own edits at once; a 304 costs them next to nothing.
        return "private, no-cache"
    return (
        f"public, max-age={settings.PAGE_MAX_AGE}, s-maxage={settings.PAGE_S_MAXAGE}, "
        f"stale-while-revalidate={settings.PAGE_STALE_WHILE_REVALIDATE}"
    )


def _not_modified(request: HttpRequest, lookup: _Lookup) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or _etag(lookup) in tags
    if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since is None:
        return False  # most requests: nothing to parse
    since = parse_http_date_safe(if_modified_since)
    # Last-Modified is rounded down to the second, so only a strictly later date proves the
    # copy is current (two edits within one second must not hide the second).
    return since is not None and _last_modified(lookup) < since


def _safe_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # any cache failure: render instead
        logger.warning("page cache unavailable for reading", exc_info=True)
        return None


def _safe_set(key: str, value) -> None:
    try:
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("page cache unavailable for writing", exc_info=True)


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Encoding")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.accessed)
    )


@dataclass
class _Lookup:
    """What one request found in the cache: its key, the catalog state and the stored page
    (None until fetched, or when there is none under the current stamp)."""

    key: str
    digest: str
    state: CatalogState
    entry: tuple | None
    fetched: bool


# Pages this process served or rendered lately: with a stamp heard through version_watch, a
# cached page costs no round trip at all. About 10 KB each, compressed.
_local_pages = StampedLRU(500)


def _keep_locally(key: str, entry: tuple) -> None:
    """Keep a page's entry (its stamp first) in this process, while writes can be heard of:
    the local copy is read only under a heard stamp."""
    if version_watch.listening():
        _local_pages.put(key, entry[0], entry)


# Pages rendered here are written to the shared cache in batches, one round trip for up to
# STORE_BATCH pages rather than one each, and at most STORE_WAIT_SECONDS after the first of
# them: under crawler traffic nearly every page is new, and
# its write cost about a twentieth of its render. Meanwhile this process serves them from its
# own copy, and another process asked for one renders it again: a render, never a stale page,
# since every copy carries its stamp. Only while writes can be heard of (version_watch): else
# no local copy is read, and each page is written at once.
STORE_BATCH = 16
STORE_WAIT_SECONDS = 2.0


class _PendingStores:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: dict[str, tuple] = {}
        self.timer: threading.Timer | None = None


_pending_stores = _PendingStores()


def _store(key: str, entry: tuple) -> None:
    """Keep a rendered page's entry here and in the shared cache."""
    if not version_watch.listening():
        _safe_set(key, entry)
        return
    _keep_locally(key, entry)
    pending = _pending_stores
    with pending.lock:
        if not pending.entries:
            # A batch never waits longer for the next page: in a quiet moment it goes alone.
            pending.timer = threading.Timer(STORE_WAIT_SECONDS, flush_page_stores)
            pending.timer.daemon = True
            pending.timer.start()
        pending.entries[key] = entry
        due = len(pending.entries) >= STORE_BATCH
    if due:
        flush_page_stores()


def flush_page_stores() -> None:
    """Write the pages waiting in this process to the shared cache (also at exit)."""
    pending = _pending_stores
    with pending.lock:
        entries, pending.entries = pending.entries, {}
        if pending.timer is not None:
            pending.timer.cancel()  # its batch is this one
            pending.timer = None
    if not entries:
        return
    try:
        cache.set_many(entries, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("page cache unavailable for writing", exc_info=True)
        return
    page_directory.stored(entries)


def _lookup(request: HttpRequest, *, trust: bool) -> _Lookup:
    query = _relevant_query(request)
    if query != request.META.get("QUERY_STRING", ""):
        # The view sees exactly what the key holds, so a cached copy is what it would show.
        request.GET = QueryDict(query)
        request.META["QUERY_STRING"] = query
    # Today is part of the key: pages say how long ago a model was reviewed.
    today = timezone.localdate().isoformat()
    address = f"{today} {request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.blake2b(address.encode(), digest_size=10).hexdigest()
    # The page is stored under the address alone, with the stamp it was rendered under: one
    # round trip fetches both the current stamp and the page, and a page of an older stamp is
    # simply rendered again. A conditional request needs only the stamp.
    key = f"page:{digest}"
    if _conditional(request):
        return _Lookup(key, digest, catalog_state(trust=trust), None, fetched=False)
    state = heard_catalog_state() if trust else None
    if state is not None:
        entry = _local_pages.get(key, state.stamp)
        # A page no process has said it stored is rendered without asking the shared cache.
        fetched = entry is not None or page_directory.absent(key, state.stamp)
        return _Lookup(key, digest, state, entry, fetched=fetched)
    state, entry = catalog_state_with(key, trust=trust)
    entry = _current(entry, state)
    if entry is not None:
        _keep_locally(key, entry)
    return _Lookup(key, digest, state, entry, fetched=True)


def _conditional(request: HttpRequest) -> bool:
    return "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META


def _current(entry, state: CatalogState):
    return entry if entry is not None and entry[0] == state.stamp else None


def _headers(request: HttpRequest, lookup: _Lookup) -> dict[str, str]:
    return {
        "ETag": f"W/{_etag(lookup)}",
        "Last-Modified": _http_date(_last_modified(lookup)),
        "Cache-Control": _cache_control(request),
    }


# The same few dates on every page until the next write; formatting one costs more than the
# rest of the headers.
_http_date = lru_cache(maxsize=16)(http_date)


def _etag(lookup: _Lookup) -> str:
    return quote_etag(f"{lookup.state.stamp[:16]}-{lookup.digest}")


def _last_modified(lookup: _Lookup) -> int:
    return int(lookup.state.changed_at.timestamp())


def _cached_response(request: HttpRequest, lookup: _Lookup) -> HttpResponse | None:
    """A 304, or the stored page, or None when the page must be rendered."""
    if _not_modified(request, lookup):
        response = HttpResponseNotModified()
        # No body, so no policy to send: the browser keeps the stored page's own header.
        response._csp_exempt = True  # type: ignore[attr-defined]
        return _finish(response, _headers(request, lookup))
    if not lookup.fetched:
        lookup.entry = _current(_safe_get(lookup.key), lookup.state)
        lookup.fetched = True
        if lookup.entry is not None:
            _keep_locally(lookup.key, lookup.entry)
    if lookup.entry is None:
        return None
    _, content_type, compressed, size, kept = lookup.entry
    if size >= MIN_COMPRESS and _accepts_gzip(request):
        response = HttpResponse(compressed, content_type=content_type, headers=kept)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(
            gzip.decompress(compressed), content_type=content_type, headers=kept
        )
    return _finish(response, _headers(request, lookup))


def _finish(response: HttpResponse, headers: dict[str, str]) -> HttpResponse:
    for name, value in headers.items():
        response[name] = value
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _render_and_store(view, request: HttpRequest, lookup: _Lookup, args, kwargs) -> HttpResponse:
    response = view(request, *args, **kwargs)
    if callable(getattr(response, "render", None)):
        response = response.render()  # a TemplateResponse (the sitemap views)
    if not _cacheable(request, response):
        return response
    body = response.content
    kept = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    lookup.entry = (
        lookup.state.stamp,
        response["Content-Type"],
        gzip.compress(body, GZIP_LEVEL),
        len(body),
        kept,
    )
    _store(lookup.key, lookup.entry)
    if len(body) < MIN_COMPRESS or not _accepts_gzip(request):
        # The rendered response as it is, with the caching headers.
        return _finish(response, _headers(request, lookup))
    response = _cached_response(request, lookup)
    assert response is not None  # the entry was just stored
    return response


def catalog_page(
    view: Callable[..., HttpResponse],
    *,
    on_cache_hit: Callable[..., None] | None = None,
) -> Callable[..., HttpResponse]:
    """Serve a public, reader-independent GET view from the cache, with ETags and 304s.

    `on_cache_hit(request, *args, **kwargs)` runs when a page is served from the cache instead
    of the view: what the view records of each visit (a view counter) is recorded there.
    PageCacheMiddleware answers most such requests before the rest of the middleware runs;
    this wrapper answers the others (editors, who carry a session) and renders on a miss.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        # The middleware's lookup, when it made one: the cache is not asked twice.
        # Editors (a session) read the version afresh, so they see their edits at once.
        lookup = getattr(request, "page_cache_lookup", None) or _lookup(
            request, trust=not _has_reader_state(request)
        )
        response = _cached_response(request, lookup)
        if response is None:
            return _render_and_store(view, request, lookup, args, kwargs)
        if response.status_code == 200 and on_cache_hit is not None:
            on_cache_hit(request, *args, **kwargs)
        return response

    wrapped.catalog_page = True  # type: ignore[attr-defined]
    wrapped.on_cache_hit = on_cache_hit  # type: ignore[attr-defined]
    return wrapped


class PageCacheMiddleware:
    """Answers cached public pages (and 304s) before the session, CSRF, authentication and
    message middleware run, as Django's own FetchFromCacheMiddleware does: for a reader
    without a session those produce nothing a cached page could carry. It sits below the
    middleware that set security headers, so cached answers carry them too.

    Only addresses routed to a `catalog_page` view are looked up; everything else (the
    admin, the API, files) passes straight through without asking the cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and not _has_reader_state(request):
            route = _catalog_route(request.path_info, get_urlconf())
            if route is not None:
                lookup = _lookup(request, trust=True)
                response = _cached_response(request, lookup)
                if response is not None:
                    on_cache_hit, args, kwargs = route
                    if response.status_code == 200 and on_cache_hit is not None:
                        on_cache_hit(request, *args, **kwargs)
                    return response
                request.page_cache_lookup = lookup  # type: ignore[attr-defined]
        return self.get_response(request)


@lru_cache(maxsize=4096)
def _catalog_route(path: str, urlconf: str | None) -> tuple[Callable | None, tuple, dict] | None:
    """(on_cache_hit, args, kwargs) when `path` is routed to a catalog_page view, else None.

    Remembered per path: the same few thousand addresses are asked for again and again, and
    resolving one walks the URL patterns.
    """
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    if not getattr(match.func, "catalog_page", False):
        return None
    return match.func.on_cache_hit, match.args, match.kwargs


def _has_reader_state(request: HttpRequest) -> bool:
    """A session (an editor) or pending messages: pages may differ for this reader."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def _settings_changed(**kwargs) -> None:
    # Settings change only in tests; what was rendered under the old ones must go.
    _catalog_route.cache_clear()
    _local_pages.clear()
    try:
        cache.clear()
    except Exception:
        logger.warning("page cache unavailable for clearing", exc_info=True)
    forget_computed()


setting_changed.connect(_settings_changed, dispatch_uid="page_cache_settings_changed")
