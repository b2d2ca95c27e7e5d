"""The embedded store: pyoxigraph on disk (``oxigraph:DIR``) or in memory (``memory:``).

Releases are written with ``bulk_load`` into their own named graph; they become visible only when
their metadata is added in one transaction (see :mod:`clingen_graph.release`). Serving opens the
directory read-only, so any number of API workers can read while nobody writes.

Superseded releases move to a second store in ``DIR/archive`` (:meth:`OxigraphStore.archive_graph`): with
only current graphs left, the default view is Oxigraph's union default graph, 3-7x faster than naming the
graphs one by one (see :class:`DatasetView`). Archived graphs stay listed by :meth:`~OxigraphStore.graphs`,
dumpable, and queryable by name on their own.
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, QuerySolutions, RdfFormat, Store

from ..ids import META_GRAPH
from ..model.rdf import Triple, ntriples_chunks
from .base import MaterialisedSolutions, QueryResult, QueryTimeout, StoreError, StoreLocked

ARCHIVE_DIR = "archive"  # superseded releases, a pyoxigraph store inside the store's directory
READERS_DIR = "readers"  # one marker file per open read-only handle (pid-serial), see active_readers()
_serial = itertools.count()
BULK_WRITERS = 2  # bulk_load calls run at once by replace_graph and append_to_graph
# A read-only open reads the file list, then replays the write-ahead log: one that read the list before a bulk
# load's files went in, and the log after the next transaction (a release's metadata), would see that without
# the graph. With readers open, the writer lets this long pass after a bulk load before it writes on.
READER_SETTLE_SECONDS = 1.0


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
        self._named: frozenset[str] | None = None

    def invalidate(self) -> None:
        self._all = None
        self._named = None

    def named(self) -> frozenset[str]:
        """The store's named graphs (cached like the union check)."""
        if self._all is None:
            default_empty = next(iter(self._store.quads_for_pattern(None, None, None, DefaultGraph())), None) is None
            self._named = frozenset(g.value for g in self._store.named_graphs() if isinstance(g, NamedNode))
            self._all = self._named if default_empty else frozenset()
        return self._named or frozenset()

    def query_kwargs(self, default_graphs: Sequence[str] | None) -> dict[str, object]:
        if default_graphs is None:
            return {}
        self.named()
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
        self._archive: Store | None = None  # DIR/archive, opened when first needed
        self._marker: Path | None = None  # this read-only handle's file under DIR/readers
        self._archive_view: DatasetView | None = None

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
        opened = cls(store, f"oxigraph:{path}", writable=not read_only, path=path)
        if read_only:
            opened._marker = _register_reader(path)
        return opened

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
        store, view = self.store_for(default_graphs)
        result = store.query(sparql, **view.query_kwargs(default_graphs))  # type: ignore[arg-type]
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

    def replace_graph(self, name: str, triples: Iterable[Triple], *, ntriples: Sequence[bytes] | None = None) -> int:
        self._require_writable()
        g = NamedNode(name)
        self._view.invalidate()
        # Read the triples before touching the graph: an iterable that fails half-way must leave the old
        # content in place, not an emptied graph.
        rows = triples if isinstance(triples, list) else list(triples)
        if self._store.contains_named_graph(g):
            # remove_graph costs seconds on a large store even for a missing graph: only when it exists
            self._store.remove_graph(g)
        self._bulk_write(name, rows, ntriples)
        archive = self._archive_store()
        if archive is not None and archive.contains_named_graph(g):  # live again: one copy only
            archive.remove_graph(g)
            self._archive_view.invalidate()  # type: ignore[union-attr]
        return len(rows)

    def append_to_graph(self, name: str, triples: Iterable[Triple], *,
                        ntriples: Sequence[bytes] | None = None) -> None:
        """Bulk-add triples to a graph no reader sees yet (a release being staged batch by batch): fast, and
        not one transaction (an interrupted append leaves part of the batch; the staged graph is an orphan)."""
        self._require_writable()
        self._view.invalidate()
        self._bulk_write(name, triples if isinstance(triples, list) else list(triples), ntriples)

    def _bulk_write(self, name: str, rows: list[Triple], ntriples: Sequence[bytes] | None) -> None:
        g = NamedNode(name)
        # N-Triples for bulk_load: the loader then runs without the GIL (bulk_extend takes each quad from
        # Python), so a validation can run beside it
        chunks = ntriples if ntriples is not None else ntriples_chunks(rows)
        try:
            if chunks is None:  # blank nodes: write the terms themselves
                self._store.bulk_extend(Quad(s, p, o, g) for s, p, o in rows)
            else:
                # each bulk_load sorts and writes its chunk on one core: two at once halve the time (they only
                # add quads, which the loader's own worker threads also do side by side)
                def load(chunk: bytes) -> None:
                    self._store.bulk_load(chunk, format=RdfFormat.N_TRIPLES, to_graph=g, lenient=True)

                with ThreadPoolExecutor(BULK_WRITERS, thread_name_prefix="bulk-load") as pool:
                    list(pool.map(load, chunks))
            self._store.flush()
        except OSError as exc:
            raise StoreError(f"writing graph {name} failed: {exc}") from exc
        finally:
            self._view.invalidate()  # also after: a read during the write may have cached the old list
        if self.active_readers():  # see READER_SETTLE_SECONDS
            time.sleep(READER_SETTLE_SECONDS)

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
        """Drop the graph wherever it is: the live store, the archive or both."""
        self._require_writable()
        g = NamedNode(name)
        if self._store.contains_named_graph(g):
            self.drop_live_graph(name)
        archive = self._archive_store()
        if archive is not None and archive.contains_named_graph(g):
            archive.remove_graph(g)
            self._archive_view.invalidate()  # type: ignore[union-attr]

    def graphs(self) -> list[str]:
        """Every named graph: the live ones and the archived (superseded) releases."""
        return sorted(self._view.named() | self.archived_graphs())

    def live_graphs(self) -> frozenset[str]:
        """The named graphs of the live store (what the union default graph covers)."""
        return self._view.named()

    def archived_graphs(self) -> frozenset[str]:
        archive = self._archive_store()
        return frozenset() if archive is None else self._archive_view.named()  # type: ignore[union-attr]

    def archive_graph(self, name: str) -> int:
        """Move graph ``name`` (a superseded release) into the archive store; returns its triple count.

        Copied first, then dropped from the live store: an interruption leaves it in both (the next load's
        :func:`~clingen_graph.release.archive_superseded` finishes the move), never in neither.
        """
        self._require_writable()
        archive = self._archive_store(create=True)
        assert archive is not None and self._archive_view is not None
        g = NamedNode(name)
        if archive.contains_named_graph(g):  # a move interrupted before: copy again, whole
            archive.remove_graph(g)
        count = 0

        def counted() -> Iterator[Quad]:
            nonlocal count
            for q in self._store.quads_for_pattern(None, None, None, g):
                count += 1
                yield q

        try:
            archive.bulk_extend(counted())
            archive.flush()
        except OSError as exc:
            raise StoreError(f"archiving graph {name} failed: {exc}") from exc
        finally:
            self._archive_view.invalidate()
        self.drop_live_graph(name)
        return count

    def drop_live_graph(self, name: str) -> None:
        """Drop a graph from the live store only (the end of a move into the archive)."""
        self._require_writable()
        self._view.invalidate()
        self._store.remove_graph(NamedNode(name))
        self._view.invalidate()

    def dump(self, fmt: RdfFormat, *, graph: str | None = None) -> bytes:
        out = io.BytesIO()
        if graph is None:
            self._store.dump(out, format=fmt)
        elif graph in self._view.named() or graph not in self.archived_graphs():
            self._store.dump(out, format=fmt, from_graph=NamedNode(graph))
        else:
            self._archive.dump(out, format=fmt, from_graph=NamedNode(graph))  # type: ignore[union-attr]
        return out.getvalue()

    def optimize(self) -> None:
        if self.writable:
            self._store.optimize()

    def close(self) -> None:
        if self.writable:
            self._store.flush()
            if self._archive is not None:
                self._archive.flush()
        # the last references: RocksDB releases its locks
        del self._store, self._view, self._archive, self._archive_view
        if self._marker is not None:
            self._marker.unlink(missing_ok=True)
            self._marker = None

    def active_readers(self) -> list[str]:
        """Read-only handles open on this directory in live processes (stale markers are removed).

        A read-only RocksDB open reads the files listed when it opened; a writer that deletes much (dropping
        a superseded release from the live store) compacts, and removes files such a reader still needs. So
        :func:`~clingen_graph.release.archive_superseded` waits until no reader is open.
        """
        return [] if self.path is None else active_readers(Path(self.path))

    def _archive_store(self, *, create: bool = False) -> Store | None:
        """``DIR/archive`` (in memory for a store without a directory); None until something is archived."""
        if self._archive is None:
            if self.path is None:
                if create:
                    self._archive = Store()
            else:
                where = Path(self.path) / ARCHIVE_DIR
                if not where.exists() and create and self.writable:
                    _create_store(where)
                if where.exists():
                    self._archive = Store(str(where)) if self.writable else _open_read_only(where)
            if self._archive is not None:
                self._archive_view = DatasetView(self._archive)
        return self._archive

    def store_for(self, default_graphs: Sequence[str] | None) -> tuple[Store, DatasetView]:
        """The pyoxigraph store (and its view) to run a query with these default graphs on: the live store,
        unless the query names only archived graphs (besides the metadata graph).

        :raises StoreError: archived and live graphs together (they are in two stores).
        """
        if not default_graphs:
            return self._store, self._view
        live = self._view.named()
        missing = [g for g in default_graphs if g not in live]
        if not missing:
            return self._store, self._view
        archived = self.archived_graphs()
        old = [g for g in missing if g in archived]
        if not old:
            return self._store, self._view  # graphs that exist nowhere: an empty dataset, as before
        others = [g for g in default_graphs if g not in archived and g != META_GRAPH]
        if others:
            raise StoreError(f"{', '.join(old)} {'is a' if len(old) == 1 else 'are'} superseded release(s), kept "
                             f"in the archive: query {'it' if len(old) == 1 else 'them'} on its own, not with "
                             f"{', '.join(others)}")
        return self._archive, self._archive_view  # type: ignore[return-value]

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError(f"{self.url} is open read-only")


def _register_reader(path: Path) -> Path | None:
    """Leave a marker for a read-only handle (none when the directory is not writable for us)."""
    marker = path / READERS_DIR / f"{os.getpid()}-{next(_serial)}"
    try:
        marker.parent.mkdir(exist_ok=True)
        marker.touch()
    except OSError:
        return None
    return marker


def active_readers(path: Path) -> list[str]:
    """The reader markers under ``path`` whose process is alive; markers of dead processes are removed."""
    out = []
    try:
        markers = list((path / READERS_DIR).iterdir())
    except OSError:
        return []
    for marker in markers:
        try:
            pid = int(marker.name.split("-", 1)[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            marker.unlink(missing_ok=True)
            continue
        except (ValueError, PermissionError, OSError):
            pass  # not ours to judge: count it as alive
        out.append(marker.name)
    return out


def _create_store(path: Path) -> None:
    """An empty store at ``path``, made beside it and renamed into place: a process killed while RocksDB sets
    it up leaves a ``.new`` folder (removed by the next try), never a half-made store at ``path``."""
    staging = path.with_name(path.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    store = Store(str(staging))
    store.flush()
    del store  # closed: RocksDB releases its lock before the rename
    os.replace(staging, path)


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

