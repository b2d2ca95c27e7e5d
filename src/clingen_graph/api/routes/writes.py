"""The curators' write path: Graph Store Protocol ``PUT``/``DELETE /graphs/{name}`` and ``POST /releases``.

Every route needs ``Authorization: Bearer TOKEN`` where sha256(TOKEN) is ``CLINGEN_GRAPH_WRITE_TOKEN_SHA256``
(compared in constant time); without that setting writes answer 403. Writes run one at a time, then bump
the store's generation so caches, entity tags and the /sparql workers move to the new data. Every attempt
with a token is appended to the audit log (:mod:`..audit`).

Graph names are the path after https://w3id.org/clingen-graph/graph/ (``PUT /graphs/curated/notes`` writes
``…/graph/curated/notes``). The metadata graph and release graphs are refused: releases change only by
loading files (``POST /releases``), so their metadata (sha256, counts) stays true.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import RdfFormat, parse
from starlette.concurrency import run_in_threadpool

from ...ids import CURATED_BASE, GRAPH_BASE, META_GRAPH
from ...release import LoadSummary, load_paths, releases
from ...store import GraphStore
from ...store.base import StoreError
from ..audit import AuditLog
from ..deps import SettingsDep, StateDep
from ..errors import ApiProblem
from ..settings import Settings
from ..state import AppState, bump_generation

router = APIRouter(tags=["writes"])
T = TypeVar("T")
RDF_TYPES = {"text/turtle": RdfFormat.TURTLE, "application/n-triples": RdfFormat.N_TRIPLES}
GRAPH_NAME = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*")
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,199}")
MAX_PROBLEMS = 1000  # problems listed in a load answer (all are counted)
AUTH_DOC = ("Needs `Authorization: Bearer TOKEN` (sha256 of TOKEN = `CLINGEN_GRAPH_WRITE_TOKEN_SHA256`): 401 "
            "without a valid token, 403 when writes are disabled. Each attempt is written to the audit log.")


class _Write:
    """One write request: who sent it, what it names, and how its audit line ends."""

    def __init__(self, request: Request, settings: Settings) -> None:
        self.request = request
        self.settings = settings
        self.audit: AuditLog = request.app.state.audit
        self.client = request.client.host if request.client else None
        self.token: str | None = None
        self.fields: dict[str, Any] = {}
        self.done = False

    def authorise(self) -> None:
        expected = self.settings.write_token_sha256
        if expected is None:
            raise ApiProblem(403, "Writes disabled", "writes are disabled on this server: set "
                             "CLINGEN_GRAPH_WRITE_TOKEN_SHA256 to the sha256 of a bearer token to enable them")
        scheme, _, token = self.request.headers.get("authorization", "").partition(" ")
        token = token.strip()
        digest = hashlib.sha256(token.encode()).hexdigest() if token else ""
        self.token = digest[:8] or None
        if scheme.lower() != "bearer" or not token or not hmac.compare_digest(digest, expected):
            self.finish(401, "unauthorized")
            raise ApiProblem(401, "Unauthorized", "writes need Authorization: Bearer TOKEN with the write token",
                             headers={"WWW-Authenticate": 'Bearer realm="clingen-graph"'})

    def finish(self, status: int, outcome: str, **extra: Any) -> None:
        if self.done:
            return
        self.done = True
        self.fields.update(extra)
        self.audit.record(token=self.token, client=self.client, method=self.request.method,
                          path=self.request.url.path, status=status, outcome=outcome, **self.fields)

    def refuse(self, status: int, title: str, detail: str, outcome: str = "refused") -> ApiProblem:
        self.finish(status, outcome, detail=detail)
        return ApiProblem(status, title, detail)

    async def body_to(self, path: Path) -> None:
        """Stream the body into ``path``, recording its sha256 and size; over the upload limit → 413."""
        h, size, limit = hashlib.sha256(), 0, self.settings.max_upload_bytes
        try:
            declared = self.request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise ApiProblem(413, "Request too large", f"the body ({declared} bytes) is over the {limit}-byte "
                                 "limit (CLINGEN_GRAPH_MAX_UPLOAD_BYTES)")
            with path.open("wb") as fh:
                async for chunk in self.request.stream():
                    size += len(chunk)
                    if size > limit:
                        raise ApiProblem(413, "Request too large", f"the body is over the {limit}-byte limit "
                                         "(CLINGEN_GRAPH_MAX_UPLOAD_BYTES)")
                    h.update(chunk)
                    fh.write(chunk)
        except ApiProblem as exc:
            self.finish(exc.status, "refused", detail=exc.detail)
            raise
        self.fields.update(bodySha256=h.hexdigest(), bodyBytes=size)


def _locked(request: Request, fn: Callable[[], T]) -> T:
    """Run ``fn`` holding the app's write lock: one write at a time."""
    lock: threading.Lock = request.app.state.write_lock
    state: AppState = request.app.state.clingen
    refused: ApiProblem | None = None
    with lock, state.writing():
        try:
            return fn()
        except ApiProblem as exc:
            refused = ApiProblem(exc.status, exc.title, exc.detail, exc.headers)
    # raised afresh outside the except block: the old traceback holds pyoxigraph objects (a parser), which
    # only the thread that made them may drop
    assert refused is not None
    raise refused


