"""The bundled real data loads completely: every row loaded or reported, every source current."""

from __future__ import annotations

from clingen_graph.release import current_releases, default_graphs

EXPECTED_SOURCES = {
    "hgnc", "mondo", "mondo-sssom-omim", "mondo-sssom-orphanet", "hpo", "clingen-gene-validity",
    "clingen-dosage-genes", "clingen-dosage-regions", "clingen-graph-ontology", "clingen-erepo",
    "clinvar-variant-summary", "clinvar-vcv",
}


def test_every_file_loaded(bundled):
    _, summaries = bundled
    assert {s.status for s in summaries} == {"loaded"}, [(s.file, s.message) for s in summaries if s.status != "loaded"]
    for s in summaries:
        assert s.rows_read == s.rows_loaded + s.rows_rejected, s.file
        rejects = [p for p in s.problems if p.level == "reject"]
        assert len(rejects) == s.rows_rejected, s.file
        assert all(p.file and p.line >= 0 and p.message for p in s.problems)


def test_reject_rate_is_small(bundled):
    _, summaries = bundled
    for s in summaries:
        assert s.rows_rejected <= 0.01 * max(s.rows_read, 1), (s.file, s.rows_rejected)


def test_both_gene_validity_releases_kept_newest_current(reader):
    current = current_releases(reader)
    assert EXPECTED_SOURCES <= set(current)
    assert current["clingen-gene-validity"].label == "2026-02-09"
    graphs = reader.graphs()
    assert any(g.endswith("clingen-gene-validity/2025-01-03") for g in graphs)
    assert not any(g.endswith("clingen-gene-validity/2025-01-03") for g in default_graphs(reader))


def test_reloading_the_bundle_is_a_noop(bundled_url, tmp_path):
    from clingen_graph.release import load_paths
    from clingen_graph.resources import data_dir
    from clingen_graph.store import open_store

    store = open_store(bundled_url)
    try:
        before = store.graphs()
        summaries = load_paths(store, [data_dir() / "clingen"])
    finally:
        store.close()
    assert {s.status for s in summaries} == {"unchanged"}
    store = open_store(bundled_url, read_only=True)
    try:
        assert store.graphs() == before
    finally:
        store.close()
