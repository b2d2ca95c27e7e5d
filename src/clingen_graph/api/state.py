"""What the API holds between requests: the read-only store, the current release view and a cache.

The loader bumps a generation file in the store directory after every load; each request compares it
(one ``stat``) and, when it changed, reopens the store and drops cached responses, so a server picks up
new releases without a restart. A remote store has no such file: its generation is the set of current
releases, read from the metadata graph at most every ``REMOTE_REFRESH_S`` seconds.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

from ..release import current_releases, default_graphs
from ..store import GraphStore, open_store
from ..store.oxigraph import OxigraphStore

GENERATION_FILE = "clingen-graph.generation"
REMOTE_REFRESH_S = 5.0


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


class AppState:
    def __init__(self, store_url: str, *, cache_entries: int = 4096, store: GraphStore | None = None) -> None:
        self.store_url = store_url
        self._lock = threading.Lock()
        self._store = store
        self._generation: str | None = None
        self._graphs: list[str] = []
        self._releases: dict[str, Any] = {}
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._cache_entries = cache_entries
        self._checked = 0.0

    def _open(self) -> GraphStore:
        if (self._store is not None and self._generation is not None and is_remote(self.store_url)
                and time.monotonic() - self._checked > REMOTE_REFRESH_S):
            self._checked = time.monotonic()
            if release_fingerprint(self._store) != self._generation:
                self._generation = None
        if self._store is None or (self.store_url.startswith("oxigraph:") and self._generation is not None
                                   and self._peek_generation() != self._generation):
            if self._store is not None and self.store_url.startswith("oxigraph:"):
                self._store.close()
                self._store = None
            self._store = self._store or open_store(self.store_url, read_only=self.store_url.startswith("oxigraph:"))
            self._generation = None
        if self._generation is None:
            self._checked = time.monotonic()
            self._generation = generation_of(self._store)
            self._graphs = default_graphs(self._store)
            self._releases = current_releases(self._store)
            self._cache.clear()
        return self._store

    def _peek_generation(self) -> str:
        path = self.store_url.split(":", 1)[1]
        try:
            return (Path(path) / GENERATION_FILE).read_text().strip()
        except OSError:
            return "0"

    def refresh(self) -> None:
        """Recompute the release view (for in-memory stores written by the same process)."""
        with self._lock:
            self._generation = None
            self._open()

    @property
    def store(self) -> GraphStore:
        with self._lock:
            return self._open()

    @property
    def graphs(self) -> list[str]:
        with self._lock:
            self._open()
            return self._graphs

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
