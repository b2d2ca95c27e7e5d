"""HGNC genes: the custom-download TSV (bundled 2024-07-23 file) and HGNC REST JSON lines (annonars).

TSV fixture lines: 1 header; 2 A2ML1 … 11 BRCA1 (HGNC:1100) … 14 SCN2A; 15 A1S9T (HGNC:6, withdrawn).
JSONL fixture lines: 1 TTN, 2 BRAF, 3 A2MP1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clingen_graph.ids import expand_curie
from clingen_graph.ingest import detect
from clingen_graph.ingest.base import FileProblem, Problem
from clingen_graph.ingest.hgnc import SOURCE, GeneRecord, parse, read_release
from clingen_graph.model import genes
from clingen_graph.terms import CGV, DCTERMS, SKOS

TSV = "hgnc/hgnc_entries_2024-07-23.tsv"
JSONL = "hgnc/hgnc_info_excerpt.jsonl"
BRCA1_LINE = 11


def _split(items: list) -> tuple[list[GeneRecord], list[Problem]]:
    return [i for i in items if not isinstance(i, Problem)], [i for i in items if isinstance(i, Problem)]


def _records(path: Path) -> dict[str, GeneRecord]:
    records, problems = _split(list(parse(path)))
    assert problems == []
    return {r.hgnc_id: r for r in records}


@pytest.mark.parametrize("name", [TSV, JSONL], ids=["tsv", "jsonl"])
def test_detected_by_content(fixtures_dir: Path, name: str) -> None:
    assert detect(fixtures_dir / name) is SOURCE


def test_release_from_file_name(fixtures_dir: Path) -> None:
    info = read_release(fixtures_dir / TSV)
    assert (info.release, info.issued) == ("2024-07-23", "2024-07-23")


def test_no_release_date_is_named_by_the_loader(fixtures_dir: Path) -> None:
    info = read_release(fixtures_dir / JSONL)
    assert (info.release, info.issued) == ("", None)
    assert info.notes


def test_tsv_row_fields(fixtures_dir: Path) -> None:
    brca1 = _records(fixtures_dir / TSV)["HGNC:1100"]
    assert (brca1.file, brca1.line) == (str(fixtures_dir / TSV), BRCA1_LINE)
    assert brca1.symbol == "BRCA1"
    assert brca1.name == "BRCA1 DNA repair associated"
    assert brca1.status == "Approved"
    assert brca1.aliases == ("RNF53", "BRCC1", "PPP1R53", "FANCS")
    assert brca1.previous == ()
    assert brca1.ncbi_gene == "672"
    assert brca1.ensembl_gene == "ENSG00000012048"
    assert brca1.locus_type == "gene with protein product"


def test_withdrawn_symbol(fixtures_dir: Path) -> None:
    a1s9t = _records(fixtures_dir / TSV)["HGNC:6"]
    assert (a1s9t.symbol, a1s9t.status, a1s9t.ncbi_gene, a1s9t.ensembl_gene) == (
        "A1S9T", "Symbol Withdrawn", None, None)


def test_jsonl_row_fields(fixtures_dir: Path) -> None:
    by_id = _records(fixtures_dir / JSONL)
    ttn = by_id["HGNC:12403"]
    assert (ttn.line, ttn.symbol, ttn.name, ttn.status) == (1, "TTN", "titin", "Approved")
    assert ttn.aliases == ("CMPD4", "FLJ32040", "TMD", "CMH9", "LGMD2J", "MYLK5")
    assert ttn.previous == ("CMD1G",)
    assert (ttn.ncbi_gene, ttn.ensembl_gene) == ("7273", "ENSG00000155657")
    braf = by_id["HGNC:1097"]
    assert (braf.line, braf.symbol, braf.previous) == (2, "BRAF", ())


def test_gene_triples(fixtures_dir: Path) -> None:
    brca1 = _records(fixtures_dir / TSV)["HGNC:1100"]
    triples = {(s.value, p.value, o.value) for s, p, o in genes.to_triples(brca1)}
    gene = expand_curie("HGNC:1100")
    assert gene == "https://identifiers.org/hgnc:1100"
    assert (gene, DCTERMS.identifier.value, "HGNC:1100") in triples
    assert (gene, CGV.symbol.value, "BRCA1") in triples
    assert (gene, CGV.ncbiGene.value, expand_curie("NCBIGene:672")) in triples
    assert (gene, SKOS.exactMatch.value, expand_curie("NCBIGene:672")) in triples
    assert {o for s, p, o in triples if p == CGV.aliasSymbol.value} == {"RNF53", "BRCC1", "PPP1R53", "FANCS"}


# --- bad input -------------------------------------------------------------------------------------------

BAD_TSV = [
    (lambda b: b.replace(b"HGNC:1100", b"HGNC:ABC"), "bad-id"),
    (lambda b: b.replace(b"HGNC:1100", b"MONDO:0000001"), "bad-id"),
    (lambda b: b.replace(b"HGNC:1100\t", b"\t"), "missing-value"),
    (lambda b: b"\t".join(b.split(b"\t")[:4]), "field-count"),
    (lambda b: b.replace(b"BRCA1 DNA repair", "BRCA1 réparation".encode("latin-1")), "encoding"),
]


@pytest.mark.parametrize(("edit", "code"), BAD_TSV,
                         ids=["bad-hgnc-id", "not-an-hgnc-id", "empty-id", "too-few-fields", "not-utf8"])
def test_bad_tsv_row_is_one_reject(fixtures_dir: Path, edit_line, line_of, edit, code: str) -> None:
    src = fixtures_dir / TSV
    path = edit_line(src, BRCA1_LINE, edit(line_of(src, BRCA1_LINE)))
    records, problems = _split(list(parse(path)))
    assert [(p.level, p.code, p.file, p.line) for p in problems] == [("reject", code, str(path), BRCA1_LINE)]
    assert len(records) == 13
    assert "HGNC:1100" not in {r.hgnc_id for r in records}


def test_bad_ncbi_id_is_a_warning(fixtures_dir: Path, edit_line, line_of) -> None:
    src = fixtures_dir / TSV
    path = edit_line(src, BRCA1_LINE, line_of(src, BRCA1_LINE).replace(b"\t672\t", b"\tNCBI672\t"))
    brca1 = _records(path)["HGNC:1100"]
    assert brca1.ncbi_gene is None
    assert [(w.code, w.line) for w in brca1.warnings] == [("bad-id", BRCA1_LINE)]


def test_bad_json_line_is_one_reject(fixtures_dir: Path, edit_line, line_of) -> None:
    src = fixtures_dir / JSONL
    path = edit_line(src, 2, line_of(src, 2)[:200])
    records, problems = _split(list(parse(path)))
    assert [(p.code, p.file, p.line) for p in problems] == [("malformed", str(path), 2)]
    assert [r.symbol for r in records] == ["TTN", "A2MP1"]


def test_bad_json_id_is_one_reject(fixtures_dir: Path, edit_line, line_of) -> None:
    src = fixtures_dir / JSONL
    record = json.loads(line_of(src, 2))
    record["hgnc_id"] = "1097x"
    path = edit_line(src, 2, json.dumps(record).encode())
    records, problems = _split(list(parse(path)))
    assert [(p.code, p.line) for p in problems] == [("bad-id", 2)]
    assert len(records) == 2


def test_missing_required_column(fixtures_dir: Path, edit_line, line_of) -> None:
    src = fixtures_dir / TSV
    path = edit_line(src, 1, line_of(src, 1).replace(b"Approved symbol", b"Symbol"))
    with pytest.raises(FileProblem) as err:
        list(parse(path))
    assert (err.value.problem.code, err.value.problem.line) == ("header", 1)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "hgnc_2024-07-23.tsv"
    path.write_bytes(b"")
    with pytest.raises(FileProblem) as err:
        detect(path)
    assert (err.value.problem.code, err.value.problem.file) == ("empty", str(path))
    with pytest.raises(FileProblem):
        list(parse(path))


def test_truncated_gzip(fixtures_dir: Path, truncated_gzip) -> None:
    path = truncated_gzip(fixtures_dir / TSV)
    assert detect(path) is SOURCE
    records, problems = _split(list(parse(path)))
    assert len(problems) == 1
    (problem,) = problems
    assert (problem.code, problem.file) == ("truncated", str(path))
    assert f"after line {problem.line - 1}" in problem.message
    assert [r.line for r in records] == list(range(2, problem.line))
