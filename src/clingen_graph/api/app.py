"""``create_app(settings)``: nothing is opened at import time (STYLE §6.13)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from .. import __version__
from ..store import GraphStore
from . import errors
from .audit import AuditLog
from .limits import Edge, HeadAsGet, RequestLimits
from .routes import catalogue, classify, dumps, entities, search, sparql, workbench, writes
from .settings import Settings
from .sparql_exec import QueryPool
from .state import AppState

DESCRIPTION = (
    "ClinGen gene-disease validity, dosage sensitivity and variant pathogenicity (expert panel interpretations "
    "with ACMG criteria, ClinVar submissions, aggregates and conflicts), with MONDO, HPO and HGNC, as a SPARQL "
    "endpoint and JSON-LD entity API. Every answer comes from a named, versioned release (see /releases).\n\n"
    "**Limits.** `/sparql` is read-only; `SERVICE` only to allowed hosts; queries stop at a time limit (503), "
    "SELECT answers at a row limit (first rows, flagged `X-Result-Truncated: true`) and a byte limit (413). "
    "Requests over the size limit answer 413; with a rate limit set, a client over it gets 429 and "
    "`Retry-After`. Entity and /releases answers carry `ETag`/`Last-Modified` (304 on `If-None-Match`); `HEAD` "
    "answers every GET route with the GET's headers and no body.\n\n"
    "**Writes** (`PUT`/`DELETE /graphs/{name}`, `POST /releases`) need a bearer token whose sha256 is "
    "configured (`CLINGEN_GRAPH_WRITE_TOKEN_SHA256`); without it they answer 403. Every write is audited.\n\n"
    "Errors are `application/problem+json` (RFC 9457)."
)
# headers a browser script may read on a cross-origin answer
EXPOSED = ["ETag", "Last-Modified", "Retry-After", sparql.TRUNCATED, sparql.ROW_LIMIT]


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> FastAPI:
    """Build the API. ``store`` lets tests hand in an already-open (e.g. in-memory) store.

    With ``write_token_sha256`` set, an on-disk store is opened read-write by this process (run one server
    process per store directory, and no ``clingen-graph load`` on it meanwhile: RocksDB has one writer);
    without it the store is opened read-only and loads go through the CLI.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.query_pool.close()

    app = FastAPI(title="clingen-graph", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.clingen = AppState(settings.store, cache_entries=settings.cache_entries, store=store,
                                 writable=settings.writes_enabled)
    path = settings.store.split(":", 1)[1] if settings.store.startswith("oxigraph:") else ""
    app.state.query_pool = QueryPool(path, settings.sparql_workers)
    app.state.write_lock = threading.Lock()
    app.state.audit = AuditLog(settings.audit_log)
    if settings.writes_enabled:
        app.state.audit.check()
    errors.install(app)
    app.include_router(sparql.router)
    app.include_router(entities.router)
    app.include_router(classify.router)
    app.include_router(writes.router)
    app.include_router(catalogue.router)
    app.include_router(workbench.router)  # before any /static mount: it serves /static/vendor/codemirror/
    app.include_router(search.router)  # /search, and /static/{name} for the pages' CSS and typeahead
    app.include_router(dumps.router)

    # the last added runs first: HEAD as GET, CORS and gzip (so that 413/429 answers carry CORS headers too),
    # then limits
    app.add_middleware(RequestLimits, max_request_bytes=settings.max_request_bytes,
                       rate_per_s=settings.rate_limit_per_s, burst=settings.rate_burst)
    app.add_middleware(Edge, cors_origins=settings.cors_origins, gzip_min_bytes=settings.gzip_min_bytes,
                       expose=EXPOSED)
    app.add_middleware(HeadAsGet)  # outermost: a HEAD gets the GET's headers, gzip and CORS included

    @app.get("/health", tags=["service"], summary="Liveness and the release view in use")
    def health() -> dict:
        state: AppState = app.state.clingen
        return {"status": "ok", "version": __version__, "generation": state.generation,
                "graphs": len(state.graphs), "writes": settings.writes_enabled}

    return app
