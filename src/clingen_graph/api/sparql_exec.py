"""Run user SPARQL with a hard time limit, a row limit and a byte limit.

pyoxigraph cannot interrupt a running query, so ``/sparql`` on an on-disk store sends each query to a
worker process holding its own read-only store; a worker that runs past the limit is killed and replaced,
and the client gets a 503 problem (never an empty result). In-memory stores (tests, one-off runs) run
in-process with a soft limit. What a query may do (no update, SERVICE only to allowed hosts) is checked
before it gets here (:mod:`.sparql_guard`).

SELECT results are read as TSV (one row per line, every term written in full, so it parses back losslessly)
and the serialiser is stopped after ``max_rows`` rows: a longer result is answered with its first
``max_rows`` rows and flagged ``truncated``, and the query stops being evaluated there.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass
from typing import Any

from pyoxigraph import (
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    parse_query_results,
    serialize,
)

from ..ids import prefix_map
from ..store.base import GraphStore, QueryTimeout, StoreError
from ..store.oxigraph import DatasetView, OxigraphStore

RESULT_TYPES: dict[str, QueryResultsFormat] = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "application/xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
GRAPH_TYPES: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}


class SparqlRequestError(ValueError):
    """The request cannot be answered (bad syntax, update, SERVICE, unacceptable format, too large)."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title = status, title


@dataclass(frozen=True)
class Limits:
    """What one answer may hold."""

    max_bytes: int
    max_rows: int


@dataclass(frozen=True)
class Answer:
    content_type: str
    body: bytes
    truncated: bool = False  # a SELECT with more rows than the limit: only the first ones are here


def negotiate(accept: str, offered: dict[str, Any], default: str) -> str | None:
    """First acceptable media type by q-value; ``*/*`` or no header → ``default``."""
    if not accept.strip():
        return default
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, media))
    for neg_q, _, media in sorted(ranked):
        if neg_q == 0:
            continue
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


def execute(store: Store, sparql: str, default_graphs: list[str] | None, accept: str,
            limits: Limits, view: DatasetView | None = None) -> Answer:
    """Run and serialise one query on an embedded store (in a worker or in-process)."""
    kwargs = (view or DatasetView(store)).query_kwargs(default_graphs)
    try:
        result = store.query(sparql, **kwargs)  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise SparqlRequestError(400, "Bad query", f"SPARQL syntax error: {exc}") from exc
    return serialise(result, accept, limits)


def execute_on(store: GraphStore, sparql: str, default_graphs: list[str] | None, accept: str,
               limits: Limits, timeout: float) -> Answer:
    """Run and serialise one query on any store (a remote server enforces its own limits, and the client
    gives up after ``timeout`` with :class:`QueryTimeout`)."""
    from ..store.remote import RemoteStoreError

    try:
        result = store.query(sparql, default_graphs=default_graphs, timeout=timeout)
    except SyntaxError as exc:
        raise SparqlRequestError(400, "Bad query", f"SPARQL syntax error: {exc}") from exc
    except RemoteStoreError as exc:
        status = 400 if "(400)" in str(exc) else 502
        raise SparqlRequestError(status, "Bad query" if status == 400 else "Store failed", str(exc)) from exc
    return serialise(result, accept, limits)


class _RowsFull(Exception):
    """Raised from :class:`_TsvRows` to stop the serialiser (and the query) at the row limit."""


class _TsvRows:
    """A write-only file that keeps the TSV header and at most ``max_rows`` rows."""

    def __init__(self, max_rows: int, max_bytes: int) -> None:
        self.buffer = bytearray()
        self.lines = 0
        self.max_lines = max_rows + 1  # the header line
        self.max_bytes = max_bytes
        self.truncated = False

    def write(self, chunk: bytes) -> int:
        self.buffer += chunk
        self.lines += chunk.count(b"\n")
        if self.lines > self.max_lines:
            self.truncated = True
            raise _RowsFull
        if len(self.buffer) > self.max_bytes:
            raise _RowsFull
        return len(chunk)

    def flush(self) -> None:
        """Nothing to do: everything written is already in ``buffer``."""

    def rows(self) -> bytes:
        if not self.truncated:
            return bytes(self.buffer)
        end, pos = 0, 0
        for _ in range(self.max_lines):
            end = self.buffer.index(b"\n", pos) + 1
            pos = end
        return bytes(self.buffer[:end])


def _select_tsv(result: Any, limits: Limits) -> tuple[bytes, bool]:
    """The first ``max_rows`` rows as TSV, and whether there were more."""
    # the TSV of an answer is about as large as the answer: 4x leaves room, and bounds memory
    sink = _TsvRows(limits.max_rows, 4 * limits.max_bytes)
    try:
        if isinstance(result, QuerySolutions):
            result.serialize(sink, format=QueryResultsFormat.TSV)  # type: ignore[arg-type]
        else:  # a remote store's solutions, already in memory
            sink.write(result.serialize(format=QueryResultsFormat.TSV))
    except _RowsFull:
        if not sink.truncated:
            raise SparqlRequestError(413, "Result too large", f"the result is over the {limits.max_bytes}-byte "
                                     "limit; add LIMIT or narrow the query") from None
    return sink.rows(), sink.truncated


