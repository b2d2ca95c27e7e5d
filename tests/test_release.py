"""Releases on an on-disk store: summaries, obsolete-term repair, no-op reloads, newer releases, failed and
interrupted loads, release metadata and ``strict``.

Fixtures: HGNC 2024-07-23 excerpt (the genes used), MONDO v2026-05-05 OBO excerpt (the diseases used;
MONDO:0100317 is obsolete and replaced by MONDO:0014306, MONDO:0011311 is obsolete with no replacement),
the gene-validity export of 2026-02-09 (line 10 ADA2 cites MONDO:0100317, line 11 ASB10 cites
MONDO:0011311) and the 2025-01-03 summary (the same two at lines 6 and 7).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat

from clingen_graph import query
from clingen_graph.ids import GRAPH_BASE, META_GRAPH, expand_curie, graph_iri
from clingen_graph.query import select_rows
from clingen_graph.release import (
    LoadSummary,
    current_releases,
    default_graphs,
    load_paths,
    releases,
    sha256_of,
)
from clingen_graph.store import GraphStore
from clingen_graph.store.base import StoreError
from clingen_graph.terms import CGV
from clingen_graph.validate import validate_store

HGNC = "hgnc/hgnc_entries_2024-07-23.tsv"
MONDO = "mondo/mondo_v2026-05-05.obo"
EXPORT = "clingen_gene_validity/clingen_gene_validity_2026-02-09.csv"
SUMMARY = "clingen_gene_validity/Clingen-Gene-Disease-Summary-2025-01-03.csv"
REGIONS = "clingen_dosage/ClinGen_region_curation_list_GRCh37.tsv"
ADA2 = "http://dataexchange.clinicalgenome.org/gci/assertion_e05f1338-6a58-4991-af3b-6433bd165a9"
ASB10 = "http://dataexchange.clinicalgenome.org/gci/assertion_ac9aa333-15d1-404d-85e1-a3d6e759dc0b"


def _by_file(summaries: list[LoadSummary]) -> dict[str, LoadSummary]:
    return {Path(s.file).name: s for s in summaries}


def _subjects(store: GraphStore, graph: str, prefix: str) -> set[str]:
    rows = store.query(f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{prefix}")) }}',
                       default_graphs=[graph])
    return {r["s"].value for r in rows}


def _objects(store: GraphStore, graph: str, subject: str, predicate: NamedNode) -> set[str]:
    rows = store.query(f"SELECT ?o WHERE {{ <{subject}> <{predicate.value}> ?o }}", default_graphs=[graph])
    return {r["o"].value for r in rows}


def _triples_in(store: GraphStore, graph: str) -> int:
    return int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[graph])))["n"].value)


@pytest.fixture
def loaded(disk_store: GraphStore, fixtures_dir: Path) -> tuple[GraphStore, dict[str, LoadSummary]]:
    """HGNC, MONDO and the 2026-02-09 gene-validity export, passed curation-first (the loader reorders)."""
    summaries = load_paths(disk_store, [fixtures_dir / EXPORT, fixtures_dir / MONDO, fixtures_dir / HGNC])
    return disk_store, _by_file(summaries)


def test_summaries(loaded, fixtures_dir: Path) -> None:
    _, by_file = loaded
    assert [by_file[n].source for n in ("hgnc_entries_2024-07-23.tsv", "mondo_v2026-05-05.obo",
                                         "clingen_gene_validity_2026-02-09.csv")] == [
        "hgnc", "mondo", "clingen-gene-validity"]
    for summary in by_file.values():
        assert summary.status == "loaded", summary.message
        assert summary.rows_read == summary.rows_loaded + summary.rows_rejected
    hgnc = by_file["hgnc_entries_2024-07-23.tsv"]
    assert (hgnc.release, hgnc.rows_read, hgnc.rows_loaded, hgnc.rows_rejected) == ("2024-07-23", 14, 14, 0)
    gv = by_file["clingen_gene_validity_2026-02-09.csv"]
    assert (gv.release, gv.rows_read, gv.rows_loaded, gv.rows_rejected) == ("2026-02-09", 5, 5, 0)
    assert gv.graph == graph_iri("clingen-gene-validity", "2026-02-09")
    export = str(fixtures_dir / EXPORT)
    assert [(p.level, p.code, p.file, p.line) for p in gv.problems] == [
        ("warning", "obsolete-repaired", export, 10),
        ("warning", "obsolete-unrepaired", export, 11),
    ]
    assert "MONDO:0011311" in gv.problems[1].message
    assert str(gv.problems[1]).startswith(f"{export}:11: warning:")


def test_obsolete_disease_is_repaired(loaded) -> None:
    store, by_file = loaded
    graph = by_file["clingen_gene_validity_2026-02-09.csv"].graph
    ada2 = next(s for s in _subjects(store, graph, ADA2))
    assert _objects(store, graph, ada2, CGV.citedCondition) == {expand_curie("MONDO:0100317")}
    (proposition,) = _objects(store, graph, ada2, CGV.proposition)
    assert _objects(store, graph, proposition, CGV.objectCondition) == {expand_curie("MONDO:0014306")}


def test_obsolete_disease_without_replacement_is_loaded_as_cited(loaded) -> None:
    """A real curation is never dropped because our MONDO is newer: it loads citing the obsolete term,
    with a warning, and the obsolete-mondo-curations query lists it for review."""
    store, by_file = loaded
    graph = by_file["clingen_gene_validity_2026-02-09.csv"].graph
    assert _subjects(store, graph, ASB10) != set()
    rows = store.query(f"ASK {{ ?p <{CGV.objectCondition.value}> <{expand_curie('MONDO:0011311')}> }}",
                       default_graphs=[graph])
    assert bool(rows)
    listed = select_rows(store, query.get("obsolete-mondo-curations").text, default_graphs(store))
    cited = {r["cited"].value for r in listed if r["statement"].value.startswith(ASB10)}
    assert cited == {expand_curie("MONDO:0011311")}


def test_same_file_again_is_unchanged(loaded, fixtures_dir: Path) -> None:
    store, by_file = loaded
    graphs, metas = store.graphs(), releases(store)
    again = _by_file(load_paths(store, [fixtures_dir / EXPORT]))
    summary = again["clingen_gene_validity_2026-02-09.csv"]
    assert summary.status == "unchanged"
    assert summary.graph == by_file["clingen_gene_validity_2026-02-09.csv"].graph
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (5, 5, 0)
    assert store.graphs() == graphs
    assert releases(store) == metas


def test_same_content_under_another_name_is_unchanged(loaded, fixtures_dir: Path, tmp_path: Path) -> None:
    store, _ = loaded
    copy = tmp_path / "copy_2026-02-09.csv"
    copy.write_bytes((fixtures_dir / EXPORT).read_bytes())
    graphs = store.graphs()
    (summary,) = [s for s in load_paths(store, [copy]) if s.file == str(copy)]
    assert summary.status == "unchanged"
    assert store.graphs() == graphs


def test_newer_release_keeps_both_and_becomes_current(loaded, fixtures_dir: Path) -> None:
    store, by_file = loaded
    newer_graph = by_file["clingen_gene_validity_2026-02-09.csv"].graph
    # the older 2025-01-03 release loaded afterwards is kept, but does not become current
    older = _by_file(load_paths(store, [fixtures_dir / SUMMARY]))["Clingen-Gene-Disease-Summary-2025-01-03.csv"]
    assert older.status == "loaded"
    assert older.graph == graph_iri("clingen-gene-validity", "2025-01-03")
    assert {older.graph, newer_graph} <= set(store.graphs())
    assert [r.label for r in releases(store) if r.source == "clingen-gene-validity"] == ["2025-01-03", "2026-02-09"]
    assert current_releases(store)["clingen-gene-validity"].graph == newer_graph
    view = default_graphs(store)
    assert newer_graph in view and older.graph not in view
    assert view[-1] == META_GRAPH
    # the older release stays queryable by its graph name
    assert _subjects(store, older.graph, ADA2)


def test_newer_release_loaded_last(disk_store: GraphStore, fixtures_dir: Path) -> None:
    load_paths(disk_store, [fixtures_dir / HGNC, fixtures_dir / MONDO, fixtures_dir / SUMMARY])
    assert current_releases(disk_store)["clingen-gene-validity"].label == "2025-01-03"
    newer = _by_file(load_paths(disk_store, [fixtures_dir / EXPORT]))["clingen_gene_validity_2026-02-09.csv"]
    assert newer.status == "loaded"
    assert current_releases(disk_store)["clingen-gene-validity"].graph == newer.graph
    assert graph_iri("clingen-gene-validity", "2025-01-03") in disk_store.graphs()


def test_superseded_release_moves_to_the_archive(disk_store: GraphStore, fixtures_dir: Path) -> None:
    """The live store keeps only the current view, so it is queried through the union default graph; the
    superseded release stays listed, queryable on its own and dumpable, with all its triples."""
    load_paths(disk_store, [fixtures_dir / HGNC, fixtures_dir / MONDO, fixtures_dir / SUMMARY])
    older = current_releases(disk_store)["clingen-gene-validity"]
    triples = _triples_in(disk_store, older.graph)
    load_paths(disk_store, [fixtures_dir / EXPORT])
    view = default_graphs(disk_store)
    assert older.graph not in view
    assert older.graph in disk_store.archived_graphs()  # type: ignore[attr-defined]
    assert older.graph not in disk_store.live_graphs()  # type: ignore[attr-defined]
    assert older.graph in disk_store.graphs()
    assert disk_store.view.query_kwargs(view) == {"use_default_graph_as_union": True}  # type: ignore[attr-defined]
    assert _triples_in(disk_store, older.graph) == triples == older.triples
    assert _subjects(disk_store, older.graph, ADA2)
    assert _triples_in(disk_store, view[0]) > 0  # current graphs still answer from the live store
    assert disk_store.dump(RdfFormat.N_TRIPLES, graph=older.graph).count(b"\n") == triples
    with pytest.raises(StoreError, match="superseded release"):
        disk_store.query("ASK { ?s ?p ?o }", default_graphs=[older.graph, view[0]])
    disk_store.drop_graph(older.graph)
    assert older.graph not in disk_store.graphs()


def test_interrupted_move_to_the_archive_is_finished_by_the_next_load(disk_store: GraphStore,
                                                                       fixtures_dir: Path) -> None:
    """A copy into the archive that was cut off before the live graph was dropped leaves the release in both
    stores; the next load copies it again, whole, and drops the live one."""
    load_paths(disk_store, [fixtures_dir / HGNC, fixtures_dir / MONDO, fixtures_dir / SUMMARY])
    older = current_releases(disk_store)["clingen-gene-validity"]
    triples = _triples_in(disk_store, older.graph)
    real_drop = disk_store.drop_live_graph  # type: ignore[attr-defined]
    disk_store.drop_live_graph = lambda name: None  # type: ignore[attr-defined]  # "killed" after the copy
    load_paths(disk_store, [fixtures_dir / EXPORT])
    assert older.graph in disk_store.live_graphs() and older.graph in disk_store.archived_graphs()  # type: ignore
    disk_store.drop_live_graph = real_drop  # type: ignore[attr-defined]
    load_paths(disk_store, [fixtures_dir / HGNC])  # nothing new to load; the move completes
    assert older.graph not in disk_store.live_graphs()  # type: ignore[attr-defined]
    assert _triples_in(disk_store, older.graph) == triples


def test_truncated_release_leaves_the_previous_one(loaded, fixtures_dir: Path, truncated_gzip, tmp_path) -> None:
    store, by_file = loaded
    previous = by_file["hgnc_entries_2024-07-23.tsv"]
    graphs, triples = store.graphs(), _triples_in(store, previous.graph)
    newer = tmp_path / "hgnc_entries_2025-01-01.tsv"
    newer.write_bytes((fixtures_dir / HGNC).read_bytes())
    cut = truncated_gzip(newer)
    summary = _by_file(load_paths(store, [cut]))[cut.name]
    assert summary.status == "failed"
    assert [p.code for p in summary.problems if p.level == "reject"] == ["truncated"]
    assert summary.problems[-1].file == str(cut)
    assert store.graphs() == graphs
    assert current_releases(store)["hgnc"].graph == previous.graph
    assert _triples_in(store, previous.graph) == triples


def test_unreadable_release_leaves_the_previous_one(loaded, fixtures_dir: Path, edit_line, line_of) -> None:
    store, by_file = loaded
    graphs = store.graphs()
    src = fixtures_dir / HGNC
    broken = edit_line(src, 1, line_of(src, 1).replace(b"Status", b"State"), name="hgnc_entries_2025-01-01.tsv")
    summary = _by_file(load_paths(store, [broken]))[broken.name]
    assert summary.status == "failed"
    assert [(p.code, p.file, p.line) for p in summary.problems] == [("header", str(broken), 1)]
    assert store.graphs() == graphs
    assert current_releases(store)["hgnc"].graph == by_file["hgnc_entries_2024-07-23.tsv"].graph


@pytest.mark.parametrize("content", [b"", b"just some notes\n"], ids=["empty", "wrong-kind"])
def test_file_that_is_not_a_source(memory_store: GraphStore, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes_2026-01-01.txt"
    path.write_bytes(content)
    summaries = load_paths(memory_store, [path])
    summary = _by_file(summaries)[path.name]
    assert summary.status == "failed"
    assert [(p.code, p.file) for p in summary.problems] == [
        ("empty" if not content else "unknown-kind", str(path))]
    assert [r.source for r in releases(memory_store)] == ["clingen-graph-ontology"]


def test_graph_without_metadata_is_invisible_and_removed(loaded, fixtures_dir: Path) -> None:
    store, by_file = loaded
    orphan = graph_iri("clingen-gene-validity", "2099-01-01")  # as if a load had stopped before its metadata
    store.replace_graph(orphan, [(NamedNode(ADA2), CGV.classification, CGV.Refuted)])
    assert orphan in store.graphs()
    assert orphan not in default_graphs(store)
    assert current_releases(store)["clingen-gene-validity"].graph == by_file[
        "clingen_gene_validity_2026-02-09.csv"].graph
    summary = _by_file(load_paths(store, [fixtures_dir / SUMMARY]))["Clingen-Gene-Disease-Summary-2025-01-03.csv"]
    assert summary.status == "loaded"
    assert orphan not in store.graphs()
    assert all(g.startswith(GRAPH_BASE) for g in store.graphs())


def test_release_metadata(loaded, fixtures_dir: Path) -> None:
    store, by_file = loaded
    report = validate_store(store.raw, graph=META_GRAPH)
    assert report.conforms, report.violations
    assert report.violations == []
    gv = current_releases(store)["clingen-gene-validity"]
    summary = by_file["clingen_gene_validity_2026-02-09.csv"]
    assert gv.graph == summary.graph
    assert gv.sha256 == sha256_of(fixtures_dir / EXPORT)
    assert (gv.file, gv.label, gv.issued) == ("clingen_gene_validity_2026-02-09.csv", "2026-02-09", "2026-02-09")
    assert (gv.rows_read, gv.rows_loaded, gv.rows_rejected, gv.rows_quarantined) == (5, 5, 0, 0)
    assert gv.triples == summary.triples == _triples_in(store, gv.graph)
    assert gv.conforms is True
    assert {r.source for r in releases(store)} == {"clingen-graph-ontology", "hgnc", "mondo", "clingen-gene-validity"}


# --- SHACL during a load: quarantine, or refusal with strict ---------------------------------------------

@pytest.fixture
def region_from_zero(fixtures_dir: Path, edit_line, line_of) -> Path:
    """The region list with ISCA-46741 located at chr9:0-1982069: the parser accepts it, the shapes do not
    (locations are 1-based)."""
    src = fixtures_dir / REGIONS
    return edit_line(src, 7, line_of(src, 7).replace(b"chr9:1-1982069", b"chr9:0-1982069"))


def test_violating_row_is_quarantined(memory_store: GraphStore, region_from_zero: Path) -> None:
    summary = _by_file(load_paths(memory_store, [region_from_zero]))[region_from_zero.name]
    assert summary.status == "loaded"
    assert summary.conforms is False
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected, summary.rows_quarantined) == (4, 3, 1, 1)
    shacl = [p for p in summary.problems if p.code == "shacl"]
    assert [(p.level, p.file, p.line) for p in shacl] == [("reject", str(region_from_zero), 7)]
    assert "start" in shacl[0].message
    regions = _subjects(memory_store, summary.graph, "http://dx.clinicalgenome.org/entities/")
    assert regions == {f"http://dx.clinicalgenome.org/entities/ISCA-{n}" for n in (46739, 46738, 46737)}
    meta = current_releases(memory_store)["clingen-dosage-regions"]
    assert (meta.rows_quarantined, meta.conforms) == (1, False)
    assert validate_store(memory_store.raw, graph=summary.graph).conforms


def test_strict_refuses_a_violating_release(memory_store: GraphStore, region_from_zero: Path,
                                            fixtures_dir: Path) -> None:
    good = _by_file(load_paths(memory_store, [fixtures_dir / REGIONS]))[Path(REGIONS).name]
    assert good.status == "loaded"
    graphs = memory_store.graphs()
    newer = region_from_zero.with_name("regions_2024-01-01.tsv")  # the date line, not the name, names it
    region_from_zero.rename(newer)
    summary = _by_file(load_paths(memory_store, [newer], strict=True))[newer.name]
    assert summary.status == "refused"
    assert [(p.code, p.line) for p in summary.problems if p.level == "reject"] == [("shacl", 7)]
    assert memory_store.graphs() == graphs
    assert current_releases(memory_store)["clingen-dosage-regions"].graph == good.graph


def test_dosage_gene_missing_from_hgnc_ncbi_map_is_matched_by_symbol(fixtures_dir: Path) -> None:
    """A newer dosage file may cite an NCBI Gene id our HGNC release does not map: the approved symbol
    finds the gene, and the row is reported; with neither, the row is rejected naming the id."""
    from clingen_graph.ingest.clingen_dosage import parse_genes
    from clingen_graph.model import dosage
    from clingen_graph.model.references import References

    genes = parse_genes(fixtures_dir / "clingen_dosage/ClinGen_gene_curation_list_GRCh38.tsv")
    rec = next(r for r in genes if getattr(r, "gene_symbol", "") == "AAGAB")
    refs = References(hgnc_ids={"HGNC:25662"}, hgnc_symbols={"HGNC:25662": "AAGAB"})
    triples, problems = dosage.to_triples(rec, refs)
    assert [(p.level, p.code) for p in problems] == [("warning", "gene-by-symbol")]
    assert any(o.value == expand_curie("HGNC:25662") for _, _, o in triples)
    _, problems = dosage.to_triples(rec, References(hgnc_ids=set()))
    assert [(p.level, p.code) for p in problems] == [("reject", "unknown-gene")]
