#!/usr/bin/env python
"""Variant benchmarks (prints figures, never asserts).

(a) The bundled ERepo export and every bundled ClinVar file (VCV XML samples, variant_summary excerpt)
    ingested and validated into a store that already holds the references (HGNC, MONDO, HPO; loading those
    is not timed): ``release.load_paths`` as ``clingen-graph load`` runs it. Target <= 20 s.
(b) The conflicts catalogue query at ~10M triples: a synthetic ClinVar-shaped release (variants in synthetic
    genes, three SCVs each, typed conflicts for a share of them; synthetic data, for scale only) is added as
    a current release to the 10M synthetic store given with ``--store`` (the store is modified: pass a bench
    copy), then ``conflicts-by-gene`` and a per-variant look-up are timed. Target <= 100 ms.

    .venv/bin/python bench/bench_variants.py                                  # (a) only
    .venv/bin/python bench/bench_variants.py --store /tmp/bench/synthetic-ours  # (a) and (b)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from pyoxigraph import NamedNode

from benchlib import cpu_note, fresh_dir, median, percentile
from clingen_graph import query, release, valuesets
from clingen_graph.ids import META_GRAPH, expand_curie, graph_iri, mint
from clingen_graph.model.rdf import Triple, boolean, integer, iri, text
from clingen_graph.model.variants import conflict_tallies
from clingen_graph.resources import data_dir
from clingen_graph.store.base import open_store
from clingen_graph.terms import CAUSAL_GERMLINE, CGV, RDFS, TYPE, types_for

SKOS_PREF_LABEL = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
TARGET_LOAD_S = 20.0
TARGET_CONFLICTS_MS = 100.0
SOURCE = "clinvar-synthetic"


def bench_real(workdir: Path | None) -> None:
    data = data_dir()
    store_dir = fresh_dir(workdir, "variants-store")
    store = open_store(f"oxigraph:{store_dir}")
    refs = [data / "hgnc", data / "mondo", data / "hpo"]
    t0 = time.perf_counter()
    release.load_paths(store, refs)
    print(f"  references loaded first (not timed): {time.perf_counter() - t0:.1f} s")
    files = [*sorted((data / "clingen").glob("clingen_erepo_*")), data / "clinvar"]
    t0 = time.perf_counter()
    summaries = release.load_paths(store, files)
    total = time.perf_counter() - t0
    for s in summaries:
        if s.source == "clingen-graph-ontology":
            continue
        print(f"  {Path(s.file).name[:58]:58} {s.status:9} {s.rows_read:>6,} rows {s.rows_rejected:>3} rejected "
              f"{s.triples:>9,} triples {s.seconds:6.1f} s")
    print(f"  TOTAL ERepo + ClinVar ingested and validated (with the final optimize): {total:.1f} s; "
          f"target <= {TARGET_LOAD_S:.0f} s: {'met' if total <= TARGET_LOAD_S else 'NOT met'}")
    store.close()


CLASSES = [CGV.Pathogenic, CGV.UncertainSignificance, CGV.LikelyBenign, CGV.LikelyPathogenic]
TYPES = [CGV.ConflictPathogenicVsUncertain, CGV.ConflictPathogenicVsBenign, CGV.ConflictUncertainVsBenign]


def _unlabelled(store) -> list[NamedNode]:  # type: ignore[no-untyped-def]
    """The concepts the synthetic records use that the store's current view gives no ``skos:prefLabel``."""
    graphs = release.default_graphs(store)
    return [c for c in (*CLASSES, *TYPES)
            if not bool(store.query(f"ASK {{ {c} <{SKOS_PREF_LABEL.value}> ?l }}", default_graphs=graphs))]


