"""``GET /search``: genes, diseases and variants by name, for search boxes and typeahead.

The index (:mod:`clingen_graph.search_index`) is built from the named query ``search-names`` the first time a
release view is searched and kept in that view's cache, so a new release builds a new one.
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections import defaultdict
from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response

from ...ids import compress_iri
from ...query import api_query, select_rows
from ...search_index import Entry, SearchIndex
from ..deps import StateDep
from ..errors import ApiProblem
from ..http_cache import entity_tag, not_modified, unchanged, validator_headers
from ..links import page_url
from ..pages import STATIC
from ..state import AppState

router = APIRouter(tags=["search"])
# page (URL segment) → the names that label its entities, in order of preference
PAGE_TYPES = {"genes": ("symbol",), "diseases": ("label",), "variants": ("label", "caid", "clinvar")}
_BUILDING = threading.Lock()  # one build at a time: a second request waits for the first one's index
# the index of the newest release view searched, per app state: kept out of the response cache, whose LRU
# would drop it after a few thousand entity responses (a rebuild takes seconds on the bundled data)
_INDEXES: dict[int, tuple[str, SearchIndex]] = {}


def build_index(state: AppState) -> SearchIndex:
    """The current release view's index (built once per view)."""
    tag, _ = state.validators
    held = _INDEXES.get(id(state))
    if held is not None and held[0] == tag:
        return held[1]
    with _BUILDING:
        held = _INDEXES.get(id(state))
        if held is None or held[0] != tag:
            view = state.snapshot()
            rows = select_rows(view.store, api_query("search-names").text, view.graphs)
            held = (tag, SearchIndex(_entries(rows)))
            _INDEXES[id(state)] = held
            del rows
            # millions of long-lived objects: out of the collector's reach, or every full collection walks them
            # all (pauses near a second, p99 of every route at 1 s on the bundled data)
            gc.freeze()
    return held[1]


def warm_index(state: AppState) -> threading.Thread:
    """Build the current view's index in a background thread (``serve`` does at start-up), so that the first
    search does not wait for it."""
    thread = threading.Thread(target=build_index, args=(state,), name="search-index", daemon=True)
    thread.start()
    return thread


def _entries(rows: list[dict[str, object]]) -> list[Entry]:
    """Rows of ``search-names`` → entries of the entities that have a page (genes, MONDO diseases, variants),
    labelled by their symbol, label, or CAid; obsolete terms and non-human animal diseases left out."""
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        names[row["entity"].value].append((row["kind"].value, row["text"].value))  # type: ignore[union-attr]
    out: list[Entry] = []
    for iri, pairs in names.items():
        url = page_url(iri)
        kind = url.split("/")[1] if url else ""
        if kind not in PAGE_TYPES:
            continue
        by_kind = dict(pairs)
        if "obsolete" in by_kind or "non-human" in by_kind:
            continue
        label = next((by_kind[k] for k in PAGE_TYPES[kind] if k in by_kind), compress_iri(iri))
        curie = compress_iri(iri)
        out += [Entry(curie, label, kind[:-1], text, k, url) for k, text in pairs  # type: ignore[arg-type]
                if not (k == "label" and kind == "genes")]  # a gene's label repeats its symbol
    return out


@router.get("/search", summary="Genes, diseases and variants by name or identifier",
            description="Matches gene symbols (approved, previous, alias) and names, disease labels and synonyms, "
                        "variant ids (CAid, ClinVar variation id, rsID, VRS id) and HGVS expressions, "
                        "case-insensitively: exact matches first, then names starting with `q`, then a later "
                        "word starting with it, then `q` anywhere. Each result names the text that matched and "
                        "the entity's page.")
def search(request: Request, state: StateDep,
           q: Annotated[str, Query(description="what to look for", max_length=200)] = "",
           limit: Annotated[int, Query(ge=1, le=100)] = 10,
           type: Annotated[Literal["gene", "disease", "variant"] | None, Query()] = None) -> Response:
    tag, modified = state.validators
    variant = hashlib.sha256(f"{q}\x1f{limit}\x1f{type}".encode()).hexdigest()[:12]
    headers = validator_headers(entity_tag(tag, f"search-{variant}"), modified)
    if not_modified(request, headers["ETag"], modified):
        return unchanged(headers)
    hits = build_index(state).search(q, limit=limit, type=type)
    body = orjson.dumps({"query": q, "results": [h.as_json() for h in hits]})
    return Response(body, media_type="application/json", headers=headers)


STATIC_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".png": "image/png"}


@router.get("/static/{name}", include_in_schema=False)
def static_file(name: str) -> FileResponse:
    """The pages' CSS and the typeahead script (``api/static/``; one level, no sub-folders)."""
    path = STATIC / name
    if name.startswith(".") or path.suffix not in STATIC_TYPES or not path.is_file():
        raise ApiProblem(404, "Not found", f"/static/{name} does not exist")
    return FileResponse(path, media_type=STATIC_TYPES[path.suffix], headers={"Cache-Control": "public, max-age=3600"})
