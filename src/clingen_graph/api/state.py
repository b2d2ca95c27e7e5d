"""What the API holds between requests: the store, the current release view, its validators and a cache.

The loader bumps a generation file in the store directory after every load; each request compares it
(one ``stat``; the file is read only when that changed or is too fresh to trust) and, when it changed,
reopens the store and drops cached responses, so a server picks up new releases without a restart. A remote
store has no such file: its generation is the set of current releases, read from the metadata graph at most
every ``REMOTE_REFRESH_S`` seconds.

With writes enabled on an on-disk store, the app holds the store read-write itself (one process: RocksDB
allows one writer per directory); its own writes bump the generation, and it is never reopened.

``validators`` (an entity tag and a Last-Modified date) are computed once per generation from the release
metadata, so conditional requests cost nothing per request.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..release import current_releases, default_graphs, releases
from ..store import GraphStore, open_store
from ..store.oxigraph import OxigraphStore

GENERATION_FILE = "clingen-graph.generation"
REMOTE_REFRESH_S = 5.0
# a graph that never exists: added to the default graphs while this process writes (see ``writing``)
WRITING_SENTINEL = "urn:x-clingen-graph:write-in-progress"
FRESH_NS = 200_000_000  # a marker written this recently may change again within its mtime's granularity


def is_remote(url: str) -> bool:
    return "+" in url.split(":", 1)[0]


def release_fingerprint(store: GraphStore) -> str:
    """Which releases are current (changes whenever a load or a swap makes another release current)."""
    graphs = sorted(r.graph for r in current_releases(store).values())
    return hashlib.sha256("\n".join(graphs).encode()).hexdigest()[:16]


def generation_of(store: GraphStore) -> str:
    if isinstance(store, OxigraphStore) and store.path is not None:
        marker = Path(store.path) / GENERATION_FILE
        try:
            return marker.read_text().strip()
        except OSError:
            return "0"
    if is_remote(store.url):
        return release_fingerprint(store)
    return "memory"


def bump_generation(store: GraphStore) -> None:
    """Called by the loader after a successful load."""
    if isinstance(store, OxigraphStore) and store.path is not None:
        marker = Path(store.path) / GENERATION_FILE
        try:
            current = int(marker.read_text().strip() or 0)
        except (OSError, ValueError):
            current = 0
        marker.write_text(str(current + 1))


def _http_date(stamp: str) -> str:
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return format_datetime((when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC), usegmt=True)


@dataclass(frozen=True)
class Snapshot:
    """One consistent release view (see :meth:`AppState.snapshot`)."""

    store: GraphStore
    graphs: list[str]
    generation: str
    releases: dict[str, Any]


class AppState:
    def __init__(self, store_url: str, *, cache_entries: int = 4096, store: GraphStore | None = None,
                 writable: bool = False) -> None:
        self.store_url = store_url
        self.writable = writable  # open an on-disk store read-write (writes enabled)
        self._lock = threading.Lock()
        self._store = store
        self._generation: str | None = None
        self._graphs: list[str] = []
        self._releases: dict[str, Any] = {}
        self._validators: tuple[str, str] = ("0", "")
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._cache_entries = cache_entries
        self._checked = 0.0
        self._on_disk = store_url.startswith("oxigraph:")
        locator = store_url.split(":", 1)[1].removeprefix("//") if self._on_disk else ""
        self._marker = Path(locator or "./var/store") / GENERATION_FILE if self._on_disk else None
        self._marker_stat: tuple[int, int, int] | None = None
        self._marker_trusted = False
        self._marker_text = "0"
        self._writing = 0

    def _open(self) -> GraphStore:
        if (self._store is not None and self._generation is not None and is_remote(self.store_url)
                and time.monotonic() - self._checked > REMOTE_REFRESH_S):
            self._checked = time.monotonic()
            if release_fingerprint(self._store) != self._generation:
                self._generation = None
        if (self._on_disk and self._store is not None and self._generation is not None
                and self._peek_generation() != self._generation):
            if not self.writable:  # a read-only handle sees another process's writes only once reopened
                # not closed here: requests still holding a snapshot keep querying it; it closes when the
                # last of them lets go (read-only handles take no lock, several may be open at once)
                self._store = None
            self._generation = None
        if self._store is None:
            self._store = open_store(self.store_url, read_only=self._on_disk and not self.writable)
            self._generation = None
        if self._generation is None:
            self._checked = time.monotonic()
            self._marker_trusted = False  # read the marker afresh below, whatever its stat says
            self._generation = self._peek_generation() if self._on_disk else generation_of(self._store)
            self._graphs = default_graphs(self._store)
            self._releases = current_releases(self._store)
            self._validators = self._compute_validators(self._store, self._generation)
            self._cache.clear()
        return self._store

    def _peek_generation(self) -> str:
        """The marker's content; one ``stat`` when it has not changed since it was last read."""
        assert self._marker is not None
        try:
            st = os.stat(self._marker)
            sig: tuple[int, int, int] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            sig = None
        if sig == self._marker_stat and self._marker_trusted:
            return self._marker_text
        try:
            text = self._marker.read_text().strip()
        except OSError:
            text = "0"
        self._marker_stat, self._marker_text = sig, text
        # a write within the mtime's granularity of this read could keep the same stat: trust it once older
        self._marker_trusted = sig is None or time.time_ns() - sig[0] > FRESH_NS
        return text

    @staticmethod
    def _compute_validators(store: GraphStore, generation: str) -> tuple[str, str]:
        """An entity tag for everything answered from this release view, and the newest load time."""
        known = releases(store)
        h = hashlib.sha256(f"{__version__}\n{generation}\n".encode())
        for r in known:
            h.update(f"{r.graph} {r.sha256} {r.loaded_at}\n".encode())
        newest = max((r.loaded_at for r in known if r.loaded_at), default="")
        return h.hexdigest()[:20], _http_date(newest) if newest else ""

    def refresh(self) -> None:
        """Recompute the release view (after this process wrote to the store)."""
        with self._lock:
            self._generation = None
            self._open()

    def snapshot(self) -> Snapshot:
        """The store, its current release graphs and generation, taken together: what one request must use,
        so a load that ends during the request cannot give it the store of one release view and the graphs
        of another."""
        with self._lock:
            store = self._open()
            graphs = self._graphs if not self._writing else [*self._graphs, WRITING_SENTINEL]
            return Snapshot(store, graphs, self._generation or "0", self._releases)

    @property
    def store(self) -> GraphStore:
        with self._lock:
            return self._open()

    @property
    def graphs(self) -> list[str]:
        with self._lock:
            self._open()
            return self._graphs if not self._writing else [*self._graphs, WRITING_SENTINEL]

    @contextmanager
    def writing(self) -> Iterator[None]:
        """While this process writes to an embedded store, queries name their graphs one by one.

        The store answers "all current releases" from its union graph when those are all the graphs it
        holds (``DatasetView``), from a list of graph names it caches; a write adds a graph (a release being
        loaded, a curated graph) that the union would show before it is released. A graph that does not
        exist in the list keeps the union out until the write is done and the list is read again."""
        with self._lock:
            self._writing += 1
        try:
            yield
        finally:
            with self._lock:
                self._writing -= 1

    @property
    def generation(self) -> str:
        with self._lock:
            self._open()
            return self._generation or "0"

    @property
    def releases(self) -> dict[str, Any]:
        with self._lock:
            self._open()
            return self._releases

    @property
    def validators(self) -> tuple[str, str]:
        """(entity tag, Last-Modified HTTP date or "") of the current release view."""
        with self._lock:
            self._open()
            return self._validators

    def cached(self, key: tuple) -> Any:
        with self._lock:
            value = self._cache.get(key)
            if value is not None:
                self._cache.move_to_end(key)
            return value

    def remember(self, key: tuple, value: Any) -> None:
        if self._cache_entries <= 0:
            return
        with self._lock:
            self._cache[key] = value
            if len(self._cache) > self._cache_entries:
                self._cache.popitem(last=False)
