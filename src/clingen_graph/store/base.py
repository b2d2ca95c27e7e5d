"""The ``GraphStore`` protocol (DESIGN §6) and the URL selector.

A store URL is ``scheme:locator``: ``oxigraph:./var/store`` (embedded, on disk; the default),
``memory:`` (embedded, in memory, for tests and one-off runs), or a server speaking the SPARQL 1.1 Protocol
and Graph Store Protocol: ``fuseki+http://HOST:PORT/DATASET`` (Fuseki's layout, the documented default),
``oxigraph+http://HOST:PORT``, ``virtuoso+http://HOST:PORT``, ``sparql+http(s)://…`` with explicit endpoints
(:mod:`clingen_graph.store.remote`). The scheme picks a class; the class parses its own locator in
``from_url`` (STYLE §6.7).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from pyoxigraph import QueryBoolean, QuerySolutions, QueryTriples, RdfFormat

from ..model.rdf import Triple

DEFAULT_STORE = "oxigraph:./var/store"
STORE_ENV = "CLINGEN_GRAPH_STORE"

QueryResult = QuerySolutions | QueryBoolean | QueryTriples


class MaterialisedSolutions(list):
    """SELECT solutions already read into memory (keeps ``variables`` like ``QuerySolutions``): what a query
    with a time limit returns, since the limit can only be checked once the last row is in."""

    def __init__(self, variables: list, rows: list) -> None:
        super().__init__(rows)
        self.variables = variables


class StoreError(RuntimeError):
    """The store could not do what was asked (I/O, locked, unreachable)."""


class UnknownStoreError(StoreError):
    """The store URL's scheme is not one we know."""


class QueryTimeout(StoreError):
    """The query ran past its time limit; never answered as an empty result."""


class StoreLocked(StoreError):
    """Another process holds the store's write lock."""


@runtime_checkable
class GraphStore(Protocol):
    url: str
    writable: bool

    def query(self, sparql: str, *, default_graphs: Sequence[str] | None = None,
              timeout: float | None = None) -> QueryResult:
        """Run a SPARQL query; ``default_graphs`` is the dataset's default graph (union of them)."""
        ...

    def update(self, sparql: str) -> None: ...

    def replace_graph(self, name: str, triples: Iterable[Triple], *, ntriples: Sequence[bytes] | None = None) -> int:
        """Make graph ``name`` hold exactly ``triples``; returns the number written. ``ntriples``: the same
        triples already serialized (:func:`~clingen_graph.model.rdf.ntriples_chunks`), which a store may
        load instead of serializing them again."""
        ...

    def add_to_graph(self, name: str, triples: Iterable[Triple]) -> None:
        """Add triples to a graph in one transaction (all or nothing)."""
        ...

    def append_to_graph(self, name: str, triples: Iterable[Triple], *,
                        ntriples: Sequence[bytes] | None = None) -> None:
        """Add triples to a graph that no reader sees yet (a release staged batch by batch), the fast way: not
        necessarily in one transaction. ``ntriples`` as for :meth:`replace_graph`."""
        ...

    def remove_from_graph(self, name: str, triples: Iterable[Triple]) -> None:
        """Remove these triples from a graph (absent ones are ignored)."""
        ...

    def drop_graph(self, name: str) -> None: ...

    def graphs(self) -> list[str]: ...

    def dump(self, fmt: RdfFormat, *, graph: str | None = None) -> bytes: ...

    def close(self) -> None: ...


def store_url(url: str | None = None) -> str:
    """The store URL: the argument, else ``$CLINGEN_GRAPH_STORE``, else ``oxigraph:./var/store``."""
    return url or os.environ.get(STORE_ENV) or DEFAULT_STORE


def open_store(url: str | None = None, *, read_only: bool = False, **options: str | None) -> GraphStore:
    """Open the store named by ``url`` (see :func:`store_url`). ``options`` go to remote stores
    (``query_endpoint``, ``update_endpoint``, ``graph_store_endpoint``); ``None`` values are ignored.

    :raises UnknownStoreError: the scheme is not known; the message lists the known ones.
    :raises StoreError: the backend cannot open it.
    """
    from .oxigraph import MemoryStore, OxigraphStore
    from .remote import SCHEMES, RemoteStore

    backends: dict[str, type] = {"oxigraph": OxigraphStore, "memory": MemoryStore}
    target = store_url(url)
    scheme = target.split(":", 1)[0] if ":" in target else ""
    given = {k: v for k, v in options.items() if v}
    if "+" in scheme and scheme.split("+", 1)[0] in SCHEMES:
        return RemoteStore.from_url(target, read_only=read_only, **given)
    cls = backends.get(scheme)
    if cls is None:
        known = [f"{k}:..." for k in sorted(backends)] + [f"{s}+http(s)://..." for s in SCHEMES]
        raise UnknownStoreError(f"unknown store {target!r}; use one of: " + ", ".join(known))
    if given:
        raise StoreError(f"{', '.join(given)} only apply to remote stores, not {target}")
    return cls.from_url(target, read_only=read_only)
