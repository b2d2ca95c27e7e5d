"""Request limits before any route runs: size (413) and a per-client rate (429 with ``Retry-After``).

A plain ASGI middleware (not ``BaseHTTPMiddleware``, which costs a task and a stream per request): the
fast path is a dict look-up and a header scan. The rate limit is a token bucket per client IP (the
connection's peer; behind a proxy, uvicorn's ``--proxy-headers`` makes that the forwarded address). Write
routes are left to themselves: they check the token before reading a byte, then stream the body against
the (larger) upload limit, and audit what they refuse.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import ApiProblem, problem

MAX_CLIENTS = 10_000  # buckets kept before idle (full) ones are forgotten


class TokenBuckets:
    """``rate`` tokens per second up to ``burst`` per key; :meth:`take` says how long to wait when empty.

    Used from the event loop only (one thread), so it needs no lock."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self._clock = rate, float(burst), clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> float:
        """Spend one token: 0 if there was one, else the seconds until there will be."""
        now = self._clock()
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > MAX_CLIENTS:
                self._forget_idle(now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        full_after = self.burst / self.rate  # a bucket untouched this long is full again: same as no entry
        for key in [k for k, (_, last) in self._buckets.items() if now - last >= full_after]:
            del self._buckets[key]


def is_write(method: str, path: str) -> bool:
    """The write routes, which limit their own bodies."""
    return path.startswith("/graphs/") or (path == "/releases" and method == "POST")


class RequestLimits:
    def __init__(self, app: ASGIApp, *, max_request_bytes: int, rate_per_s: float, burst: int) -> None:
        self.app = app
        self.max_request_bytes = max_request_bytes
        self.buckets = TokenBuckets(rate_per_s, burst) if rate_per_s > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if self.buckets is not None:
            client = scope.get("client")
            wait = self.buckets.take(client[0] if client else "-")
            if wait > 0:
                retry = max(1, math.ceil(wait))
                await problem(429, "Too many requests", f"this client may make {self.buckets.rate:g} requests per "
                              f"second (bursts of {self.buckets.burst:g}; settings CLINGEN_GRAPH_RATE_LIMIT_PER_S, "
                              f"CLINGEN_GRAPH_RATE_BURST); retry after {retry} s", instance=path,
                              headers={"Retry-After": str(retry)})(scope, receive, send)
                return
        if len(scope.get("query_string", b"")) > self.max_request_bytes:
            await _too_large(f"the query string is over the {self.max_request_bytes}-byte limit "
                             "(CLINGEN_GRAPH_MAX_REQUEST_BYTES); POST long queries", path, scope, receive, send)
            return
        if is_write(scope["method"], path):
            # the write routes check the token first, then the body against the upload limit, and audit both
            await self.app(scope, receive, send)
            return
        limit = self.max_request_bytes
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > limit:
                    await _too_large(_body_detail(limit), path, scope, receive, send)
                    return
                break
        if scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        await self.app(scope, _counting(receive, limit), send)


def _body_detail(limit: int) -> str:
    return f"the request body is over the {limit}-byte limit (CLINGEN_GRAPH_MAX_REQUEST_BYTES)"


def _counting(receive: Receive, limit: int) -> Receive:
    """``receive`` that stops a body without Content-Length (chunked) once it passes ``limit``: the route
    reading it gets a 413 problem."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise ApiProblem(413, "Request too large", _body_detail(limit))
        return message

    return counted


async def _too_large(detail: str, path: str, scope: Scope, receive: Receive, send: Send) -> None:
    await problem(413, "Request too large", detail, instance=path)(scope, receive, send)


class Edge:
    """gzip and CORS, skipped for the requests that need neither.

    Starlette's ``GZipMiddleware`` and ``CORSMiddleware`` wrap every response (header parsing, ``Vary``
    merging: some 20 µs a request). A request without ``Origin`` and without ``Accept-Encoding: gzip`` (a
    benchmark, a script, a server-side client) goes straight to the app; its answer still says
    ``Vary: Accept-Encoding, Origin`` so that shared caches keep the variants apart.
    """

    def __init__(self, app: ASGIApp, *, cors_origins: list[str], gzip_min_bytes: int, expose: list[str]) -> None:
        from starlette.middleware.cors import CORSMiddleware
        from starlette.middleware.gzip import GZipMiddleware

        self.plain = app
        full: ASGIApp = GZipMiddleware(app, minimum_size=gzip_min_bytes, compresslevel=6)
        if cors_origins:
            # reads only: a page elsewhere cannot send the preflighted requests that writes need
            full = CORSMiddleware(full, allow_origins=cors_origins, allow_methods=["GET", "HEAD", "OPTIONS"],
                                  allow_headers=["Accept", "Accept-Language", "Content-Language", "If-None-Match",
                                                 "If-Modified-Since"],
                                  expose_headers=expose, max_age=600)
        self.full = full
        self.vary = b"Accept-Encoding, Origin" if cors_origins else b"Accept-Encoding"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _wants_edge(scope):
            await self.full(scope, receive, send)
            return
        vary = self.vary

        async def send_vary(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), (b"vary", vary)]
            await send(message)

        await self.plain(scope, receive, send_vary)


def _wants_edge(scope: Scope) -> bool:
    return any(name == b"origin" or (name == b"accept-encoding" and b"gzip" in value)
               for name, value in scope["headers"])


class HeadAsGet:
    """``HEAD`` answered as ``GET`` without the body (RFC 9110 §9.3.2): FastAPI routes declare GET only, and
    monitors, caches and ``curl -I`` ask HEAD. The status and headers are the GET's, ``Content-Length``,
    ``ETag`` and ``Content-Encoding`` included, so a client can check a representation without fetching it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        done = False

        async def headers_only(message: Message) -> None:
            nonlocal done
            if message["type"] == "http.response.start":
                await send(message)
            elif message["type"] == "http.response.body" and not done:
                if not message.get("more_body", False):
                    done = True
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
            else:
                await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
