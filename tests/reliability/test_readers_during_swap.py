"""Readers while a loader replaces the current release of a source (DESIGN §4: the swap is one transaction).

What a read-only open of the on-disk store (RocksDB) sees: a snapshot taken when it opens, including what the
writer has committed but not flushed (the open replays the write-ahead log), and nothing the writer commits
afterwards (``test_read_only_open_is_a_snapshot``). So a reader that takes the release view and its queries from
one open sees one state. The open itself can fail while the writer flushes or compacts (an SST file listed in the
manifest it read is deleted before it opens it): the readers here record that and open again.

The swap test runs ``clingen-graph load`` of a newer HGNC release in one process while two others read in a loop:
one opens the store read-only each time (``open_store`` + ``current_releases`` + ``default_graphs`` + a gene count
+ the ``gene-validity`` catalogue query, whose gene symbols come from the HGNC release), one goes through the
API's ``AppState``. Every answer must be the old release's or the new one's, whole: never the new release's name
with the old graph, never gene counts between the two, never a catalogue answer without its symbols.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from clingen_graph.api.state import AppState, bump_generation
from clingen_graph.query import get, select_rows
from clingen_graph.release import current_releases, default_graphs, load_paths
from clingen_graph.store import StoreError, open_store

from . import _child
from .conftest import FIXTURES, HGNC_OLD, Child, newer_hgnc

MONDO = FIXTURES / "mondo" / "mondo_v2026-05-05.obo"
GENE_VALIDITY = FIXTURES / "clingen_gene_validity" / "clingen_gene_validity_2026-02-09.csv"


def _observe(url: str) -> dict[str, Any]:
    store = open_store(url, read_only=True)
    hgnc = current_releases(store)["hgnc"]
    obs = _child._observe(store, default_graphs(store), hgnc.label)
    store.close()
    return obs


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The store before the swap (HGNC 2024-07-23, MONDO, gene validity) and what readers see before and after."""
    root = tmp_path_factory.mktemp("swap")
    base = root / "base" / "store"
    store = open_store(f"oxigraph:{base}")
    assert {s.status for s in load_paths(store, [HGNC_OLD, MONDO, GENE_VALIDITY])} == {"loaded"}
    store.close()
    newer = newer_hgnc(root)
    after = root / "after" / "store"
    shutil.copytree(base, after)
    store = open_store(f"oxigraph:{after}")
    assert [s.status for s in load_paths(store, [newer])][-1] == "loaded"
    store.close()
    old, new = _observe(f"oxigraph:{base}"), _observe(f"oxigraph:{after}")
    assert old["gv_rows"] > 0 and old["symbols"] == ["AARS1"] and new["symbols"] == ["AARS1"]
    assert old["hgnc"] != new["hgnc"] and old["genes"] < new["genes"]
    return {"root": root, "base": base, "newer": newer, "old": old, "new": new}


def test_read_only_open_is_a_snapshot(tmp_path: Path) -> None:
    url = f"oxigraph:{tmp_path / 'store'}"
    g = "https://w3id.org/clingen-graph/graph/test/1"
    writer = open_store(url)
    quad = lambda i: Quad(NamedNode(f"https://example.org/{i}"), NamedNode("https://example.org/p"),  # noqa: E731
                          Literal(i), NamedNode(g))
    writer.raw.extend([quad(i) for i in range(10)])  # committed, not flushed: only in the write-ahead log
    early = open_store(url, read_only=True)
    assert len(early.raw) == 10  # the open replays the log: it sees every committed transaction
    writer.raw.extend([quad(i) for i in range(10, 20)])
    writer.raw.flush()
    writer.raw.optimize()
    later = open_store(url, read_only=True)
    assert (len(early.raw), len(later.raw)) == (10, 20)  # ...as of the moment it opened, and nothing after
    with pytest.raises(StoreError):
        early.add_to_graph(g, [])
    for s in (early, later, writer):
        s.close()


@pytest.fixture(scope="module")
def swap(stores: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """One swap under two looping readers: what each reader saw, with counts."""
    live = stores["root"] / "live" / "store"
    shutil.copytree(stores["base"], live)
    url = f"oxigraph:{live}"
    logs = stores["root"]
    readers = {mode: Child("read", url, mode, log=logs / f"{mode}.log") for mode in ("raw", "appstate")}
    writer = Child("load", url, str(logs / "rejects.tsv"), str(stores["newer"]), log=logs / "writer.log")
    for r in readers.values():
        r.go()
    time.sleep(0.5)
    writer.go()
    assert writer.wait(120) == 0, writer.log.read_text()
    time.sleep(0.5)
    seen = {}
    for mode, r in readers.items():
        assert r.proc.stdin is not None
        r.proc.stdin.write(b"stop\n")
        r.proc.stdin.flush()
        assert r.wait(60) == 0, r.log.read_text()
        seen[mode] = r.output()
    print("\n" + json.dumps(seen, indent=1))
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["raw", "appstate"])
def test_readers_see_the_old_or_the_new_release(stores: dict[str, Any], swap: dict, mode: str) -> None:
    answers = [{k: v for k, v in o.items() if k != "n"} for o in swap[mode] if "error" not in o]
    assert answers, swap[mode]
    assert all(a in (stores["old"], stores["new"]) for a in answers), swap[mode]
    assert stores["old"] in answers and stores["new"] in answers  # the readers did read across the swap


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["raw", "appstate"])
def test_once_open_a_reader_never_fails(swap: dict, mode: str) -> None:
    assert [o for o in swap[mode] if "error" in o and o["stage"] != "open"] == []


@pytest.mark.slow
def test_a_read_only_open_during_a_load_fails_only_with_a_store_error(swap: dict) -> None:
    errors = [o for mode in swap for o in swap[mode] if "error" in o]
    assert all(o["error"] in {"StoreError", "StoreLocked"} for o in errors), errors


def _gene_validity_symbols(store: Any, graphs: list[str]) -> list[str]:
    rows = select_rows(store, get("gene-validity").bind({"gene": _child.GENE}), graphs)
    return sorted({r["symbol"].value for r in rows if r["symbol"] is not None})  # type: ignore[union-attr]


@pytest.mark.parametrize("order", ["store-then-graphs", "graphs-then-store"])
def test_a_request_sees_one_snapshot(stores: dict[str, Any], tmp_path: Path, order: str) -> None:
    live = tmp_path / "store"
    shutil.copytree(stores["base"], live)
    url = f"oxigraph:{live}"
    state = AppState(url)
    assert state.releases["hgnc"].label == stores["old"]["hgnc"]

    def swap_now() -> None:  # a load in another process ends between two steps of one request
        writer = open_store(url)
        load_paths(writer, [stores["newer"]])
        bump_generation(writer)
        writer.close()
        time.sleep(0.25)  # past the generation file's freshness window, if AppState has one

    # a request takes one snapshot; a load that ends before (or while) it queries changes nothing in it
    if order == "store-then-graphs":
        view = state.snapshot()
        swap_now()
    else:
        swap_now()
        view = state.snapshot()
    store, graphs, label = view.store, view.graphs, view.releases["hgnc"].label
    symbols = _gene_validity_symbols(store, graphs)
    assert symbols == ["AARS1"]
    assert graphs == default_graphs(store)  # the graphs are the current ones of the store queried
    assert label == current_releases(store)["hgnc"].label
