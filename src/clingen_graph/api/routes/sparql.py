"""``/sparql``: the SPARQL 1.1 Protocol, read-only, every standard result format, hard limits."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ...store.base import QueryTimeout
from ..deps import SettingsDep, StateDep
from ..errors import ApiProblem, timeout_detail
from ..settings import Settings
from ..sparql_exec import Answer, Limits, SparqlRequestError, run_query
from ..sparql_guard import SparqlRefused, check
from ..state import Snapshot

router = APIRouter(tags=["sparql"])
TRUNCATED = "X-Result-Truncated"
ROW_LIMIT = "X-Result-Row-Limit"
UPDATES_REFUSED = ("/sparql answers queries only: SPARQL Update is refused here, also when a write token is "
                   "configured. Curators change data through PUT/DELETE /graphs/{name} and POST /releases.")

LIMITS_DOC = """

**Limits.** Only queries run here (an update answers 403, with or without a write token: writes go through
`PUT`/`DELETE /graphs/{name}` and `POST /releases`). `SERVICE` is refused (403, naming the host) unless the
endpoint's host is listed in `CLINGEN_GRAPH_SERVICE_ALLOW`; `SERVICE ?variable` is always refused. A query
that runs longer than `CLINGEN_GRAPH_QUERY_TIMEOUT` seconds is stopped and answers **503** (never an empty or
partial result). A SELECT with more than `CLINGEN_GRAPH_MAX_RESULT_ROWS` rows (default 100,000) answers
**200 with its first rows only** and the headers `X-Result-Truncated: true` and `X-Result-Row-Limit: N`
(complete answers carry no `X-Result-Truncated`); add `LIMIT`/`OFFSET` to page. An answer larger than
`CLINGEN_GRAPH_MAX_RESULT_BYTES` answers 413. Errors are `application/problem+json`."""


async def _query_from(request: Request) -> tuple[str | None, list[str], list[str]]:
    params = parse_qs(request.url.query)
    if "update" in params:
        raise ApiProblem(403, "Updates not accepted here", UPDATES_REFUSED)
    query = (params.get("query") or [None])[0]
    default = params.get("default-graph-uri", [])
    named = params.get("named-graph-uri", [])
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            raise ApiProblem(403, "Updates not accepted here", UPDATES_REFUSED)
        body = (await request.body()).decode("utf-8", errors="replace")
        if ctype == "application/sparql-query":
            query = body
        elif ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body)
            if "update" in form:
                raise ApiProblem(403, "Updates not accepted here", UPDATES_REFUSED)
            query = (form.get("query") or [None])[0]
            default += form.get("default-graph-uri", [])
            named += form.get("named-graph-uri", [])
        else:
            raise ApiProblem(415, "Unsupported media type",
                             "POST a query as application/sparql-query or application/x-www-form-urlencoded")
    return query, default, named


def _run(request: Request, state: StateDep, settings: SettingsDep, query: str, default: list[str]) -> Response:
    try:
        check(query, settings.service_allow)  # before any store sees it; rdflib may parse: off the event loop
    except SparqlRefused as exc:
        raise ApiProblem(exc.status, exc.title, str(exc)) from exc
    view = state.snapshot()  # the store, graphs and generation of one release view
    answer = answer_query(request, settings, view, query, default or view.graphs, request.headers.get("accept", ""))
    headers = {TRUNCATED: "true", ROW_LIMIT: str(settings.max_result_rows)} if answer.truncated else None
    return Response(answer.body, media_type=answer.content_type, headers=headers)


def answer_query(request: Request, settings: Settings, view: Snapshot, query: str, graphs: list[str],
                 accept: str) -> Answer:
    """Run read-only SPARQL on one release view under the configured time, row and byte limits, as every
    route that runs user or catalogue SPARQL does.

    :raises ApiProblem: 400 bad query or dataset, 413 too large, 503 past the time limit.
    """
    limits = Limits(settings.max_result_bytes, settings.max_result_rows)
    failure: tuple[int, str, str] | None = None
    try:
        answer = run_query(view.store, query, graphs, accept, limits, pool=request.app.state.query_pool,
                           generation=view.generation, timeout=settings.query_timeout)
    except SparqlRequestError as exc:
        failure = (exc.status, exc.title, str(exc))
    except QueryTimeout as exc:
        failure = (503, "Query timeout", timeout_detail(str(exc), settings.query_timeout))
    if failure is not None:
        # raised here, not in the except block: the traceback there holds the query's solutions, which
        # pyoxigraph only lets the thread that made them drop
        raise ApiProblem(*failure)
    return answer


@router.get("/sparql", summary="SPARQL 1.1 query (GET)",
            description="`?query=` with optional `default-graph-uri`. Without `default-graph-uri` the default "
                        "graph is the union of the current release of every source plus the metadata graph."
                        + LIMITS_DOC)
async def sparql_get(request: Request, state: StateDep, settings: SettingsDep) -> Response:
    query, default, _named = await _query_from(request)
    if not query:
        raise ApiProblem(400, "Missing query", "pass the SPARQL text as ?query=")
    return await run_in_threadpool(_run, request, state, settings, query, default)


@router.post("/sparql", summary="SPARQL 1.1 query (POST)",
             description="Body as `application/sparql-query`, or a form with `query=`. Updates "
                         "(`application/sparql-update`, `update=`) are refused (403)." + LIMITS_DOC)
async def sparql_post(request: Request, state: StateDep, settings: SettingsDep) -> Response:
    query, default, _named = await _query_from(request)
    if not query:
        raise ApiProblem(400, "Missing query", "the request carries no query")
    return await run_in_threadpool(_run, request, state, settings, query, default)
