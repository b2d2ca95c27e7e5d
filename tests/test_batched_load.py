"""A file too large for one batch is staged batch by batch (``$CLINGEN_GRAPH_LOAD_BATCH``, in triples): each
batch validated and written while the next is built, the shapes checked once more over the whole staged graph,
tallies read back from it. The release must be exactly the one a single-batch load gives: same graph, same
summary, same problems, on the real files (ClinGen ERepo, ClinVar VCV XML and variant_summary, gene validity,
dosage), with references (HGNC, MONDO) loaded first.

A violation that only the whole graph shows (two records in different batches giving one agent two names)
quarantines both records, as a single-batch load does. A file cut off after some batches were written leaves
no graph behind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat

from clingen_graph.release import LOAD_BATCH_ENV, LoadSummary, load_batch, load_paths
from clingen_graph.resources import data_dir
from clingen_graph.store import GraphStore, open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCES = [FIXTURES / "hgnc/hgnc_entries_2024-07-23.tsv", FIXTURES / "mondo/mondo_v2026-05-05.obo"]
FILES = [FIXTURES / "clingen_erepo/clingen_erepo_2024-04.tsv",
         data_dir() / "clinvar/ClinVarVCVRelease_2024-09-17.samples.xml",
         data_dir() / "clinvar/variant_summary_2026-06_excerpt.shared.tsv",
         FIXTURES / "clingen_gene_validity/clingen_gene_validity_2026-02-09.csv",
         FIXTURES / "clingen_dosage/ClinGen_gene_curation_list_GRCh38.tsv"]
BATCH = 200  # triples: the ERepo excerpt is 30 batches, the VCV samples 12
FIELDS = ("source", "release", "graph", "status", "rows_read", "rows_loaded", "rows_rejected", "rows_quarantined",
          "warnings", "triples", "conforms", "message")


def _load(url: str, files: list[Path], batch: int | None, monkeypatch: pytest.MonkeyPatch) -> tuple[
        GraphStore, list[LoadSummary]]:
    store = open_store(url)
    load_paths(store, REFERENCES)
    with monkeypatch.context() as m:
        if batch is not None:
            m.setenv(LOAD_BATCH_ENV, str(batch))
        by_file = {Path(s.file): s for s in load_paths(store, files)}
        return store, [by_file[f] for f in files]


def _graph(store: GraphStore, graph: str) -> list[str]:
    return sorted(store.dump(RdfFormat.N_TRIPLES, graph=graph).decode().splitlines())


def _problems(summary: LoadSummary) -> list[tuple[str, int, str, str, str]]:
    return sorted((Path(p.file).name, p.line, p.level, p.code, p.message) for p in summary.problems)


def _same_release(one: tuple[GraphStore, LoadSummary], other: tuple[GraphStore, LoadSummary]) -> None:
    (a, sa), (b, sb) = one, other
    assert {f: getattr(sa, f) for f in FIELDS} == {f: getattr(sb, f) for f in FIELDS}, sa.file
    assert _problems(sa) == _problems(sb), sa.file
    if sa.graph:
        assert _graph(a, sa.graph) == _graph(b, sb.graph), sa.file


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_batched_load_gives_the_single_batch_release(backend: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    url = "memory:" if backend == "memory" else f"oxigraph:{tmp_path / '%s'}"
    single, whole = _load(url.replace("%s", "single"), FILES, None, monkeypatch)
    batched, parts = _load(url.replace("%s", "batched"), FILES, BATCH, monkeypatch)
    assert [s.status for s in whole] == ["loaded"] * len(FILES)
    for one, other in zip(whole, parts, strict=True):
        _same_release((single, one), (batched, other))
    erepo, vcv = parts[0], parts[1]
    assert erepo.triples > 10 * BATCH and vcv.triples > 10 * BATCH  # many batches each
    assert whole[1].rows_loaded == vcv.rows_loaded >= 10
    assert erepo.rows_loaded == whole[0].rows_loaded > 0


def _rename_last(src: Path, dest: Path, old: bytes, new: bytes) -> None:
    data = src.read_bytes()
    at = data.rindex(old)
    dest.write_bytes(data[:at] + new + data[at + len(old):])


@pytest.mark.parametrize("batch", [None, BATCH])
def test_violation_across_batches_quarantines_as_one_batch_does(batch: int | None, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # the last OMIM submission (organisation 3) under another name: the agent then has two labels, a
    # violation of its shape that, batched, only the whole staged graph shows
    vcv = tmp_path / "ClinVarVCVRelease_2024-09-17.renamed.xml"
    _rename_last(FILES[1], vcv, b'SubmitterName="OMIM" OrgID="3"', b'SubmitterName="OMIM (renamed)" OrgID="3"')
    single, (whole,) = _load("memory:", [vcv], None, monkeypatch)
    store, (summary,) = _load("memory:", [vcv], batch, monkeypatch)
    _same_release((single, whole), (store, summary))
    assert summary.status == "loaded" and summary.conforms is False
    omim = {p.line for p in summary.problems if p.code == "shacl"}
    assert len(omim) == summary.rows_quarantined >= 2  # every record with an OMIM submission
    assert all("label" in p.message for p in summary.problems if p.code == "shacl")
    assert summary.rows_loaded == summary.rows_read - summary.rows_rejected


def test_strict_refuses_a_violation_across_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vcv = tmp_path / "ClinVarVCVRelease_2024-09-17.renamed.xml"
    _rename_last(FILES[1], vcv, b'SubmitterName="OMIM" OrgID="3"', b'SubmitterName="OMIM (renamed)" OrgID="3"')
    store = open_store("memory:")
    load_paths(store, REFERENCES)
    monkeypatch.setenv(LOAD_BATCH_ENV, str(BATCH))
    (summary,) = [s for s in load_paths(store, [vcv], strict=True) if Path(s.file) == vcv]
    assert summary.status == "refused" and summary.graph == ""
    assert any(p.code == "shacl" for p in summary.problems)
    assert not [g for g in store.graphs() if "/clinvar" in g]


def test_cut_off_file_leaves_no_staged_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the XML stops in the middle of its last records, after several batches were written
    data = FILES[1].read_bytes()
    vcv = tmp_path / "ClinVarVCVRelease_2024-09-17.cut.xml"
    vcv.write_bytes(data[: int(len(data) * 0.8)])
    store = open_store("memory:")
    load_paths(store, REFERENCES)
    before = store.graphs()
    monkeypatch.setenv(LOAD_BATCH_ENV, str(BATCH))
    (summary,) = [s for s in load_paths(store, [vcv]) if Path(s.file) == vcv]
    assert summary.status == "failed" and "truncated" in {p.code for p in summary.problems}
    assert store.graphs() == before


@pytest.mark.parametrize("raw", ["0", "-5", "many"])
def test_load_batch_must_be_a_positive_number(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LOAD_BATCH_ENV, raw)
    with pytest.raises(ValueError, match=LOAD_BATCH_ENV):
        load_batch()
    monkeypatch.setenv(LOAD_BATCH_ENV, "2_000_000")
    assert load_batch() == 2_000_000


@pytest.mark.server
@pytest.mark.parametrize("kind", ["oxigraph-server", "virtuoso"])
def test_batched_load_on_a_server(kind: str, emptied_server: Callable[[str], str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The same staging through SPARQL and the Graph Store Protocol (appends, the check of shared nodes and
    the tallies run on the server)."""
    url = emptied_server(kind)
    files = FILES[:2]
    single, whole = _load("memory:", files, None, monkeypatch)
    remote, parts = _load(url, files, BATCH, monkeypatch)
    try:
        for one, other in zip(whole, parts, strict=True):
            assert {f: getattr(one, f) for f in FIELDS} == {f: getattr(other, f) for f in FIELDS}, one.file
            assert _problems(one) == _problems(other), one.file
            if kind == "oxigraph-server":
                assert _graph(single, one.graph) == _graph(remote, other.graph), one.file
    finally:
        for name in remote.graphs():
            remote.drop_graph(name)
        remote.close()
