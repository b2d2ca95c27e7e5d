"""ClinGen dosage sensitivity lists: real rows of the gene list (06 Feb 2026, GRCh38) and region list
(14 Nov 2023, GRCh37).

Gene fixture lines: 1-6 preamble and header; 7 A4GALT, 8 AAGAB, 9 BARD1 ('21344236; 25994375' in one
PMID cell), 10 ENG (two cells with ';'), 11 PLP1 (HI and TS 3), 12 SCN2A ('28379373, 29655203').
Region fixture lines: 7 ISCA-46741, 8 ISCA-46739, 9 ISCA-46738, 10 ISCA-46737.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clingen_graph.ids import VOCAB, expand_curie, pmid_iri
from clingen_graph.ingest import detect
from clingen_graph.ingest.base import FileProblem, Problem
from clingen_graph.ingest.clingen_dosage import GENES, REGIONS, DosageRecord, parse_genes, parse_regions, read_release
from clingen_graph.model import dosage
from clingen_graph.model.references import References
from clingen_graph.terms import CGV

GENE_LIST = "clingen_dosage/ClinGen_gene_curation_list_GRCh38.tsv"
REGION_LIST = "clingen_dosage/ClinGen_region_curation_list_GRCh37.tsv"
AAGAB_LINE = 8


def _split(items: list) -> tuple[list[DosageRecord], list[Problem]]:
    return [i for i in items if not isinstance(i, Problem)], [i for i in items if isinstance(i, Problem)]


def _by_line(path: Path, parse=parse_genes) -> dict[int, DosageRecord]:
    records, problems = _split(list(parse(path)))
    assert problems == []
    return {r.line: r for r in records}


@pytest.mark.parametrize(("name", "spec"), [(GENE_LIST, GENES), (REGION_LIST, REGIONS)], ids=["genes", "regions"])
def test_detected_by_content(fixtures_dir: Path, name: str, spec) -> None:
    assert detect(fixtures_dir / name) is spec


@pytest.mark.parametrize(("name", "day"), [(GENE_LIST, "2026-02-06"), (REGION_LIST, "2023-11-14")],
                         ids=["genes-06-Feb-2026", "regions-14-Nov-2023"])
def test_release_from_preamble_date(fixtures_dir: Path, name: str, day: str) -> None:
    info = read_release(fixtures_dir / name)
    assert (info.release, info.issued) == (day, day)


def test_release_date_with_space_after_comma(fixtures_dir: Path, edit_line) -> None:
    path = edit_line(fixtures_dir / GENE_LIST, 2, b"#06 Feb, 2026")
    assert read_release(path).release == "2026-02-06"


def test_no_release_date(fixtures_dir: Path, edit_line) -> None:
    path = edit_line(fixtures_dir / GENE_LIST, 2, b"#")
    with pytest.raises(FileProblem) as err:
        read_release(path)
    assert err.value.problem.code == "release"


def test_gene_row_fields(fixtures_dir: Path) -> None:
    aagab = _by_line(fixtures_dir / GENE_LIST)[AAGAB_LINE]
    assert aagab.subject_kind == "gene"
    assert (aagab.gene_symbol, aagab.ncbi_gene, aagab.isca_id) == ("AAGAB", "79719", None)
    assert aagab.cytoband == "15q23"
    assert (aagab.assembly, aagab.chromosome, aagab.start, aagab.end) == ("GRCh38", "chr15", 67200667, 67255198)
    assert aagab.date_last_evaluated == "2013-02-28"
    hi, ts = aagab.calls
    assert (hi.kind_code, hi.kind, hi.score_code, hi.score) == ("HI", VOCAB + "Haploinsufficiency", "3",
                                                                 VOCAB + "DosageScore3")
    assert hi.description == "Sufficient evidence for dosage pathogenicity"
    assert hi.pmids == ("23064416", "23000146")
    assert hi.mondo_id == "MONDO:0007858"
    assert (ts.kind_code, ts.score_code, ts.pmids, ts.mondo_id) == ("TS", "0", (), None)
    assert ts.description == "No evidence available"


def test_region_row_fields(fixtures_dir: Path) -> None:
    region = _by_line(fixtures_dir / REGION_LIST, parse_regions)[7]
    assert region.subject_kind == "region"
    assert (region.isca_id, region.region_name) == ("ISCA-46741", "9p24.3 Region (includes DMRT1)")
    assert (region.gene_symbol, region.ncbi_gene) == (None, None)
    assert (region.assembly, region.chromosome, region.start, region.end) == ("GRCh37", "chr9", 1, 1982069)
    assert region.cytoband == "9p24.3"
    assert region.date_last_evaluated == "2023-11-10"
    # "Not yet evaluated" triplosensitivity is no call at all
    (hi,) = region.calls
    assert (hi.kind_code, hi.score_code, hi.mondo_id) == ("HI", "2", "MONDO:0002145")
    assert hi.pmids == ("20685758", "22573722", "23555275", "32741963")


@pytest.mark.parametrize(("line", "kind", "pmids"), [
    (9, "HI", ("20077502", "20842729", "21344236", "25994375")),
    (10, "HI", ("9245986", "9366572", "10545596", "10749981", "15879500", "23399955", "35487791")),
    (12, "HI", ("22495306", "15028761", "28379373", "29655203")),
], ids=["BARD1-semicolon", "ENG-two-cells-semicolon", "SCN2A-comma"])
def test_several_pmids_in_one_cell_are_split(fixtures_dir: Path, line: int, kind: str, pmids: tuple) -> None:
    record = _by_line(fixtures_dir / GENE_LIST)[line]
    call = next(c for c in record.calls if c.kind_code == kind)
    assert call.pmids == pmids


def test_gene_statement_triples(fixtures_dir: Path) -> None:
    aagab = _by_line(fixtures_dir / GENE_LIST)[AAGAB_LINE]
    refs = References(hgnc_ids={"HGNC:25662"}, ncbi_to_hgnc={"79719": "HGNC:25662"})
    triples, problems = dosage.to_triples(aagab, refs)
    assert problems == []
    hi = expand_curie("cgid:dosage/ncbigene-79719/hi")
    objects = {(s.value, p.value, o.value) for s, p, o in triples}
    assert (hi, CGV.classification.value, VOCAB + "DosageScore3") in objects
    assert {o for s, p, o in objects if s == hi and p == CGV.reportedIn.value} == {
        pmid_iri("23064416"), pmid_iri("23000146")}
    proposition = next(o for s, p, o in objects if s == hi and p == CGV.proposition.value)
    assert (proposition, CGV.subjectGene.value, expand_curie("HGNC:25662")) in objects
    assert (proposition, CGV.objectCondition.value, expand_curie("MONDO:0007858")) in objects


def test_gene_unknown_to_hgnc_is_rejected(fixtures_dir: Path) -> None:
    aagab = _by_line(fixtures_dir / GENE_LIST)[AAGAB_LINE]
    triples, problems = dosage.to_triples(aagab, References(hgnc_ids=set()))
    assert triples == []
    assert [(p.code, p.line) for p in problems] == [("unknown-gene", AAGAB_LINE)]


# --- bad input: one problem naming file and line; the other rows still load ------------------------------

def _cell(line: bytes, column: int, value: bytes) -> bytes:
    fields = line.split(b"\t")
    fields[column] = value
    return b"\t".join(fields)


BAD_ROWS = [
    (lambda b: _cell(b, 4, b"5"), "unknown-score"),
    (lambda b: _cell(b, 6, b"PMID:23064416"), "bad-pmid"),
    (lambda b: _cell(b, 3, b"chr15:67200667"), "bad-location"),
    (lambda b: _cell(b, 3, b"chr15:67255198-67200667"), "bad-location"),
    (lambda b: _cell(b, 21, b"OMIM:607584"), "bad-id"),
    (lambda b: _cell(b, 1, b"AAGAB"), "bad-id"),
    (lambda b: _cell(b, 20, b"28/02/2013"), "bad-date"),
    (lambda b: b"\t".join(b.split(b"\t")[:10]), "field-count"),
    (lambda b: _cell(b, 5, "Sufficient evidence é".encode("latin-1")), "encoding"),
]
BAD_IDS = ["unknown-score", "pmid-not-a-number", "location-without-end", "location-ends-before-start",
           "disease-not-mondo", "gene-id-not-a-number", "bad-date", "too-few-fields", "not-utf8"]


@pytest.mark.parametrize(("edit", "code"), BAD_ROWS, ids=BAD_IDS)
def test_bad_row_is_one_reject(fixtures_dir: Path, edit_line, line_of, edit, code: str) -> None:
    src = fixtures_dir / GENE_LIST
    path = edit_line(src, AAGAB_LINE, edit(line_of(src, AAGAB_LINE)))
    records, problems = _split(list(parse_genes(path)))
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.level, problem.code, problem.file, problem.line) == ("reject", code, str(path), AAGAB_LINE)
    assert str(problem).startswith(f"{path}:{AAGAB_LINE}: reject:")
    assert [r.line for r in records] == [7, 9, 10, 11, 12]


def test_bad_region_id(fixtures_dir: Path, edit_line, line_of) -> None:
    src = fixtures_dir / REGION_LIST
    path = edit_line(src, 7, _cell(line_of(src, 7), 0, b"46741"))
    records, problems = _split(list(parse_regions(path)))
    assert [(p.code, p.line) for p in problems] == [("bad-id", 7)]
    assert [r.isca_id for r in records] == ["ISCA-46739", "ISCA-46738", "ISCA-46737"]


def test_empty_location_loads_with_a_warning(fixtures_dir: Path, edit_line, line_of) -> None:
    src = fixtures_dir / GENE_LIST
    path = edit_line(src, AAGAB_LINE, _cell(line_of(src, AAGAB_LINE), 3, b""))
    aagab = _by_line(path)[AAGAB_LINE]
    assert (aagab.chromosome, aagab.start, aagab.end) == (None, None, None)
    assert [w.code for w in aagab.warnings] == ["no-location"]


def test_missing_build_in_preamble(fixtures_dir: Path, edit_line) -> None:
    path = edit_line(fixtures_dir / GENE_LIST, 3, b"#Genomic Locations")
    with pytest.raises(FileProblem) as err:
        list(parse_genes(path))
    assert err.value.problem.code == "assembly"


def test_truncated_gzip(fixtures_dir: Path, truncated_gzip) -> None:
    path = truncated_gzip(fixtures_dir / GENE_LIST)
    assert detect(path) is GENES
    records, problems = _split(list(parse_genes(path)))
    assert [(p.code, p.file) for p in problems] == [("truncated", str(path))]
    assert all(r.line < problems[0].line for r in records)