def serialise(result: Any, accept: str, limits: Limits) -> Answer:
    """SELECT/ASK results or a graph, in the first format ``accept`` allows; too large → 413; a SELECT is
    cut at ``limits.max_rows`` rows (``truncated``)."""
    truncated = False
    if isinstance(result, QuerySolutions | QueryBoolean) or hasattr(result, "variables"):
        media = negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
        if media is None:
            raise SparqlRequestError(406, "Not acceptable", "SELECT/ASK results are available as "
                                     + ", ".join(RESULT_TYPES))
        fmt = RESULT_TYPES[media]
        if isinstance(result, QueryBoolean):
            body = result.serialize(format=fmt)
        else:
            tsv, truncated = _select_tsv(result, limits)
            if fmt == QueryResultsFormat.TSV:
                body = tsv
            else:
                body = parse_query_results(tsv, format=QueryResultsFormat.TSV).serialize(format=fmt)
    else:
        media = negotiate(accept, GRAPH_TYPES, "text/turtle")
        if media is None:
            raise SparqlRequestError(406, "Not acceptable", "CONSTRUCT/DESCRIBE results are available as "
                                     + ", ".join(GRAPH_TYPES))
        fmt = GRAPH_TYPES[media]
        if fmt in (RdfFormat.TURTLE, RdfFormat.RDF_XML):
            body = serialize(list(result), format=fmt, prefixes=prefix_map())
        elif isinstance(result, list):
            body = serialize(result, format=fmt)
        else:
            body = result.serialize(format=fmt)
    assert body is not None
    if len(body) > limits.max_bytes:
        raise SparqlRequestError(413, "Result too large", f"the result is {len(body)} bytes, over the "
                                 f"{limits.max_bytes}-byte limit; add LIMIT or narrow the query")
    return Answer(media if media != "application/json" else "application/sparql-results+json", body, truncated)


def run_query(store: GraphStore, sparql: str, default_graphs: list[str] | None, accept: str, limits: Limits, *,
              pool: QueryPool | None, generation: str, timeout: float) -> Answer:
    """Run user SPARQL on the store of one release view, the way every route does: an on-disk store through the
    killable worker ``pool``, an in-memory one in-process, a server over HTTP with a client-side ``timeout``.

    :raises SparqlRequestError: a bad query or dataset, a result over the limits, a failed worker or server.
    :raises QueryTimeout: past ``timeout``.
    """
    if isinstance(store, OxigraphStore) and store.path is not None and pool is not None:
        return pool.run(sparql, default_graphs, accept, limits, generation, timeout)
    if isinstance(store, OxigraphStore):
        return execute_embedded(store, sparql, default_graphs, accept, limits)
    return execute_on(store, sparql, default_graphs, accept, limits, timeout)


def execute_embedded(store: OxigraphStore, sparql: str, default_graphs: list[str] | None, accept: str,
                     limits: Limits) -> Answer:
    """:func:`execute` on the live store, or on the archive when the query names superseded releases."""
    try:
        raw, view = store.store_for(default_graphs)
    except StoreError as exc:
        raise SparqlRequestError(400, "Bad dataset", str(exc)) from exc
    return execute(raw, sparql, default_graphs, accept, limits, view)


def _worker(path: str, conn: Any) -> None:  # runs in a child process
    url = f"oxigraph:{path}"
    store = OxigraphStore.from_url(url, read_only=True)
    conn.send(("ready", None))
    generation = None
    while True:
        msg = conn.recv()
        if msg is None:
            return
        sparql, graphs, accept, limits, gen = msg
        if generation is not None and gen != generation:
            try:
                fresh = OxigraphStore.from_url(url, read_only=True)
            except (OSError, StoreError) as exc:  # keep the old view; the next query tries again
                conn.send(("error", (503, "Store unavailable", f"the store changed and could not be reopened: "
                                     f"{exc}; try again")))
                continue
            store = fresh
        generation = gen
        try:
            conn.send(("ok", execute_embedded(store, sparql, graphs, accept, limits)))
        except SparqlRequestError as exc:
            conn.send(("error", (exc.status, exc.title, str(exc))))
        except Exception as exc:  # the child must answer, whatever happened
            conn.send(("error", (500, "Query failed", f"{type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(self, ctx: Any, path: str) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(path, child), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Start-up (imports, opening the store) is not counted against a query's time limit."""
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise SparqlRequestError(503, "Query workers unavailable", "a query worker did not start in time")
        self.conn.recv()
        self.ready = True

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """A few worker processes, each with a read-only store; one query at a time per worker."""

    def __init__(self, path: str, size: int) -> None:
        self._ctx = mp.get_context("spawn")
        self._path = path
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._size = size
        self._started = False

    def _start(self) -> None:
        with self._lock:
            if not self._started:
                for _ in range(self._size):
                    self._idle.put(_Worker(self._ctx, self._path))
                self._started = True

    def run(self, sparql: str, graphs: list[str] | None, accept: str, limits: Limits, generation: str,
            timeout: float) -> Answer:
        self._start()
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty as exc:
            raise QueryTimeout(f"all {self._size} query workers stayed busy for {timeout:g} s") from exc
        try:
            worker.wait_ready()
            worker.conn.send((sparql, graphs, accept, limits, generation))
            if not worker.conn.poll(timeout):
                worker.kill()
                worker = _Worker(self._ctx, self._path)
                raise QueryTimeout(f"the query ran longer than the {timeout:g} s limit and was stopped")
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            worker = _Worker(self._ctx, self._path)
            raise SparqlRequestError(500, "Query failed", "the query worker died; try again") from None
        finally:
            self._idle.put(worker)
        if status == "error":
            raise SparqlRequestError(*payload)
        return payload

    def close(self) -> None:
        while not self._idle.empty():
            w = self._idle.get_nowait()
            try:
                w.conn.send(None)
            except OSError:
                pass
            w.kill()
