"""Conflict tallies (``cgv:ConflictTally``, materialised per release at load) and the catalogue queries that
read them: ``conflicts-by-gene`` must give what joining the conflicts themselves gives, summed over the
current releases only."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from clingen_graph import query, release
from clingen_graph.ids import META_GRAPH, graph_iri
from clingen_graph.ingest.base import Problem
from clingen_graph.ingest.clinvar_xml import parse as parse_vcv
from clingen_graph.model import variants
from clingen_graph.model.references import References
from clingen_graph.store import open_store
from clingen_graph.terms import CGV

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "clinvar" / "samples"
KRAS = "https://identifiers.org/hgnc:6407"
PREFIX = "PREFIX cgv: <https://w3id.org/clingen-graph/vocab#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


def _value(term) -> str | None:  # type: ignore[no-untyped-def]
    return None if term is None else term.value


def _catalogue(store, name: str, **params: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    q = query.get(name)
    rows = query.select_rows(store, q.bind(params) if params else q.text, release.default_graphs(store))
    return [tuple(_value(r[v]) for v in ("symbol", "gene", "conflictType", "variants") if v in r) for r in rows]


def _from_conflicts(store) -> Counter:  # type: ignore[no-untyped-def]
    """(symbol, gene, conflict type label) → variants, from the conflicts: distinct variants per current
    release, summed over the releases; the symbol from the current HGNC release."""
    graphs = release.default_graphs(store)
    per_release = query.select_rows(store, PREFIX + """
        SELECT DISTINCT ?g ?variant ?gene ?label WHERE {
          GRAPH ?g { ?c cgv:conflictType ?type ; cgv:conflictAbout ?variant . OPTIONAL { ?variant cgv:gene ?gene } }
          ?type skos:prefLabel ?label .
        }""", graphs)
    symbols = {r["gene"].value: r["symbol"].value for r in query.select_rows(
        store, PREFIX + "SELECT ?gene ?symbol WHERE { ?gene a cgv:Gene ; cgv:symbol ?symbol }", graphs)}
    out: Counter = Counter()
    for r in per_release:
        if r["g"].value not in graphs:
            continue
        gene = _value(r["gene"])
        out[(symbols.get(gene) if gene else None, gene, r["label"].value)] += 1
    return out


def test_conflicts_by_gene_equals_the_conflicts_joined(reader) -> None:
    rows = _catalogue(reader, "conflicts-by-gene")
    expected = _from_conflicts(reader)
    assert expected, "the bundled ClinVar samples have conflicts"
    assert {row[:3]: int(row[3]) for row in rows} == dict(expected)
    assert len(rows) == len(expected)  # one row per gene and type
    # ordered by symbol (genes without one first), then conflict type
    assert [(s or "", t) for s, _, t, _ in rows] == sorted((s or "", t) for s, _, t, _ in rows)
    for _, gene, ctype, n in rows:
        if gene is not None:
            assert (gene, ctype, n) in _catalogue(reader, "gene-conflicts", gene=gene)


def test_tallies_carry_gene_symbol_and_type_label() -> None:
    (rec,) = [r for r in parse_vcv(SAMPLES / "VCV000177881.xml") if not isinstance(r, Problem)]
    triples, _ = variants.vcv_to_triples(rec, References())
    tallies = variants.conflict_tallies("https://w3id.org/clingen-graph/graph/clinvar-vcv/x", triples,
                                        {"HGNC:6407": "KRAS"})
    by_p = {p.value: o.value for _, p, o in tallies}
    assert by_p[CGV.tallyGene.value] == KRAS
    assert by_p[CGV.tallyGeneSymbol.value] == "KRAS"
    assert by_p[CGV.tallyConflictTypeLabel.value] == "P/LP vs VUS"
    assert by_p[CGV.variantCount.value] == "1"
    assert CGV.gene.value not in by_p  # cgv:gene is for variants
    # without the HGNC release, no symbol (the query leaves it unbound)
    bare = variants.conflict_tallies("https://w3id.org/clingen-graph/graph/clinvar-vcv/x", triples)
    assert CGV.tallyGeneSymbol.value not in {p.value for _, p, _ in bare}


def test_sums_over_the_current_releases_only(tmp_path: Path) -> None:
    """Two sources each with a current release holding KRAS's conflict, and an older release of one of them:
    the catalogue sums the two current ones and leaves the old one out (graph list, not the union graph)."""
    (rec,) = [r for r in parse_vcv(SAMPLES / "VCV000177881.xml") if not isinstance(r, Problem)]
    triples, _ = variants.vcv_to_triples(rec, References())
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    release.load_ontology(store)  # the conflict type labels, for the reference from the conflicts
    for source, label, issued in (("clinvar-vcv", "old", "2024-01-01"), ("clinvar-vcv", "new", "2024-09-17"),
                                  ("clinvar-other", "x", "2024-09-17")):
        graph = graph_iri(source, label)
        body = triples + variants.conflict_tallies(graph, triples, {"HGNC:6407": "KRAS"})
        count = store.replace_graph(graph, body)
        summary = release.LoadSummary(f"{source}-{label}", source, label, graph, "loaded", 1, 1, 0, 0, 0, count,
                                      conforms=True)
        store.add_to_graph(META_GRAPH, release._metadata(summary, "test", "https://example.org", "CC0", issued,
                                                         "0" * 64, Path(f"{source}-{label}"), release._now()))
    assert {s for s in release.current_releases(store) if s.startswith("clinvar")} == {"clinvar-vcv", "clinvar-other"}
    assert _catalogue(store, "conflicts-by-gene") == [("KRAS", KRAS, "P/LP vs VUS", "2")]
    assert _catalogue(store, "gene-conflicts", gene="HGNC:6407") == [(KRAS, "P/LP vs VUS", "2")]
    assert sum(_from_conflicts(store).values()) == 2
    store.close()
