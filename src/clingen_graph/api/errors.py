"""Errors as RFC 9457 ``application/problem+json``; never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..ids import IdError
from ..query import QueryError
from ..store.base import QueryTimeout, StoreError
from .settings import TIMEOUT_SETTING

log = logging.getLogger("clingen_graph.api")
PROBLEM = "application/problem+json"


class ApiProblem(Exception):
    def __init__(self, status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers


def problem(status: int, title: str, detail: str, request: Request | None = None, *,
            instance: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if request is not None:
        instance = str(request.url.path)
    if instance is not None:
        body["instance"] = instance
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def timeout_detail(message: str, limit: float) -> str:
    """What a timeout problem says: what happened, the limit in seconds and the setting that sets it."""
    return (f"{message.rstrip('.')}; /sparql queries may run {limit:g} s (setting {TIMEOUT_SETTING}); "
            "add LIMIT or narrow the query")


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiProblem)
    async def _api(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem(exc.status, exc.title, exc.detail, request, headers=exc.headers)

    # typed library errors → status and title (one table, one handler)
    statuses: dict[type[Exception], tuple[int, str]] = {
        # 503, not 504: the server is up but gave up on this query (a gateway timeout is a proxy's word)
        QueryTimeout: (503, "Query timeout"),
        QueryError: (400, "Bad query"),
        IdError: (400, "Bad identifier"),
        StoreError: (503, "Store unavailable"),
    }

    async def _typed(request: Request, exc: Exception) -> JSONResponse:
        status, title = next(v for k, v in statuses.items() if isinstance(exc, k))
        detail = str(exc)
        if isinstance(exc, QueryTimeout):
            detail = timeout_detail(detail, request.app.state.settings.query_timeout)
        return problem(status, title, detail, request)

    for exc_type in statuses:
        app.add_exception_handler(exc_type, _typed)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail) if exc.status_code != 404 else "Not found",
                       str(exc.detail), request, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem(400, "Bad request", "; ".join(e.get("msg", "") for e in exc.errors()), request)

    @app.exception_handler(Exception)
    async def _any(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem(500, "Internal error", "the server failed to answer; the error was logged", request)
