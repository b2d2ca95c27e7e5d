"""ClinGen gene-disease validity CSV: real rows from the 2026-02-09 export and the 2025-01-03 summary.

Fixture lines (2026-02-09 export): 1-6 banner, header and ``+++`` rows; 7 AARS1, 8 AARS2, 9 ABAT,
10 ADA2 (cites obsolete MONDO:0100317), 11 ASB10 (cites obsolete MONDO:0011311).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clingen_graph import valuesets
from clingen_graph.ids import VOCAB, expand_curie
from clingen_graph.ingest import detect
from clingen_graph.ingest.base import FileProblem, Problem
from clingen_graph.ingest.clingen_gene_validity import SOURCE, GeneValidityRecord, parse, read_release
from clingen_graph.model import gene_validity
from clingen_graph.model.references import References
from clingen_graph.terms import CGV, DCTERMS

EXPORT = "clingen_gene_validity/clingen_gene_validity_2026-02-09.csv"
SUMMARY = "clingen_gene_validity/Clingen-Gene-Disease-Summary-2025-01-03.csv"
AARS2_LINE = 8


def _split(items: list) -> tuple[list[GeneValidityRecord], list[Problem]]:
    return [i for i in items if not isinstance(i, Problem)], [i for i in items if isinstance(i, Problem)]


@pytest.mark.parametrize("name", [EXPORT, SUMMARY], ids=["with-banner", "without-banner"])
def test_detected_by_content(fixtures_dir: Path, name: str) -> None:
    assert detect(fixtures_dir / name) is SOURCE


def test_release_from_file_created_banner(fixtures_dir: Path) -> None:
    info = read_release(fixtures_dir / EXPORT)
    assert (info.release, info.issued, info.notes) == ("2026-02-09", "2026-02-09", ())


def test_release_from_file_name_when_no_banner(fixtures_dir: Path) -> None:
    info = read_release(fixtures_dir / SUMMARY)
    assert (info.release, info.issued) == ("2025-01-03", "2025-01-03")
    assert "file name" in info.notes[0]


def test_release_unknown_without_banner_or_date(fixtures_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "gene-disease-summary.csv"
    copy.write_bytes((fixtures_dir / SUMMARY).read_bytes())
    with pytest.raises(FileProblem) as err:
        read_release(copy)
    assert err.value.problem.code == "release"


def test_every_data_row_is_a_record(fixtures_dir: Path) -> None:
    records, problems = _split(list(parse(fixtures_dir / EXPORT)))
    assert problems == []
    assert [r.line for r in records] == [7, 8, 9, 10, 11]
    assert [r.gene_symbol for r in records] == ["AARS1", "AARS2", "ABAT", "ADA2", "ASB10"]


def test_real_row_fields(fixtures_dir: Path) -> None:
    aars1 = next(r for r in parse(fixtures_dir / EXPORT) if isinstance(r, GeneValidityRecord))
    assert aars1.file == str(fixtures_dir / EXPORT)
    assert aars1.line == 7
    assert aars1.gene_symbol == "AARS1"
    assert aars1.hgnc_id == "HGNC:20"
    assert aars1.disease_label == "Charcot-Marie-Tooth disease axonal type 2N"
    assert aars1.mondo_id == "MONDO:0013212"
    assert aars1.moi_code == "AD"
    assert aars1.moi == expand_curie("HP:0000006")
    assert aars1.sop_code == "SOP10"
    assert aars1.sop == VOCAB + "GeneValiditySOP10"
    assert aars1.classification == VOCAB + "Definitive"
    assert aars1.report_url == ("https://search.clinicalgenome.org/kb/gene-validity/"
                                "CGGV:assertion_92de3832-c272-4993-8586-288c6331dec2-2024-03-14T160000.000Z")
    assert aars1.assertion_id == "assertion_92de3832-c272-4993-8586-288c6331dec2"
    assert aars1.assertion_version == "2024-03-14T160000.000Z"
    assert aars1.classification_date == "2024-03-14T16:00:00Z"
    assert aars1.gcep == "Charcot-Marie-Tooth Disease Gene Curation Expert Panel"
    assert aars1.warnings == []


def test_summary_rows_without_banner(fixtures_dir: Path) -> None:
    records, problems = _split(list(parse(fixtures_dir / SUMMARY)))
    assert problems == []
    a2ml1 = records[0]
    assert (a2ml1.line, a2ml1.gene_symbol, a2ml1.hgnc_id, a2ml1.mondo_id) == (2, "A2ML1", "HGNC:23336", "MONDO:0018997")
    assert a2ml1.classification == valuesets.gene_validity().lookup("Disputed")
    assert a2ml1.sop_code == "SOP5"


def test_row_to_triples(fixtures_dir: Path) -> None:
    aars1 = next(r for r in parse(fixtures_dir / EXPORT) if isinstance(r, GeneValidityRecord))
    triples, problems = gene_validity.to_triples(aars1, References())
    assert problems == []
    statement = gene_validity.statement_iri(aars1)
    assert statement == ("http://dataexchange.clinicalgenome.org/gci/"
                         "assertion_92de3832-c272-4993-8586-288c6331dec2-2024-03-14T160000.000Z")
    by_subject = {(s.value, p.value): o.value for s, p, o in triples}
    assert by_subject[(statement, DCTERMS.identifier.value)] == "CGGV:assertion_92de3832-c272-4993-8586-288c6331dec2"
    assert by_subject[(statement, CGV.classification.value)] == VOCAB + "Definitive"
    assert by_subject[(statement, CGV.direction.value)] == "supports"
    proposition = by_subject[(statement, CGV.proposition.value)]
    assert by_subject[(proposition, CGV.subjectGene.value)] == expand_curie("HGNC:20")
    assert by_subject[(proposition, CGV.objectCondition.value)] == expand_curie("MONDO:0013212")
    assert by_subject[(proposition, CGV.modeOfInheritanceQualifier.value)] == expand_curie("HP:0000006")


# --- bad input: one problem naming file and line; the other rows still load ------------------------------

BAD_ROWS = [
    # (edit of the real AARS2 line, expected reject code)
    (lambda b: b.replace(b'"HGNC:21022",', b'"HGNC:21022"x,'), "malformed"),
    (lambda b: b.rsplit(b",", 3)[0], "field-count"),
    (lambda b: b.replace(b'"Definitive"', b'"Supportive"'), "unknown-classification"),
    (lambda b: b.replace(b'"AR"', b'"Autosomal"'), "unknown-moi"),
    (lambda b: b.replace(b"HGNC:21022", b"HGNC:ABC"), "bad-id"),
    (lambda b: b.replace(b"MONDO:0044970", b"MONDO:44970"), "bad-id"),
    (lambda b: b.replace(b"mitochondrial disease", "mitochondrial disease é".encode("latin-1")), "encoding"),
    (lambda b: b.replace(b'"SOP8"', b'"version 8"'), "bad-sop"),
    (lambda b: b.replace(b'"2022-04-18T16:00:00.000Z"', b'"18/04/2022"'), "bad-date"),
    (lambda b: b.replace(b'"AR"', b'""'), "missing-value"),
]
BAD_IDS = ["malformed-quote", "too-few-fields", "unknown-classification", "unknown-moi", "bad-hgnc-id",
           "bad-mondo-id", "not-utf8", "bad-sop", "bad-date", "empty-moi"]


@pytest.mark.parametrize(("edit", "code"), BAD_ROWS, ids=BAD_IDS)
def test_bad_row_is_one_reject(fixtures_dir: Path, edit_line, line_of, edit, code: str) -> None:
    src = fixtures_dir / EXPORT
    path = edit_line(src, AARS2_LINE, edit(line_of(src, AARS2_LINE)))
    records, problems = _split(list(parse(path)))
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.level, problem.code, problem.file, problem.line) == ("reject", code, str(path), AARS2_LINE)
    assert str(problem).startswith(f"{path}:{AARS2_LINE}: reject:")
    assert problem.raw  # the source row travels with the reject
    assert [r.line for r in records] == [7, 9, 10, 11]


def test_new_sop_loads_with_a_warning(fixtures_dir: Path, edit_line, line_of) -> None:
    src = fixtures_dir / EXPORT
    path = edit_line(src, AARS2_LINE, line_of(src, AARS2_LINE).replace(b'"SOP8"', b'"SOP13"'))
    records, problems = _split(list(parse(path)))
    assert problems == []
    aars2 = next(r for r in records if r.line == AARS2_LINE)
    assert aars2.sop == VOCAB + "GeneValiditySOP13"
    assert [w.code for w in aars2.warnings] == ["new-sop"]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "clingen_gene_validity_2026-02-09.csv"
    path.write_bytes(b"")
    with pytest.raises(FileProblem) as err:
        list(parse(path))
    assert (err.value.problem.code, err.value.problem.file, err.value.problem.line) == ("empty", str(path), 1)


def test_missing_column_aborts_the_file(fixtures_dir: Path, edit_line, line_of) -> None:
    src = fixtures_dir / EXPORT
    path = edit_line(src, 5, line_of(src, 5).replace(b',"GCEP"', b""))
    with pytest.raises(FileProblem) as err:
        list(parse(path))
    assert (err.value.problem.code, err.value.problem.line) == ("header", 5)
    assert "GCEP" in err.value.problem.message


def test_extra_column_is_one_warning(fixtures_dir: Path, edit_line, line_of) -> None:
    src = fixtures_dir / EXPORT
    path = edit_line(src, 5, line_of(src, 5) + b',"NOTES"')
    records, problems = _split(list(parse(path)))
    assert [(p.level, p.code, p.file, p.line) for p in problems] == [("warning", "extra-column", str(path), 5)]
    assert "NOTES" in problems[0].message
    assert [r.line for r in records] == [7, 8, 9, 10, 11]


def test_truncated_gzip(fixtures_dir: Path, truncated_gzip) -> None:
    path = truncated_gzip(fixtures_dir / SUMMARY)
    assert detect(path) is SOURCE
    records, problems = _split(list(parse(path)))
    assert len(problems) == 1
    assert problems[0].code == "truncated"
    assert problems[0].file == str(path)
    assert all(r.line < problems[0].line for r in records)
    assert [r.line for r in records] == list(range(2, problems[0].line))
