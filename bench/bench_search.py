#!/usr/bin/env python
"""Search latency on the bundled data (prints figures, never asserts).

Builds the API's search index for the current release view the way ``GET /search`` does (the named query
``search-names`` → ``clingen_graph.search_index.SearchIndex``), prints how long that took and how many names it
holds, then times ``SearchIndex.search`` over a set of realistic queries (gene symbols and their prefixes,
previous and alias symbols, disease words and synonyms, HGVS expressions and fragments, CAids, ClinVar ids,
rsIDs): ``--rounds`` passes over the set (the first is a warm-up and not counted), then p50/p95/p99 in ms, the
slowest queries, and whether the 20 ms p50 target is met. With ``--http`` it also times ``GET /search``
through the FastAPI test client (in process, no network), i.e. with routing and JSON.

    .venv/bin/python bench/bench_search.py --store /tmp/bench/real-store
    .venv/bin/python bench/bench_search.py            # loads data/ into a temporary store first (~1 min)
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import cpu_note, load_real, ms, percentile

TARGET_P50_S = 0.020
QUERIES = [
    # gene symbols, exact and as typed
    "BRCA1", "brca", "b", "BR", "PAH", "MYH7", "TP53", "tp5", "SCN5A", "KCNQ", "LDLR", "CFTR", "MLH1", "ms",
    # previous and alias symbols
    "RNF53", "CMH1", "KVLQT1", "FANCS", "LQT1",
    # gene names
    "phenylalanine hydroxylase", "myosin heavy", "potassium voltage",
    # disease labels, words and synonyms
    "cardiomyopathy", "dilated cardio", "hypertrophic", "Fanconi anemia", "phenylketonuria", "PKU",
    "long QT", "breast cancer", "epilepsy", "marfan", "lynch syndrome", "cystic fibrosis", "deafness",
    # HGVS expressions and fragments
    "NM_000277.2:c.1A>G", "NM_000277", "c.1A>G", "NC_000012.12:g.102917130T>C", "p.Met1Val", "NM_007294.4(BRCA1)",
    "c.5266dup", "NM_000527",
    # variant ids
    "CA114360", "CA11", "586", "rs5030858", "ga4gh:VA.o54NFzQjywgM0uC6-3RgbbsHZVy3Tl9N", "ga4gh:VA.o5",
    # nothing matches
    "zzzqqq",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, help="an embedded store with the bundled data (else one is built)")
    parser.add_argument("--rounds", type=int, default=20, help="passes over the query set (first one not counted)")
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--http", action="store_true", help="also time GET /search through the test client")
    args = parser.parse_args()

    print(cpu_note())
    tmp = None
    store_dir = args.store
    if store_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-search-")
        store_dir = Path(tmp.name) / "store"
        print(f"loading data/ into {store_dir} …")
        print(f"  loaded in {load_real(store_dir)['seconds']:.1f} s")

    from clingen_graph.api.routes.search import build_index
    from clingen_graph.api.state import AppState

    state = AppState(f"oxigraph:{store_dir}")
    started = time.perf_counter()
    index = build_index(state)
    print(f"index: {len(index):,} names, built in {time.perf_counter() - started:.1f} s "
          "(once per release view, on the first search)")

    gc.collect()
    per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
    for round_ in range(max(2, args.rounds)):
        for q in QUERIES:
            t = time.perf_counter()
            index.search(q, limit=args.limit)
            if round_:
                per_query[q].append(time.perf_counter() - t)
    report("SearchIndex.search", per_query)

    if args.http:
        from fastapi.testclient import TestClient

        from clingen_graph.api.app import create_app
        from clingen_graph.api.settings import Settings

        with TestClient(create_app(Settings(store=f"oxigraph:{store_dir}", sparql_workers=1))) as client:
            client.get("/search", params={"q": "warm"})  # builds the app's own index
            per_query = {q: [] for q in QUERIES}
            for round_ in range(max(2, args.rounds // 4)):
                for q in QUERIES:
                    t = time.perf_counter()
                    client.get("/search", params={"q": q, "limit": args.limit})
                    if round_:
                        per_query[q].append(time.perf_counter() - t)
            report("GET /search (test client, in process)", per_query)
    if tmp is not None:
        tmp.cleanup()


def report(title: str, per_query: dict[str, list[float]]) -> None:
    times = [t for ts in per_query.values() for t in ts]
    p50, p95, p99 = (percentile(times, p) for p in (50, 95, 99))
    print(f"\n{title}: {len(per_query)} queries x {len(times) // max(1, len(per_query))} rounds = {len(times)} timings")
    print(f"  p50 {ms(p50)} ms   p95 {ms(p95)} ms   p99 {ms(p99)} ms   max {ms(max(times))} ms")
    slowest = sorted(per_query.items(), key=lambda kv: -percentile(kv[1], 50))[:5]
    print("  slowest (median): " + ", ".join(f"{q!r} {ms(percentile(ts, 50))} ms" for q, ts in slowest))
    verdict = "met" if p50 <= TARGET_P50_S else "NOT met"
    print(f"  target p50 <= {TARGET_P50_S * 1000:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
