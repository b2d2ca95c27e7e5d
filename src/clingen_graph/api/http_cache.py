"""Conditional GETs for answers that depend only on the current releases (entities, /releases).

Their entity tag is the release view's tag (computed once per generation in :class:`.state.AppState`) plus
the representation, so checking ``If-None-Match`` costs a string comparison. Tags are weak (``W/``): the
same answer may be sent gzipped or not. ``Cache-Control: no-cache`` makes caches revalidate every time
instead of guessing a freshness from Last-Modified, which would keep an old release after a load.
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from fastapi import Request
from fastapi.responses import Response

MEDIA_CODES = {"application/ld+json": "jsonld", "application/json": "json", "text/turtle": "ttl",
               "application/n-triples": "nt"}


def entity_tag(tag: str, variant: str) -> str:
    return f'W/"{tag}-{variant}"'


def validator_headers(etag: str, last_modified: str) -> dict[str, str]:
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept"}
    if last_modified:
        headers["Last-Modified"] = last_modified
    return headers


def _tag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2): ``W/`` prefixes are ignored on both sides."""
    opaque = etag.removeprefix("W/")
    return any(part.strip().removeprefix("W/") == opaque for part in header.split(","))


def not_modified(request: Request, etag: str, last_modified: str) -> bool:
    """The client's copy is current: ``If-None-Match`` matches, or (without it) ``If-Modified-Since`` is not
    older than ``last_modified``."""
    headers = request.headers
    match = headers.get("if-none-match")
    if match is not None:
        return _tag_matches(match, etag)
    since = headers.get("if-modified-since")
    if since and last_modified:
        try:
            return parsedate_to_datetime(since) >= parsedate_to_datetime(last_modified)
        except (TypeError, ValueError):
            return False
    return False


def unchanged(headers: dict[str, str]) -> Response:
    """A 304 with the validators (and no body)."""
    return Response(status_code=304, headers=headers)
