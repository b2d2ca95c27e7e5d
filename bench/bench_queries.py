#!/usr/bin/env python
"""Query latency benchmarks on the embedded store (prints figures, never asserts).

1. Every query of the researcher catalogue (``clingen_graph.query.catalogue()``), bound with its own example
   parameters (``NamedQuery.example`` via ``NamedQuery.bind``): one cold run, then the warm median of up to
   ``--runs`` (5) runs, stopping early once ``--budget`` seconds are spent; each query has a hard limit
   ``--timeout`` (its worker process is killed).
2. Entity look-ups, in process: the catalogue's ``gene-validity`` query for many genes one after another
   (point look-up; target <= 2 ms median), the API's gene entity query (``query.api_query("gene")``) for the
   same genes, and ``disease-subtypes-genes`` for its example disease repeated and for a sample of diseases
   spread over subtree sizes (target <= 50 ms at 10M). Each series makes a first pass over its values (pages
   read from disk), then a warm pass; median, p95 and max are from the warm pass, in ms.

Both run on (a) the bundled real data and (b) the synthetic store (10M by default). Queries use
``default_graphs=clingen_graph.release.default_graphs(store)`` like the API. Stores are reused when given
(``--real-store``, ``--store``), else built (``release.load_paths`` / our synthetic load path).

    .venv/bin/python bench/bench_queries.py --store /tmp/bench/synthetic-ours --real-store /tmp/bench/real-store
    .venv/bin/python bench/bench_queries.py --triples 300000
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib
from benchlib import Worker, fresh_dir, in_child, median, ms, percentile

GENE_LOOKUP = "gene-validity"
DISEASE_SUBTYPES = "disease-subtypes-genes"
ENTITY_TARGET_MS = 2.0
SUBTYPES_TARGET_MS = 50.0

# Used only if the catalogue has no query of that name (so the script still measures something).
FALLBACK = {
    GENE_LOOKUP: """PREFIX cgv: <https://w3id.org/clingen-graph/vocab#>
SELECT ?statement ?disease ?moi ?classification WHERE {
  ?proposition cgv:subjectGene ?gene ; cgv:objectCondition ?disease ; cgv:modeOfInheritanceQualifier ?moi .
  ?statement cgv:proposition ?proposition ; a cgv:GeneDiseaseValidityStatement ; cgv:classification ?classification .
}""",
    DISEASE_SUBTYPES: """PREFIX cgv: <https://w3id.org/clingen-graph/vocab#>