def _after_write(state: AppState, store: GraphStore) -> None:
    flush = getattr(getattr(store, "raw", None), "flush", None)
    if flush is not None:
        flush()  # on disk: the /sparql workers reopen the directory and must see everything
    view = getattr(store, "view", None)
    if view is not None:
        view.invalidate()  # its graph list may have been read half-way through the write
    bump_generation(store)
    state.refresh()


def _graph_iri(write: _Write, name: str) -> str:
    if name.startswith(("http://", "https://")) or not GRAPH_NAME.fullmatch(name) or ".." in name.split("/"):
        raise write.refuse(400, "Bad graph name", f"{name!r} is not a graph name: give the path after {GRAPH_BASE} "
                           "(letters, digits, '.', '_', '~', '-', separated by '/')")
    iri = GRAPH_BASE + name
    write.fields["graph"] = iri
    if iri == META_GRAPH:
        raise write.refuse(403, "Metadata graph", "the metadata graph is written only by loading releases "
                           "(POST /releases)")
    return iri


def _refuse_release(write: _Write, store: GraphStore, iri: str) -> None:
    owner = next((r for r in releases(store) if r.graph == iri), None)
    if owner is not None:
        raise write.refuse(409, "Release graph", f"{iri} is release {owner.label} of {owner.source}: releases change "
                           "only by loading a file (POST /releases), so their metadata stays true")
    if not iri.startswith(CURATED_BASE):
        raise write.refuse(400, "Not a curated graph", f"curated graphs live under {CURATED_BASE} (name "
                           "`curated/...`); the other names under the graph base belong to releases and loads")


