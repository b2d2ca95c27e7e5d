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

log = logging.getLogger("clingen_graph.api")
PROBLEM = "application/problem+json"


class ApiProblem(Exception):
    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


def problem(status: int, title: str, detail: str, request: Request | None = None) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if request is not None:
        body["instance"] = str(request.url.path)
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiProblem)
    async def _api(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem(exc.status, exc.title, exc.detail, request)

    # typed library errors → status and title (one table, one handler)
    statuses: dict[type[Exception], tuple[int, str]] = {
        QueryTimeout: (504, "Query timeout"),
        QueryError: (400, "Bad query"),
        IdError: (400, "Bad identifier"),
        StoreError: (503, "Store unavailable"),
    }

    async def _typed(request: Request, exc: Exception) -> JSONResponse:
        status, title = next(v for k, v in statuses.items() if isinstance(exc, k))
        return problem(status, title, str(exc), request)

    for exc_type in statuses:
        app.add_exception_handler(exc_type, _typed)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail) if exc.status_code != 404 else "Not found",
                       str(exc.detail), request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem(400, "Bad request", "; ".join(e.get("msg", "") for e in exc.errors()), request)

    @app.exception_handler(Exception)
    async def _any(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem(500, "Internal error", "the server failed to answer; the error was logged", request)
