"""``/queries``: the catalogue of named queries (``queries/*.rq``) over HTTP, and their results.

``GET /queries/{name}/results?param=value`` binds the parameters through :meth:`NamedQuery.bind` (typed:
a value that is not of its declared type, or a name the query does not take, answers 400 naming the
parameter) and runs the query on the current releases under the same time, row and byte limits as
``/sparql`` (the same worker pool and serialiser, :mod:`..sparql_exec`). Results are SPARQL JSON, CSV or TSV
by ``Accept`` or ``?format=json|csv|tsv``; ``?links=true`` adds a ``links`` member to the JSON answer that
maps each IRI with an HTML page to that page's path (:func:`..links.page_url`; the workbench uses it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from ... import query as catalogue_queries
from ...query import NamedQuery, QueryError, typed_term
from ..deps import SettingsDep, StateDep
from ..errors import ApiProblem
from ..links import page_url
from ..settings import Settings
from ..sparql_exec import Answer, negotiate
from ..state import AppState
from .sparql import ROW_LIMIT, TRUNCATED, answer_query

router = APIRouter(prefix="/queries", tags=["queries"])

# what a catalogue query's results come as: ``?format=`` name → media type
FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
OFFERED = {media: name for name, media in FORMATS.items()} | {"application/json": "json"}
# query-string names that steer the answer rather than bind a parameter
CONTROLS = frozenset({"format", "links"})


class ParamOut(BaseModel):
    name: str
    type: str
    description: str
    example: str | None = None


class QueryOut(BaseModel):
    name: str
    title: str
    description: str
    parameters: list[ParamOut]
    min_rows: int
    sparql: str
    results: str  # the results URL with the example values bound


def describe(q: NamedQuery) -> QueryOut:
    example = {p.name: q.example[p.name] for p in q.params if p.name in q.example}
    results = f"/queries/{q.name}/results" + (f"?{urlencode(example)}" if example else "")
    return QueryOut(
        name=q.name, title=q.title, description=q.description,
        parameters=[ParamOut(name=p.name, type=p.kind, description=p.description, example=q.example.get(p.name))
                    for p in q.params],
        min_rows=q.min_rows, sparql=q.text, results=results,
    )


def _named(name: str) -> NamedQuery:
    found = catalogue_queries.catalogue().get(name)
    if found is None:
        raise ApiProblem(404, "Not found", f"no catalogue query named {name!r}; GET /queries lists them")
    return found


@router.get("", summary="The catalogue of named queries", response_model=list[QueryOut])
async def list_queries() -> list[QueryOut]:
    return [describe(q) for q in catalogue_queries.catalogue().values()]


@router.get("/{name}", summary="One named query: title, description, parameters and its SPARQL",
            response_model=QueryOut)
async def get_query(name: str) -> QueryOut:
    return describe(_named(name))


@dataclass(frozen=True)
class Bound:
    """A catalogue query's text with the request's parameters bound."""

    query: NamedQuery
    sparql: str


def bind_request(q: NamedQuery, values: dict[str, str]) -> Bound:
    """Bind ``values`` (query-string parameters) to ``q``; a bad one is a 400 problem naming it.

    :raises ApiProblem: a parameter the query does not take, or a value not of the declared type.
    """
    kinds = {p.name: p.kind for p in q.params}
    for name, value in values.items():
        if name not in kinds:
            raise ApiProblem(400, "Bad parameter", f"parameter {name!r}: {q.name} has no such parameter; it takes "
                             f"{', '.join(kinds) or 'none'}")
        try:
            typed_term(kinds[name], value)
        except QueryError as exc:
            raise ApiProblem(400, "Bad parameter", f"parameter {name!r} ({kinds[name]}): {exc}") from exc
    return Bound(q, q.bind(values))


def run_query(request: Request, state: AppState, settings: Settings, sparql: str, media: str) -> Answer:
    """Run catalogue SPARQL like ``/sparql`` does, on the current releases (see :func:`.sparql.answer_query`)."""
    view = state.snapshot()
    return answer_query(request, settings, view, sparql, view.graphs, media)


def page_links(results: dict[str, Any]) -> dict[str, str]:
    """Every IRI of SPARQL JSON ``results`` that has an HTML page → that page's path."""
    links: dict[str, str] = {}
    for row in results.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "uri" and term["value"] not in links:
                url = page_url(term["value"])
                if url is not None:
                    links[term["value"]] = url
    return links


def _format(request: Request) -> str:
    """The media type to answer in: ``?format=`` first, else ``Accept``."""
    fmt = request.query_params.get("format")
    if fmt is not None:
        if fmt.lower() not in FORMATS:
            raise ApiProblem(400, "Bad parameter", f"parameter 'format': {fmt!r} is not one of "
                             f"{', '.join(FORMATS)}")
        return FORMATS[fmt.lower()]
    media = negotiate(request.headers.get("accept", ""), OFFERED, FORMATS["json"])
    if media is None:
        raise ApiProblem(406, "Not acceptable", "catalogue results are available as " + ", ".join(OFFERED))
    return FORMATS[OFFERED[media]]


@router.get("/{name}/results", summary="Run a named query with its parameters",
            description="Each query-string parameter other than `format` and `links` binds the query parameter "
                        "of that name (typed; see `GET /queries/{name}`): an unknown name or a malformed value "
                        "answers 400 naming it, a parameter left out stays unbound. Runs on the current "
                        "releases under the `/sparql` limits (time limit → 503; more rows than the row limit → "
                        "the first rows with `X-Result-Truncated: true` and `X-Result-Row-Limit`). Answers "
                        "SPARQL JSON, CSV or TSV by `Accept` or `?format=json|csv|tsv`; `?links=true` adds "
                        "`links`, IRI → path of its HTML page, to the JSON answer.")
def query_results(name: str, request: Request, state: StateDep, settings: SettingsDep) -> Response:
    q = _named(name)
    media = _format(request)
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in CONTROLS:
            continue
        if key in values:
            raise ApiProblem(400, "Bad parameter", f"parameter {key!r} is given more than once")
        values[key] = value
    bound = bind_request(q, values)
    answer = run_query(request, state, settings, bound.sparql, media)
    body = answer.body
    if media == FORMATS["json"] and request.query_params.get("links", "").lower() in ("true", "1", "yes"):
        results = orjson.loads(body)
        results["links"] = page_links(results)
        body = orjson.dumps(results)
    headers = {TRUNCATED: "true", ROW_LIMIT: str(settings.max_result_rows)} if answer.truncated else None
    return Response(body, media_type=answer.content_type, headers=headers)