SELECT ?gene ?subtype ?statement WHERE {
  ?subtype cgv:ancestorOrSelf ?disease .
  ?proposition cgv:objectCondition ?subtype ; cgv:subjectGene ?gene .
  ?statement cgv:proposition ?proposition ; cgv:classification ?classification .
  VALUES ?classification { cgv:Definitive cgv:Strong cgv:Moderate }
}""",
}

SAMPLE_GENES = """PREFIX cgv: <https://w3id.org/clingen-graph/vocab#>
SELECT DISTINCT ?gene WHERE {
  ?statement a cgv:GeneDiseaseValidityStatement ; cgv:proposition ?p . ?p cgv:subjectGene ?gene }"""
SAMPLE_DISEASES = """PREFIX cgv: <https://w3id.org/clingen-graph/vocab#>
SELECT ?disease (COUNT(?sub) AS ?n) WHERE { ?sub cgv:ancestorOrSelf ?disease } GROUP BY ?disease"""


# --- run inside the worker process ----------------------------------------------------------------------------

def open_ctx(store_dir: str) -> dict[str, Any]:
    from clingen_graph import release
    from clingen_graph.store.base import open_store

    store = open_store(f"oxigraph:{store_dir}", read_only=True)
    return {"store": store, "graphs": release.default_graphs(store)}


def _execute(ctx: dict[str, Any], text: str) -> int:
    from pyoxigraph import QueryBoolean

    result = ctx["store"].query(text, default_graphs=ctx["graphs"])
    if isinstance(result, QueryBoolean):
        return int(bool(result))
    return sum(1 for _ in result)


def job_query(ctx: dict[str, Any], text: str, runs: int, budget: float) -> dict[str, Any]:
    t0 = time.perf_counter()
    rows = _execute(ctx, text)
    cold = time.perf_counter() - t0
    warm, _ = benchlib.timed_runs(lambda: _execute(ctx, text), runs=runs, budget=max(0.0, budget - cold))
    return {"rows": rows, "cold": cold, "warm": warm}


def job_info(ctx: dict[str, Any]) -> dict[str, Any]:
    from clingen_graph import release

    current = release.current_releases(ctx["store"])
    return {"graphs": ctx["graphs"], "releases": {k: v.triples for k, v in current.items()}}


def job_sample(ctx: dict[str, Any], genes: int, diseases: int) -> dict[str, list]:
    """Genes with validity statements, and diseases with subtypes spread evenly over subtree size."""
    store, graphs = ctx["store"], ctx["graphs"]
    all_genes = sorted(r["gene"].value for r in store.query(SAMPLE_GENES, default_graphs=graphs))
    step = max(1, len(all_genes) // max(1, genes))
    picked_genes = all_genes[::step][:genes]
    sizes = sorted((int(r["n"].value), r["disease"].value) for r in store.query(SAMPLE_DISEASES, default_graphs=graphs))
    internal = [d for d in sizes if d[0] >= 2][:-1]  # with at least one subtype; not the root
    step = max(1, len(internal) // max(1, diseases))
    picked = internal[::step][:diseases]
    return {"genes": picked_genes, "diseases": [d for _, d in picked], "subtree": [n for n, _ in picked]}


def job_lookups(ctx: dict[str, Any], template: dict[str, Any], values: list[str], warmup: int,
                budget: float) -> dict[str, Any]:
    """Bind ``template`` once per value and time each run (after ``warmup`` runs on the first value)."""
    from clingen_graph.query import NamedQuery

    q: NamedQuery = template["query"]
    param = template["param"]
    texts = [q.bind({param: v}) for v in values]
    for _ in range(warmup):
        _execute(ctx, texts[0])
    passes = []
    for _ in range(2):  # a first pass (pages of each entity read from disk), then the warm pass
        times, rows = [], []
        spent = 0.0
        for text in texts:
            t0 = time.perf_counter()
            rows.append(_execute(ctx, text))
            dt = time.perf_counter() - t0
            times.append(dt)
            spent += dt
            if spent >= budget / 2:
                break
        passes.append((times, rows))
    return {"first": passes[0][0], "times": passes[1][0], "rows": passes[1][1]}


# --- parent ---------------------------------------------------------------------------------------------------

def named(name: str) -> tuple[Any, bool]:
    """A catalogue query by name (or the bench's fallback text, flagged)."""
    from clingen_graph.query import NamedQuery, Param, catalogue

    found = catalogue().get(name)
    if found is not None:
        return found, False
    param = "gene" if name == GENE_LOOKUP else "disease"
    return NamedQuery(name, Path(f"<bench fallback {name}>"), FALLBACK[name], name, "", (Param(param, "iri", ""),),
                      {}), True


def bench_store(label: str, store_dir: Path, args: argparse.Namespace) -> None:
    from clingen_graph.query import api_query, catalogue

    print(f"\n== {label}: {store_dir}")
    worker = Worker(open_ctx, str(store_dir))
    try:
        status, info = worker.run(job_info, timeout=120)
        if status != "ok":
            print(f"  cannot open the store ({status}): {info}")
            return
        total = sum(info["releases"].values())
        print(f"  default graphs: {len(info['graphs'])} ({total:,} triples in current releases)")

        cat = catalogue()
        print(f"\n  catalogue ({len(cat)} queries): cold run, then warm median of up to {args.runs} "
              f"(budget {args.budget:g} s, hard limit {args.timeout:g} s per query)")
        print(f"  {'query':<34} {'rows':>8} {'cold ms':>10} {'warm median ms':>15} {'min ms':>10} {'runs':>5}  example")
        if not cat:
            print("  (the catalogue is empty: no queries/*.rq)")
        for name, q in cat.items():
            try:
                text = q.bind(q.example)
            except Exception as exc:
                print(f"  {name:<34} cannot bind example {q.example}: {exc}")
                continue
            status, r = worker.run(job_query, text, args.runs, args.budget, timeout=args.timeout)
            example = " ".join(f"{k}={v}" for k, v in q.example.items())
            if status != "ok":
                print(f"  {name:<34} {status}: {str(r)[:100]}  {example}")
                continue
            warm = r["warm"]
            print(f"  {name:<34} {r['rows']:>8,} {ms(r['cold']):>10} {ms(median(warm)):>15} "
                  f"{ms(min(warm) if warm else float('nan')):>10} {len(warm):>5}  {example}")

        status, sample = worker.run(job_sample, args.lookups, args.diseases, timeout=args.timeout)
        if status != "ok":
            print(f"  sampling ids failed ({status}): {sample}")
            return
        print(f"\n  entity look-ups in process ({len(sample['genes'])} genes, {len(sample['diseases'])} diseases "
              f"sampled): a first pass over the values, then the warm pass that the figures are from")
        print(f"  {'look-up':<58} {'n':>5} {'1st pass':>10} {'median ms':>10} {'p95 ms':>9} {'max ms':>9} "
              f"{'rows':>8}")

        def report(what: str, template: dict[str, Any], values: list[str], target: float | None = None) -> None:
            if not values:
                print(f"  {what:<58} (nothing to look up)")
                return
            status, r = worker.run(job_lookups, template, values, 5, args.budget, timeout=args.timeout)
            if status != "ok":
                print(f"  {what:<58} {status}: {str(r)[:100]}")
                return
            t = r["times"]
            verdict = ""
            if target is not None:
                verdict = f"  target median <= {target:g} ms: {'met' if median(t) * 1000 <= target else 'NOT met'}"
            print(f"  {what:<58} {len(t):>5} {ms(median(r['first'])):>10} {ms(median(t)):>10} "
                  f"{ms(percentile(t, 95)):>9} {ms(max(t)):>9} {median([float(x) for x in r['rows']]):>8,.0f}{verdict}")

        gq, gfallback = named(GENE_LOOKUP)
        report(f"{GENE_LOOKUP}{' (FALLBACK)' if gfallback else ''}: gene → validity statements",
               {"query": gq, "param": "gene"}, sample["genes"], ENTITY_TARGET_MS)
        try:
            api_gene = api_query("gene")
            report("api/gene.rq: gene entity CONSTRUCT", {"query": api_gene, "param": "gene"},
                   sample["genes"])
        except Exception as exc:  # the API queries are optional
            print(f"  {'api/gene.rq':<58} not available: {exc}")
        dq, dfallback = named(DISEASE_SUBTYPES)
        tag = f"{DISEASE_SUBTYPES}{' (FALLBACK)' if dfallback else ''}"
        example = dq.example.get("disease")
        if example:
            report(f"{tag}: example {example} x20", {"query": dq, "param": "disease"},
                   [example] * 20, SUBTYPES_TARGET_MS)
        if sample["diseases"]:
            sizes = sample["subtree"]
            report(f"{tag}: {len(sizes)} diseases, subtrees of {min(sizes)}-{max(sizes)}",
                   {"query": dq, "param": "disease"}, sample["diseases"], SUBTYPES_TARGET_MS)
    finally:
        worker.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=None, help="synthetic store directory to reuse")
    ap.add_argument("--real-store", type=Path, default=None, help="bundled-data store directory to reuse")
    ap.add_argument("--triples", type=int, default=10_000_000, help="synthetic size when building (default 10M)")
    ap.add_argument("--synthetic-file", type=Path, default=None, help="N-Quads to build from (reused if present)")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the stores this run builds")
    ap.add_argument("--runs", type=int, default=5, help="warm runs per catalogue query (default 5)")
    ap.add_argument("--budget", type=float, default=30.0, help="seconds of warm runs per query / look-up series")
    ap.add_argument("--timeout", type=float, default=300.0, help="hard limit per query or series, seconds")
    ap.add_argument("--lookups", type=int, default=200, help="genes to look up (default 200)")
    ap.add_argument("--diseases", type=int, default=100, help="diseases to look up (default 100)")
    ap.add_argument("--skip-real", action="store_true")
    ap.add_argument("--skip-synthetic", action="store_true")
    args = ap.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="clingen-bench-queries-"))
    built: list[Path] = []
    print(f"bench_queries: {benchlib.cpu_note()}; started {time.strftime('%Y-%m-%d %H:%M:%S')}")
    try:
        if not args.skip_real:
            real = args.real_store
            if real is None or not (real / "CURRENT").exists():
                real = fresh_dir(workdir, "real-store")
                built.append(real)
                print(f"building the bundled-data store in {real} ...")
                status, r, _ = in_child(benchlib.load_real, real, None, timeout=1800)
                if status != "ok":
                    print(f"  build failed ({status}): {r}")
                    real = None
                else:
                    print(f"  built in {r['seconds']:.1f} s")
            if real is not None:
                bench_store("(a) bundled real data", real, args)
        if not args.skip_synthetic:
            syn = args.store
            if syn is None or not (syn / "CURRENT").exists():
                path, _ = benchlib.synthetic_file(args.synthetic_file, args.triples)
                syn = fresh_dir(workdir, "synthetic-store")
                built.append(syn)
                print(f"building the synthetic store in {syn} ...")
                status, r, _ = in_child(benchlib.load_synthetic_ours, path, syn, timeout=3600)
                if status != "ok":
                    print(f"  build failed ({status}): {r}")
                    syn = None
                else:
                    print(f"  built in {r['seconds']:.1f} s ({r['quads']:,} quads)")
            if syn is not None:
                bench_store(f"(b) synthetic ({args.triples:,} requested)" if args.store is None
                            else "(b) synthetic", syn, args)
    finally:
        if args.keep:
            for b in built:
                print(f"kept {b}")
        else:
            for b in built:
                shutil.rmtree(b, ignore_errors=True)
            if args.workdir is None:
                shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