def _synthetic_variants(n: int, genes: int, unlabelled: Sequence[NamedNode] = ()) -> list[Triple]:
    """Synthetic ClinVar-shaped records: variant, gene, 3 SCVs (for 2% of variants the first by an expert panel),
    conflicts for 30%, and the flag a load writes on variants with SCVs."""
    classes, types = CLASSES, TYPES
    out: list[Triple] = []
    # the labels of the concepts used that the store's ontology release predates (a new ontology release would
    # leave the old one in the store and take the store off its union-graph fast path); only those, so no
    # concept gets a second label
    labels = {**valuesets.value_set("ClinVarClassificationScheme").labels, **valuesets.conflict_type().labels}
    for concept in unlabelled:
        out.append((concept, SKOS_PREF_LABEL, text(labels.get(concept.value, concept.value.rsplit("#", 1)[-1]))))
    agent = iri(expand_curie("cgid:agent/synthetic-submitter"))
    out += [(agent, TYPE, CGV.Agent), (agent, RDFS.label, text("synthetic submitter"))]
    for i in range(n):
        vid = 90_000_000 + i
        v = iri(expand_curie(f"clinvar:{vid}"))
        gene = iri(expand_curie(f"hgnc:{1 + (i * 7) % genes}"))
        out += [(v, TYPE, CGV.Variant), (v, CGV.clinvarVariationId, text(str(vid))), (v, CGV.gene, gene),
                (v, RDFS.label, text(f"synthetic variant {vid}"))]
        p = iri(mint("proposition", v.value, "synthetic"))
        out += [(p, TYPE, t) for t in types_for("VariantPathogenicityProposition")]
        out += [(p, CGV.subjectVariant, v), (p, CGV.predicate, CAUSAL_GERMLINE),
                (v, CGV.hasClinVarSubmission, boolean(True))]
        scvs = []
        for k in range(3):
            s = iri(expand_curie(f"clinvar.submission:SCV{vid:09d}{k}"))
            scvs.append(s)
            c = iri(mint("contribution", s.value))
            out += [(s, t_, o) for t_, o in ((TYPE, CGV.ClinVarSubmission), (TYPE, CGV.VariantPathogenicityStatement))]
            out += [(s, CGV.proposition, p), (s, CGV.classification, classes[(i + k) % 4]),
                    (s, CGV.stars, integer(1)), (s, CGV.flagged, boolean(False)), (s, CGV.contributions, c),
                    (c, TYPE, CGV.Contribution), (c, CGV.contributor, agent)]
            if k == 0 and i % 50 == 0:  # reviewed by an expert panel (expert-panel-vs-clinvar has rows)
                out.append((s, CGV.reviewStatus, CGV.ReviewExpertPanel))
        if i % 10 < 3:
            x = iri(mint("conflict", v.value))
            out += [(x, TYPE, CGV.ClassificationConflict), (x, CGV.conflictType, types[i % 3]),
                    (x, CGV.conflictAbout, v)]
            out += [(x, CGV.conflictingStatement, s) for s in scvs[:2]]
    return out


