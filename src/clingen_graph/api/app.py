"""``create_app(settings)``: nothing is opened at import time (STYLE §6.13)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from .. import __version__
from ..store import GraphStore
from . import errors
from .routes import classify, entities, sparql
from .settings import Settings
from .sparql_exec import QueryPool
from .state import AppState


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> FastAPI:
    """Build the API. ``store`` lets tests hand in an already-open (e.g. in-memory) store."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.query_pool.close()

    app = FastAPI(
        title="clingen-graph",
        version=__version__,
        description="ClinGen gene-disease validity, dosage sensitivity and variant pathogenicity (expert panel "
                    "interpretations with ACMG criteria, ClinVar submissions, aggregates and conflicts), with "
                    "MONDO, HPO and HGNC, as a "
                    "SPARQL endpoint and JSON-LD entity API. Every answer comes from a named, versioned "
                    "release (see /releases).",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clingen = AppState(settings.store, cache_entries=settings.cache_entries, store=store)
    path = settings.store.split(":", 1)[1] if settings.store.startswith("oxigraph:") else ""
    app.state.query_pool = QueryPool(path, settings.sparql_workers)
    errors.install(app)
    app.include_router(sparql.router)
    app.include_router(entities.router)
    app.include_router(classify.router)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    @app.get("/health", tags=["service"], summary="Liveness and the release view in use")
    def health() -> dict:
        state: AppState = app.state.clingen
        return {"status": "ok", "version": __version__, "generation": state.generation,
                "graphs": len(state.graphs)}

    return app
