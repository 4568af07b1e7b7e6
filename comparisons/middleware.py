"""Headers for the parts of the site that programs read: the API, bulk data, feeds, llms.txt.

They are GET-only and public, so any origin may read them (CORS), and each answer carries
an ETag so a client or CDN that sends it back gets 304 Not Modified instead of the body.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag

MACHINE_PATHS = ("/api/", "/data/", "/feeds/", "/llms.txt")
CORS_PATHS = ("/api/", "/data/", "/feeds/")

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Retry-After, Link",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since, Accept",
    "Access-Control-Max-Age": "86400",
}


class MachineReadableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith(MACHINE_PATHS):
            return self.get_response(request)
        cors = path.startswith(CORS_PATHS)
        if cors and request.method == "OPTIONS":
            response = HttpResponse(status=204)
            for name, value in PREFLIGHT_HEADERS.items():
                response[name] = value
            return response
        # The API's operations are declared for GET; HEAD answers the same headers, no body.
        head = request.method == "HEAD" and path.startswith("/api/")
        if head:
            request.method = "GET"
        response = self.get_response(request)
        if cors:
            for name, value in CORS_HEADERS.items():
                response.setdefault(name, value)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            if not response.streaming and not response.has_header("ETag"):
                set_response_etag(response)
            patch_vary_headers(response, ["Accept-Encoding"])
            response = get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=None,
                response=response,
            )
        if head:
            request.method = "HEAD"
            if not response.streaming and response.content:
                length = len(response.content)
                response.content = b""
                response["Content-Length"] = str(length)
        return response
