"""What the fuzzing and the bad-input matrix found, one case each (the fixes are in the parsers and in
``release.load_file``). Before the fixes each of these ended ``clingen-graph load`` with a traceback, or loaded a
cut file as the current release, or gave a misleading error."""

from __future__ import annotations

from pathlib import Path

import pytest

from clingen_graph.ingest import clingen_erepo, clingen_gene_validity, clinvar_summary, detect, hgnc, hpo, mondo
from clingen_graph.ingest.base import FileProblem, Problem, Record
from clingen_graph.model.references import References
from clingen_graph.release import build, current_releases, load_paths
from clingen_graph.resources import data_dir
from clingen_graph.store import open_store
from clingen_graph.terms import CGV

from .conftest import FIXTURES, HGNC_OLD

EREPO = FIXTURES / "clingen_erepo" / "clingen_erepo_2024-04.tsv"
GENE_VALIDITY = FIXTURES / "clingen_gene_validity" / "clingen_gene_validity_2026-02-09.csv"


def _cells(path: Path, line: int, sep: bytes, edits: dict[int, bytes]) -> bytes:
    cells = path.read_bytes().split(b"\n")[line - 1].split(sep)
    for i, value in edits.items():
        cells[i] = value
    return sep.join(cells)


def _split(items: list) -> tuple[list[Record], list[Problem]]:
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, Problem)]


def test_gene_validity_report_that_is_not_a_url_rejects_its_row(edit_line) -> None:
    # was: the record went to the model, whose IRI for the report raised "Invalid IRI code point"
    path = edit_line(GENE_VALIDITY, 7, _cells(GENE_VALIDITY, 7, b",", {7: b'"https://search.clinicalgenome.org/kb/'
                                                                          b'gene-validity/CGGV:assertion_92de3832-c272-'
                                                                          b'4993-8586-288c6331dec2-2024 x"'}))
    records, problems = _split(list(clingen_gene_validity.parse(path)))
    assert [(p.code, p.line) for p in problems] == [("bad-url", 7)]
    assert 7 not in {r.line for r in records} and len(records) == 4


def test_erepo_guideline_that_is_not_a_url_is_ignored_and_the_row_loads(edit_line) -> None:
    # was: "kept as text", then written as an IRI by the model: "No scheme found in an absolute IRI"
    path = edit_line(EREPO, 2, _cells(EREPO, 2, b"\t", {14: b"see the PAH specification"}))
    rec = next(r for r in clingen_erepo.parse(path) if isinstance(r, Record) and r.line == 2)
    assert rec.guideline is None and [w.code for w in rec.warnings] == ["bad-guideline"]
    triples, problems = build(rec, References())
    assert not [p for p in problems if p.level == "reject"]
    assert any(p == CGV.specifiedBy for _, p, _ in triples)


def test_erepo_link_that_is_not_a_url_rejects_its_row(edit_line) -> None:
    path = edit_line(EREPO, 2, _cells(EREPO, 2, b"\t", {18: b"-"}))
    _, problems = _split(list(clingen_erepo.parse(path)))
    assert [(p.code, p.line) for p in problems] == [("bad-url", 2)]


def test_a_record_the_model_cannot_write_is_a_reject_of_its_row(edit_line) -> None:
    # no ClinVar id, no Allele Registry id, no GRCh38 g. HGVS to mint a VRS id from: the model cannot name the
    # variant; was a ValueError out of load_file
    path = edit_line(EREPO, 2, _cells(EREPO, 2, b"\t", {1: b"-", 2: b"-", 3: b"NM_000277.2:c.1A>G"}))
    rec = next(r for r in clingen_erepo.parse(path) if isinstance(r, Record) and r.line == 2)
    triples, problems = build(rec, References())
    assert triples == []
    assert [(p.level, p.code, p.file, p.line) for p in problems] == [("reject", "unwritable", str(path), 2)]
    assert "a variant needs" in problems[0].message


