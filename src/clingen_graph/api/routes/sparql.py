"""``/sparql``: the SPARQL 1.1 Protocol, read-only, every standard result format, hard timeouts."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...store.oxigraph import OxigraphStore
from ..deps import SettingsDep, StateDep
from ..errors import ApiProblem
from ..sparql_exec import QueryPool, SparqlRequestError, execute, execute_on

router = APIRouter(tags=["sparql"])


async def _query_from(request: Request) -> tuple[str | None, list[str], list[str]]:
    params = parse_qs(request.url.query)
    query = (params.get("query") or [None])[0]
    default = params.get("default-graph-uri", [])
    named = params.get("named-graph-uri", [])
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = (await request.body()).decode("utf-8", errors="replace")
        if ctype == "application/sparql-query":
            query = body
        elif ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body)
            if "update" in form:
                raise ApiProblem(403, "Updates disabled", "this endpoint is read-only")
            query = (form.get("query") or [None])[0]
            default += form.get("default-graph-uri", [])
            named += form.get("named-graph-uri", [])
        elif ctype == "application/sparql-update":
            raise ApiProblem(403, "Updates disabled", "this endpoint is read-only")
        else:
            raise ApiProblem(415, "Unsupported media type",
                             "POST a query as application/sparql-query or application/x-www-form-urlencoded")
    return query, default, named


def _run(request: Request, state: StateDep, settings: SettingsDep, query: str, default: list[str]) -> Response:
    graphs = default or state.graphs
    accept = request.headers.get("accept", "")
    store = state.store
    try:
        if isinstance(store, OxigraphStore) and store.path is not None and not store.writable:
            pool: QueryPool = request.app.state.query_pool
            answer = pool.run(query, graphs, accept, settings.max_result_bytes, state.generation,
                              settings.query_timeout)
        elif isinstance(store, OxigraphStore):
            answer = execute(store.raw, query, graphs, accept, settings.max_result_bytes, store.view)
        else:
            answer = execute_on(store, query, graphs, accept, settings.max_result_bytes, settings.query_timeout)
    except SparqlRequestError as exc:
        raise ApiProblem(exc.status, exc.title, str(exc)) from exc
    return Response(answer.body, media_type=answer.content_type)


@router.get("/sparql", summary="SPARQL 1.1 query (GET)",
            description="`?query=` with optional `default-graph-uri`. Without `default-graph-uri` the default "
                        "graph is the union of the current release of every source plus the metadata graph.")
async def sparql_get(request: Request, state: StateDep, settings: SettingsDep) -> Response:
    query, default, _named = await _query_from(request)
    if not query:
        raise ApiProblem(400, "Missing query", "pass the SPARQL text as ?query=")
    return await _in_thread(request, state, settings, query, default)


@router.post("/sparql", summary="SPARQL 1.1 query (POST)",
             description="Body as `application/sparql-query`, or a form with `query=`. Updates are refused.")
async def sparql_post(request: Request, state: StateDep, settings: SettingsDep) -> Response:
    query, default, _named = await _query_from(request)
    if not query:
        raise ApiProblem(400, "Missing query", "the request carries no query")
    return await _in_thread(request, state, settings, query, default)


async def _in_thread(request: Request, state: StateDep, settings: SettingsDep, query: str,
                     default: list[str]) -> Response:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_run, request, state, settings, query, default)
