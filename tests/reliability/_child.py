"""Child processes for the reliability tests (not a test module).

``python _child.py load STORE_URL REPORT FILE...``: import the loader, print ``ready``, wait for ``go`` on stdin,
then run ``clingen-graph load --store STORE_URL --report REPORT FILE...`` in this process (its exit code is the
command's). ``load-staged`` is the same load, except that once the release graph is written and validated, just
before its metadata would make it visible, it prints ``staged`` and stops there (sleeps), for a kill at that
exact point. The store is the real one; only the moment is held.

``python _child.py read STORE_URL MODE``: print ``ready``, wait for ``go``, then read the store in a loop until
``stop`` arrives on stdin, and print one JSON line per distinct observation with how often it was seen. MODE
``raw`` opens the store read-only each time (``open_store`` + ``current_releases`` + ``default_graphs`` + queries);
``appstate`` goes through the API's :class:`~clingen_graph.api.state.AppState` as every request does (one
``snapshot()``: store, graphs and releases of one release view). A failure is recorded as an error, and the
loop goes on (AppState reopens by itself).
"""

from __future__ import annotations

import json
import select
import sys
import time
from collections import Counter
from typing import Any

GENE = "HGNC:20"  # AARS1: in both HGNC releases and in the gene-validity release


def _wait_for_go() -> None:
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit(2)


def load(url: str, report: str, files: list[str], *, hold_before_metadata: bool = False) -> None:
    import clingen_graph.release  # (the heavy imports happen before "ready")
    from clingen_graph.cli import app

    if hold_before_metadata:
        metadata = clingen_graph.release._metadata

        def staged(*args: Any, **kwargs: Any) -> Any:
            print("staged", flush=True)
            time.sleep(600)
            return metadata(*args, **kwargs)

        clingen_graph.release._metadata = staged  # type: ignore[assignment]
    _wait_for_go()
    app(["load", "--store", url, "--report", report, *files])


def _observe(store: Any, graphs: list[str], hgnc_label: str | None) -> dict[str, Any]:
    from clingen_graph.query import get, select_rows

    genes_q = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a <https://w3id.org/clingen-graph/vocab#Gene> }"
    genes = int(next(iter(store.query(genes_q, default_graphs=graphs)))["n"].value)
    rows = select_rows(store, get("gene-validity").bind({"gene": GENE}), graphs)
    symbols = sorted({r["symbol"].value if r["symbol"] is not None else "" for r in rows})  # type: ignore[union-attr]
    hgnc_graphs = [g for g in graphs if "/graph/hgnc/" in g]
    return {"hgnc": hgnc_label, "hgnc_graphs": hgnc_graphs, "genes": genes, "gv_rows": len(rows), "symbols": symbols}


def read(url: str, mode: str) -> None:
    from clingen_graph.api.state import AppState
    from clingen_graph.release import current_releases, default_graphs
    from clingen_graph.store import open_store

    _wait_for_go()
    seen: Counter[str] = Counter()
    state = AppState(url) if mode == "appstate" else None
    while not select.select([sys.stdin], [], [], 0)[0]:
        stage = "open"
        try:
            if state is None:
                store = open_store(url, read_only=True)
                stage = "query"
                try:
                    hgnc = current_releases(store).get("hgnc")
                    obs = _observe(store, default_graphs(store), hgnc.label if hgnc else None)
                finally:
                    store.close()
            else:
                view = state.snapshot()  # what every request takes: store, graphs and releases together
                stage = "query"
                hgnc = view.releases.get("hgnc")
                obs = _observe(view.store, view.graphs, hgnc.label if hgnc else None)
        except Exception as exc:  # recorded, not raised: the test decides what is acceptable
            obs = {"error": type(exc).__name__, "stage": stage, "message": str(exc)[:160]}
        seen[json.dumps(obs, sort_keys=True)] += 1
    for key, n in seen.items():
        print(json.dumps({**json.loads(key), "n": n}), flush=True)


if __name__ == "__main__":
    command, url, *rest = sys.argv[1:]
    if command in ("load", "load-staged"):
        load(url, rest[0], rest[1:], hold_before_metadata=command == "load-staged")
    elif command == "read":
        read(url, rest[0])
    else:
        raise SystemExit(f"unknown command {command}")