def _exists(store: GraphStore, iri: str) -> bool:
    return bool(store.query(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"))  # iri is checked: no injection


def _failed(write: _Write, exc: Exception) -> None:
    write.finish(503 if isinstance(exc, StoreError) else 500, "error", detail=f"{type(exc).__name__}: {exc}"[:500])


@router.put("/graphs/{name:path}", summary="Replace a named graph (Graph Store Protocol)",
            status_code=201, responses={200: {"description": "replaced"}, 201: {"description": "created"}},
            description="The body (`text/turtle` or `application/n-triples`) becomes the whole content of graph "
                        f"`{GRAPH_BASE}{{name}}` (`name` is the path after the base, e.g. `curated/notes`); relative "
                        "IRIs resolve against the graph IRI. The metadata graph (403) and release graphs (409) are "
                        "refused. Such graphs are not in the default query view: query them with `GRAPH` or "
                        "`default-graph-uri`. Names must start with `curated/` (400 otherwise): loads never touch "
                        "those, and drop other graphs under the base that are not releases (orphans of interrupted "
                        "loads). " + AUTH_DOC)
async def put_graph(name: str, request: Request, state: StateDep, settings: SettingsDep) -> Response:
    write = _Write(request, settings)
    write.authorise()
    iri = _graph_iri(write, name)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = RDF_TYPES.get(ctype)
    if fmt is None:
        raise write.refuse(415, "Unsupported media type", "send the graph as text/turtle or application/n-triples")
    folder = Path(tempfile.mkdtemp(prefix="clingen-graph-put-", dir=settings.upload_dir))
    try:
        body = folder / "graph"
        await write.body_to(body)

        def apply() -> tuple[int, bool]:
            try:
                triples = [(q.subject, q.predicate, q.object) for q in parse(path=str(body), format=fmt,
                                                                             base_iri=iri)]
            except (SyntaxError, ValueError) as exc:
                raise write.refuse(400, "Bad RDF", f"the body is not valid {ctype}: {exc}") from exc
            store = state.store
            _refuse_release(write, store, iri)
            existed = _exists(store, iri)
            count = store.replace_graph(iri, triples)
            _after_write(state, store)
            return count, existed

        try:
            count, existed = await run_in_threadpool(_locked, request, apply)
        except ApiProblem:
            raise
        except Exception as exc:
            _failed(write, exc)
            raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    status = 200 if existed else 201
    outcome = "replaced" if existed else "created"
    write.finish(status, outcome, triples=count)
    return Response(orjson.dumps({"graph": iri, "status": outcome, "triples": count}), status_code=status,
                    media_type="application/json")


@router.delete("/graphs/{name:path}", summary="Delete a named graph (Graph Store Protocol)",
               description=f"Drops graph `{GRAPH_BASE}{{name}}`; 404 when it holds nothing. The metadata graph "
                           "(403) and release graphs (409) are refused. " + AUTH_DOC)
async def delete_graph(name: str, request: Request, state: StateDep, settings: SettingsDep) -> Response:
    write = _Write(request, settings)
    write.authorise()
    iri = _graph_iri(write, name)

    def apply() -> None:
        store = state.store
        _refuse_release(write, store, iri)
        if not _exists(store, iri):
            raise write.refuse(404, "Not found", f"graph {iri} holds nothing", outcome="absent")
        store.drop_graph(iri)
        _after_write(state, store)

    try:
        await run_in_threadpool(_locked, request, apply)
    except ApiProblem:
        raise
    except Exception as exc:
        _failed(write, exc)
        raise
    write.finish(200, "deleted")
    return Response(orjson.dumps({"graph": iri, "status": "deleted"}), media_type="application/json")


def _file_name(write: _Write, request: Request) -> str:
    name = request.query_params.get("filename")
    if not name:
        m = re.search(r'filename="?([^";]+)"?', request.headers.get("content-disposition", ""))
        name = m.group(1) if m else ""
    if not FILE_NAME.fullmatch(name):  # a plain name: no folders, nothing hidden
        raise write.refuse(400, "Bad file name", "give the source file's name as ?filename= (letters, digits, "
                           "'.', '_', '+', '-'; it can carry the release date, e.g. hgnc_entries_2024-07-23.tsv)")
    write.fields["file"] = name
    return name


def _summary_json(s: LoadSummary, name: str, tmp: Path) -> dict[str, Any]:
    problems = [{"level": p.level, "line": p.line, "code": p.code, "message": p.message.replace(str(tmp), name)}
                for p in s.problems[:MAX_PROBLEMS]]
    return {"file": name, "source": s.source, "release": s.release, "graph": s.graph or None, "status": s.status,
            "rowsRead": s.rows_read, "rowsLoaded": s.rows_loaded, "rowsRejected": s.rows_rejected,
            "rowsQuarantined": s.rows_quarantined, "warnings": s.warnings, "triples": s.triples,
            "seconds": round(s.seconds, 3), "conforms": s.conforms, "message": s.message.replace(str(tmp), name),
            "problemCount": len(s.problems), "problems": problems}


@router.post("/releases", summary="Load a source file as a release",
             responses={200: {"description": "unchanged: this file is already a release"},
                        201: {"description": "loaded"},
                        422: {"description": "refused or failed, with the problems"}},
             description="The body is the file itself (any content type but multipart; gzip files stay "
                         "gzipped) and `?filename=` its name, which can carry the release date. It is loaded like "
                         "`clingen-graph load FILE` (source detected from the content, SHACL-validated, "
                         "`strict=true` refuses a release with violations) and the answer is the load summary: "
                         "rows read/loaded/rejected/quarantined, triples, and the problems (first "
                         f"{MAX_PROBLEMS}). 201 loaded, 200 unchanged (same sha256 as a loaded release), 422 "
                         "refused or failed. " + AUTH_DOC)
async def post_release(request: Request, state: StateDep, settings: SettingsDep, strict: bool = False) -> Response:
    write = _Write(request, settings)
    write.authorise()
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype.startswith("multipart/"):
        raise write.refuse(415, "Unsupported media type", "send the file itself as the body (e.g. "
                           "application/octet-stream) with ?filename=NAME; multipart forms are not read")
    name = _file_name(write, request)
    folder = Path(tempfile.mkdtemp(prefix="clingen-graph-upload-", dir=settings.upload_dir))
    try:
        path = folder / name
        await write.body_to(path)

        def apply() -> list[LoadSummary]:
            store = state.store
            summaries = load_paths(store, [path], strict=strict)
            if any(s.status == "loaded" for s in summaries):
                _after_write(state, store)
            return summaries

        try:
            summaries = await run_in_threadpool(_locked, request, apply)
        except Exception as exc:
            _failed(write, exc)
            raise
        ontology, loaded = summaries[0], summaries[-1]
        answer = _summary_json(loaded, name, path)
        answer["ontology"] = {"release": ontology.release, "status": ontology.status}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    status = {"loaded": 201, "unchanged": 200}.get(loaded.status, 422)
    write.finish(status, loaded.status, release=loaded.graph or None, source=loaded.source,
                 rowsRead=loaded.rows_read, rowsLoaded=loaded.rows_loaded, rowsRejected=loaded.rows_rejected,
                 detail=answer["message"] or None)
    return Response(orjson.dumps(answer), status_code=status, media_type="application/json")
