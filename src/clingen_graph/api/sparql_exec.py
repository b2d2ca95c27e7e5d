"""Run user SPARQL with a hard time limit.

pyoxigraph cannot interrupt a running query, so ``/sparql`` on an on-disk store sends each query to a
worker process holding its own read-only store; a worker that runs past the limit is killed and replaced,
and the client gets a 504 problem (never an empty result). In-memory stores (tests, one-off runs) run
in-process with a soft limit.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import re
import threading
from dataclasses import dataclass
from typing import Any

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Store, serialize

from ..ids import prefix_map
from ..store.base import GraphStore, QueryTimeout
from ..store.oxigraph import DatasetView

SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)

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
class Answer:
    content_type: str
    body: bytes


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
            max_bytes: int, view: DatasetView | None = None) -> Answer:
    """Run and serialise one query on an embedded store (in a worker or in-process)."""
    _refuse_service(sparql)
    kwargs = (view or DatasetView(store)).query_kwargs(default_graphs)
    try:
        result = store.query(sparql, **kwargs)  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise SparqlRequestError(400, "Bad query", f"SPARQL syntax error: {exc}") from exc
    return serialise(result, accept, max_bytes)


def execute_on(store: GraphStore, sparql: str, default_graphs: list[str] | None, accept: str,
               max_bytes: int, timeout: float) -> Answer:
    """Run and serialise one query on any store (a remote server enforces its own limits, and the client
    gives up after ``timeout`` with :class:`QueryTimeout`)."""
    from ..store.remote import RemoteStoreError

    _refuse_service(sparql)
    try:
        result = store.query(sparql, default_graphs=default_graphs, timeout=timeout)
    except SyntaxError as exc:
        raise SparqlRequestError(400, "Bad query", f"SPARQL syntax error: {exc}") from exc
    except RemoteStoreError as exc:
        status = 400 if "(400)" in str(exc) else 502
        raise SparqlRequestError(status, "Bad query" if status == 400 else "Store failed", str(exc)) from exc
    return serialise(result, accept, max_bytes)


def _refuse_service(sparql: str) -> None:
    if SERVICE.search(sparql):
        raise SparqlRequestError(400, "SERVICE refused", "federated queries (SERVICE) are not allowed here")


def serialise(result: Any, accept: str, max_bytes: int) -> Answer:
    """SELECT/ASK results or a graph, in the first format ``accept`` allows; too large → 413."""
    if isinstance(result, QuerySolutions | QueryBoolean) or hasattr(result, "variables"):
        media = negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
        if media is None:
            raise SparqlRequestError(406, "Not acceptable", "SELECT/ASK results are available as "
                                     + ", ".join(RESULT_TYPES))
        body = result.serialize(format=RESULT_TYPES[media])
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
    if len(body) > max_bytes:
        raise SparqlRequestError(413, "Result too large", f"the result is {len(body)} bytes, over the "
                                 f"{max_bytes}-byte limit; add LIMIT or narrow the query")
    return Answer(media if media != "application/json" else "application/sparql-results+json", body)


def _worker(path: str, conn: Any) -> None:  # runs in a child process
    store = Store.read_only(path)
    view = DatasetView(store)
    conn.send(("ready", None))
    generation = None
    while True:
        msg = conn.recv()
        if msg is None:
            return
        sparql, graphs, accept, max_bytes, gen = msg
        if generation is not None and gen != generation:
            del store, view
            store = Store.read_only(path)
            view = DatasetView(store)
        generation = gen
        try:
            conn.send(("ok", execute(store, sparql, graphs, accept, max_bytes, view)))
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

    def run(self, sparql: str, graphs: list[str] | None, accept: str, max_bytes: int, generation: str,
            timeout: float) -> Answer:
        self._start()
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty as exc:
            raise QueryTimeout(f"all {self._size} query workers stayed busy for {timeout:g} s") from exc
        try:
            worker.wait_ready()
            worker.conn.send((sparql, graphs, accept, max_bytes, generation))
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