def bench_conflicts(store_dir: Path, n: int, runs: int) -> None:
    store = open_store(f"oxigraph:{store_dir}")
    graph = graph_iri(SOURCE, "synthetic")
    symbols = release.load_references(store).hgnc_symbols  # what release.load_file gives conflict_tallies
    if SOURCE not in release.current_releases(store):
        triples = _synthetic_variants(n, 45_000, _unlabelled(store))
        t0 = time.perf_counter()
        triples += conflict_tallies(graph, triples, symbols)  # what release.load_file adds to a release
        count = store.replace_graph(graph, triples)
        summary = release.LoadSummary(f"synthetic-{n}", SOURCE, "synthetic", graph, "loaded", n, n, 0, 0, 0,
                                      count, conforms=True)
        store.add_to_graph(META_GRAPH, release._metadata(summary, "Synthetic ClinVar-shaped data (bench only)",
                                                         "https://example.org/synthetic", "CC0", None, "0" * 64,
                                                         Path(f"synthetic-{n}"), release._now()))
        store.optimize()  # type: ignore[attr-defined]
        print(f"  added {n:,} synthetic variants ({count:,} triples) as release {graph} in "
              f"{time.perf_counter() - t0:.1f} s")
    elif not bool(store.query(f"ASK {{ ?t {CGV.tallyConflictTypeLabel} ?l }}", default_graphs=[graph])):
        # a store made by an older version of this script: replace its tallies (if any) by those a load now
        # writes
        t0 = time.perf_counter()
        old = [(q.subject, q.predicate, q.object) for q in store.query(
            f"CONSTRUCT {{ ?t ?p ?o }} WHERE {{ ?t a {CGV.ConflictTally} ; ?p ?o }}", default_graphs=[graph])]
        store.remove_from_graph(graph, old)
        new = conflict_tallies(graph, _synthetic_variants(n, 45_000), symbols)
        store.add_to_graph(graph, new)
        store.optimize()  # type: ignore[attr-defined]
        print(f"  replaced the conflict tallies of {graph} ({len(old):,} triples) by those a load now writes "
              f"({len(new):,} triples) in {time.perf_counter() - t0:.1f} s")
    store.close()
    reader = open_store(f"oxigraph:{store_dir}", read_only=True)
    graphs = release.default_graphs(reader)
    n_triples = int(next(iter(reader.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                           default_graphs=graphs)))["n"].value)
    tallies = int(next(iter(reader.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?t a {CGV.ConflictTally} }}",
                                         default_graphs=graphs)))["n"].value)
    print(f"  current view: {len(graphs)} graphs, {n_triples:,} triples, {tallies:,} conflict tallies")
    print(f"  timing with {cpu_note()}")
    q = query.get("conflicts-by-gene")
    samples, cpu = [], []
    rows = []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        rows = query.select_rows(reader, q.text, graphs)
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    warm, warm_cpu = samples[1:] or samples, cpu[1:] or cpu
    # the query alone, without making its rows (decoding the terms and building Python objects)
    head, _, body = q.text.partition("SELECT")
    counted = f"{head}SELECT (COUNT(*) AS ?rows) WHERE {{ {{ SELECT{body} }} }}"
    evaluation = []
    for _ in range(runs):
        t0 = time.perf_counter()
        next(iter(reader.query(counted, default_graphs=graphs)))
        evaluation.append((time.perf_counter() - t0) * 1000)
    print(f"  conflicts-by-gene (all genes): {len(rows):,} rows; cold {samples[0]:.0f} ms, warm median "
          f"{median(warm):.0f} ms (p95 {percentile(warm, 95):.0f}; {median(warm_cpu):.0f} ms of this process's "
          f"CPU; evaluation alone {median(evaluation[1:] or evaluation):.0f} ms); target <= "
          f"{TARGET_CONFLICTS_MS:.0f} ms: {'met' if median(warm) <= TARGET_CONFLICTS_MS else 'NOT met'}")
    per_gene = query.get("gene-conflicts").bind({"gene": "HGNC:8"})  # a synthetic gene with conflicts
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        rows = query.select_rows(reader, per_gene, graphs)
        samples.append((time.perf_counter() - t0) * 1000)
    one = median(samples[1:])
    print(f"  gene-conflicts (conflicts by type for one gene, HGNC:8): {len(rows)} rows; warm median {one:.1f} ms; "
          f"target <= {TARGET_CONFLICTS_MS:.0f} ms: {'met' if one <= TARGET_CONFLICTS_MS else 'NOT met'}")
    vs = query.get("variant-statements")
    samples = []
    for i in range(runs):
        t0 = time.perf_counter()
        rows = query.select_rows(reader, vs.bind({"id": str(90_000_000 + 37 * i)}), graphs)
        samples.append((time.perf_counter() - t0) * 1000)
    print(f"  variant-statements by ClinVar id: {len(rows)} rows; warm median {median(samples[1:]):.1f} ms")
    reader.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=None, help="the 10M synthetic store to add variants to (b)")
    ap.add_argument("--variants", type=int, default=100_000, help="synthetic variants for (b) (default 100,000)")
    ap.add_argument("--runs", type=int, default=6, help="runs per query (first is cold)")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--skip-real", action="store_true")
    args = ap.parse_args(argv)
    print(f"bench_variants: {cpu_note()}")
    if not args.skip_real:
        print("\n== (a) ERepo + ClinVar samples, ingested and validated")
        bench_real(args.workdir)
    if args.store:
        print(f"\n== (b) conflicts at scale: {args.store}")
        bench_conflicts(args.store, args.variants, max(2, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