def test_variant_summary_hgnc_id_that_is_not_one_is_left_empty(tmp_path: Path) -> None:
    # was: expand_curie('HGNC:\x000278') in the model: MalformedIdError
    src = data_dir() / "clinvar" / "variant_summary_2026-06_excerpt.shared.tsv"
    lines = src.read_text().split("\n")
    cells = lines[1].split("\t")
    cells[5] = "HGNC:x278"
    lines[1] = "\t".join(cells)
    path = tmp_path / "variant_summary_2026-06.txt"
    path.write_text("\n".join(lines))
    rec = next(r for r in clinvar_summary.parse(path) if isinstance(r, Record) and r.line == 2)
    assert rec.hgnc_id == "" and [(w.code, w.line) for w in rec.warnings] == [("bad-id", 2)]
    assert not [p for p in build(rec, References())[1] if p.level == "reject"]


def test_pronto_panic_is_a_file_problem(tmp_path: Path) -> None:
    # fastobo panics on this OBO-graphs JSON; pyo3's PanicException is a BaseException, past `except Exception`
    path = tmp_path / "mondo.json"
    path.write_text('{"id": "http://purl.obolibrary.org/obo/mondo.owl"}\n')
    assert detect(path).name == "mondo"
    with pytest.raises(FileProblem) as err:
        list(mondo.parse(path))
    assert (err.value.problem.code, err.value.problem.line) == ("malformed", 1)


def test_term_pronto_cannot_read_is_a_reject_with_its_line(tmp_path: Path) -> None:
    # pronto reads synonyms lazily: an undeclared synonym type raised ValueError while the records were built
    path = tmp_path / "hp.obo"
    path.write_text("format-version: 1.2\ndata-version: hp/releases/2025-01-16\nontology: hp\n\n"
                    "[Term]\nid: HP:0000001\nname: All\n\n"
                    "[Term]\nid: HP:0000005\nname: Mode of inheritance\nsynonym: \"Inheritance\" EXACT layperson []\n"
                    "is_a: HP:0000001 ! All\n")
    records, problems = _split(list(hpo.parse(path)))
    assert [r.curie for r in records] == ["HP:0000001"]  # type: ignore[attr-defined]
    assert [(p.code, p.line) for p in problems] == [("malformed", 10)]
    assert "undeclared synonym type" in problems[0].message


def test_hgnc_header_that_is_not_utf8_is_not_called_empty(edit_line) -> None:
    path = edit_line(HGNC_OLD, 1, HGNC_OLD.read_bytes().split(b"\n")[0] + "\tDescripción".encode("latin-1"))
    with pytest.raises(FileProblem) as err:
        list(hgnc.parse(path))
    assert (err.value.problem.code, err.value.problem.line) == ("encoding", 1)


def test_plain_file_cut_in_a_row_is_not_a_release(tmp_path: Path) -> None:
    # the truncated-gzip fix (tests/regressions/test_issue_4.py) for an uncompressed copy cut mid-row
    store = open_store("memory:")
    load_paths(store, [HGNC_OLD])
    data = HGNC_OLD.read_bytes()
    newer = tmp_path / "hgnc_entries_2025-01-01.tsv"
    newer.write_bytes(data[: data.rindex(b"\tApproved\t")])  # cut in line 14, the last approved gene
    summary = next(s for s in load_paths(store, [newer]) if s.file == str(newer))
    assert summary.status == "failed"
    assert [(p.code, p.line) for p in summary.problems if p.level == "reject"] == [("field-count", 14),
                                                                                   ("truncated", 14)]
    assert current_releases(store)["hgnc"].label == "2024-07-23"
    complete = tmp_path / "hgnc_entries_2025-02-01.tsv"
    complete.write_bytes(data.rstrip(b"\n"))  # no final line end, but every row reads: loads
    assert next(s for s in load_paths(store, [complete]) if s.file == str(complete)).status == "loaded"
