"""The embedded store: pyoxigraph on disk (``oxigraph:DIR``) or in memory (``memory:``).

Releases are written with ``bulk_extend`` into their own named graph; they become visible only when
their metadata is added in one transaction (see :mod:`clingen_graph.release`). Serving opens the
directory read-only, so any number of API workers can read while nobody writes.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, QuerySolutions, RdfFormat, Store

from ..model.rdf import Triple
from .base import MaterialisedSolutions, QueryResult, QueryTimeout, StoreError, StoreLocked


class DatasetView:
    """How to give a query its default graph on one pyoxigraph ``Store``.

    A list of default graphs makes Oxigraph look each triple pattern up once per graph (3-7x slower than one
    look-up at 10M triples). When the requested graphs are *all* the store's named graphs and the unnamed
    graph is empty, the union default graph is the same dataset, so we ask for that instead. Both forms
    return the same solutions (duplicates included). The graph list is cached until :meth:`invalidate`.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._all: frozenset[str] | None = None

    def invalidate(self) -> None:
        self._all = None

    def query_kwargs(self, default_graphs: Sequence[str] | None) -> dict[str, object]:
        if default_graphs is None:
            return {}
        if self._all is None:
            default_empty = next(iter(self._store.quads_for_pattern(None, None, None, DefaultGraph())), None) is None
            named = frozenset(g.value for g in self._store.named_graphs() if isinstance(g, NamedNode))
            self._all = named if default_empty else frozenset()
        if self._all and frozenset(default_graphs) == self._all:
            return {"use_default_graph_as_union": True}
        return {"default_graph": [NamedNode(g) for g in default_graphs]}


class OxigraphStore:
    """pyoxigraph ``Store`` behind the :class:`GraphStore` protocol."""

    def __init__(self, store: Store, url: str, *, writable: bool, path: Path | None = None) -> None:
        self._store = store
        self.url = url
        self.writable = writable
        self.path = path
        self._view = DatasetView(store)

    @classmethod
    def from_url(cls, url: str, *, read_only: bool = False) -> OxigraphStore:
        locator = url.split(":", 1)[1]
        if locator.startswith("//"):
            locator = locator[2:]
        path = Path(locator or "./var/store")
        try:
            if read_only:
                if not (path / "CURRENT").exists():
                    raise StoreError(f"no store at {path}: load data first (clingen-graph load --bundled)")
                store = _open_read_only(path)
            else:
                path.mkdir(parents=True, exist_ok=True)
                store = Store(str(path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLocked(f"the store at {path} is open for writing in another process "
                                  f"(a running load or serve?): {exc}") from exc
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc
        return cls(store, f"oxigraph:{path}", writable=not read_only, path=path)

    @property
    def view(self) -> DatasetView:
        """How this store's queries get their default graph (see :class:`DatasetView`)."""
        return self._view

    @property
    def raw(self) -> Store:
        """The pyoxigraph store, for code that must stream (bulk dumps, serialisation)."""
        return self._store

    def query(self, sparql: str, *, default_graphs: Sequence[str] | None = None,
              timeout: float | None = None) -> QueryResult:
        started = time.monotonic()
        result = self._store.query(sparql, **self._view.query_kwargs(default_graphs))  # type: ignore[arg-type]
        if timeout is not None and isinstance(result, QuerySolutions):
            # Embedded queries cannot be interrupted; materialise and check the clock, so a slow query
            # is reported as a timeout rather than returned late. The API's /sparql runs queries in
            # worker processes that are killed at the limit (hard timeout).
            rows = list(result)
            if time.monotonic() - started > timeout:
                raise QueryTimeout(f"query took longer than {timeout:g} s")
            return MaterialisedSolutions(result.variables, rows)  # type: ignore[return-value]
        return result

    def update(self, sparql: str) -> None:
        self._require_writable()
        self._view.invalidate()
        try:
            self._store.update(sparql)
        finally:
            self._view.invalidate()  # also after: a read during the write may have cached the old list

    def replace_graph(self, name: str, triples: Iterable[Triple]) -> int:
        self._require_writable()
        g = NamedNode(name)
        self._view.invalidate()
        # Read the triples before touching the graph: an iterable that fails half-way must leave the old
        # content in place, not an emptied graph.
        quads = (Quad(s, p, o, g) for s, p, o in (triples if isinstance(triples, list) else list(triples)))
        if self._store.contains_named_graph(g):
            # remove_graph costs seconds on a large store even for a missing graph: only when it exists
            self._store.remove_graph(g)
        count = 0

        def counted() -> Iterator[Quad]:
            nonlocal count
            for q in quads:
                count += 1
                yield q

        try:
            self._store.bulk_extend(counted())
            self._store.flush()
        except OSError as exc:
            raise StoreError(f"writing graph {name} failed: {exc}") from exc
        finally:
            self._view.invalidate()  # also after: a read during the write may have cached the old list
        return count

    def add_to_graph(self, name: str, triples: Iterable[Triple]) -> None:
        self._require_writable()
        self._view.invalidate()
        g = NamedNode(name)
        self._store.extend([Quad(s, p, o, g) for s, p, o in triples])
        self._store.flush()
        self._view.invalidate()

    def remove_from_graph(self, name: str, triples: Iterable[Triple]) -> None:
        self._require_writable()
        self._view.invalidate()
        g = NamedNode(name)
        for s, p, o in triples:
            self._store.remove(Quad(s, p, o, g))
        self._store.flush()
        self._view.invalidate()

    def drop_graph(self, name: str) -> None:
        self._require_writable()
        self._view.invalidate()
        self._store.remove_graph(NamedNode(name))
        self._view.invalidate()

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, NamedNode))

    def dump(self, fmt: RdfFormat, *, graph: str | None = None) -> bytes:
        out = io.BytesIO()
        if graph is None:
            self._store.dump(out, format=fmt)
        else:
            self._store.dump(out, format=fmt, from_graph=NamedNode(graph))
        return out.getvalue()

    def optimize(self) -> None:
        if self.writable:
            self._store.optimize()

    def close(self) -> None:
        if self.writable:
            self._store.flush()
        del self._store, self._view  # the last references: RocksDB releases its lock

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError(f"{self.url} is open read-only")


def _open_read_only(path: Path, attempts: int = 5) -> Store:
    """A read-only open while a loader writes can meet a file the writer's flush or compaction just removed
    (RocksDB: "Corruption: IO error: No such file ... .sst"); the next open sees the new file list."""
    for attempt in range(1, attempts + 1):
        try:
            return Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            transient = "no such file" in str(exc).lower() or "corruption" in str(exc).lower()
            if not transient or attempt == attempts:
                if isinstance(exc, OSError):
                    raise
                raise StoreError(f"cannot open the store at {path} read-only: {exc}") from exc
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


class MemoryStore(OxigraphStore):
    @classmethod
    def from_url(cls, url: str, *, read_only: bool = False) -> MemoryStore:
        return cls(Store(), "memory:", writable=True)

