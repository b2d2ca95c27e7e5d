"""ClinVar variant_summary.txt on the real excerpt (NCBI's 43 columns, file of 2026-06-28)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clingen_graph.ingest.base import FileProblem, Problem
from clingen_graph.ingest.clinvar_summary import COLUMNS, SOURCE, VariantSummaryRecord, parse, read_release

from .conftest import SUMMARY


def _split(path: Path) -> tuple[list[VariantSummaryRecord], list[Problem]]:
    items = list(parse(path))
    return [i for i in items if not isinstance(i, Problem)], [i for i in items if isinstance(i, Problem)]


def test_header_is_ncbis_43_columns() -> None:
    header = SUMMARY.read_text().split("\n", 1)[0].lstrip("#").split("\t")
    assert header == COLUMNS and len(COLUMNS) == 43
    assert SOURCE.sniff(SUMMARY, SUMMARY.read_text()[:8192])


def test_release_from_the_file_name(tmp_path: Path) -> None:
    assert read_release(SUMMARY).release == "2026-06"
    dated = tmp_path / "variant_summary_2026-06-28.txt.gz"
    dated.write_bytes(b"")
    assert (read_release(dated).release, read_release(dated).issued) == ("2026-06-28", "2026-06-28")
    with pytest.raises(FileProblem, match="carries no release date"):
        read_release(tmp_path / "variant_summary.txt")


def test_every_row_is_a_record() -> None:
    recs, problems = _split(SUMMARY)
    assert problems == [] and len(recs) == 14
    assert all(r.warnings == [] for r in recs)
    assert [r.line for r in recs] == list(range(2, 16))
    assert {r.assembly for r in recs} == {"GRCh37", "GRCh38"}


def test_real_values() -> None:
    recs, _ = _split(SUMMARY)
    first = recs[0]  # AlleleID 15041, VCV000000002, GRCh37
    assert (first.allele_id, first.variation_id, first.vcv, first.assembly) == (15041, 2, "VCV000000002", "GRCh37")
    assert (first.gene_id, first.gene_symbol, first.hgnc_id) == (9907, "AP5Z1", "HGNC:22197")
    assert (first.clinical_significance, first.clin_sig_simple, first.last_evaluated) == (
        "Pathogenic/Likely pathogenic", 1, "2024-12-17")
    assert (first.review_status, first.stars, first.number_submitters) == (
        "criteria provided, multiple submitters, no conflicts", 2, 4)
    assert first.rsid == "rs397704705"
    assert first.rcv_accessions == ("RCV000000012", "RCV005255549", "RCV004998069")
    assert first.conditions[0].name == "Hereditary spastic paraplegia 48"
    assert first.conditions[0].ids == ("MONDO:0013342", "MedGen:C3150901", "OMIM:613647", "Orphanet:306511")
    assert (first.conditions[1].name, first.conditions[1].ids) == (
        "Macular dystrophy with or without extraocular features", ())
    assert first.conditions[2].ids == ("MedGen:C3661900",)
    assert first.origin == ("germline", "unknown")
    assert (first.start, first.stop, first.position_vcf) == (4820844, 4820847, 4820844)
    assert (first.reference_allele, first.reference_allele_vcf, first.alternate_allele_vcf) == (
        "", "GGAT", "TGCTGTAAACTGTAACTGTAAA")
    assert first.other_ids == ("ClinGen:CA215070", "OMIM:613653.0001")
    assert first.scvs_germline == ("SCV001451119", "SCV005622007", "SCV005909190")
    assert (first.somatic_clinical_impact, first.oncogenicity, first.scvs_oncogenicity) == ("", "", ())
    conflicting = next(r for r in recs if r.allele_id == 15050)
    assert (conflicting.review_status, conflicting.stars, conflicting.number_submitters) == (
        "criteria provided, conflicting classifications", 1, 16)
    assert conflicting.guidelines == ("ACMG2021", "ACMG2022") and conflicting.tested_in_gtr
    assert len(conflicting.scvs_germline) == 11


def test_missing_and_renamed_columns_are_named(tmp_path: Path) -> None:
    lines = SUMMARY.read_text().split("\n")
    lines[0] = lines[0].replace("\tReviewStatus\t", "\tReview status\t").replace("\tOncogenicity\t", "\t")
    bad = tmp_path / "variant_summary_2026-06.txt"
    bad.write_text("\n".join(lines))
    with pytest.raises(FileProblem) as exc:
        list(parse(bad))
    msg = exc.value.problem.message
    assert "missing column(s) ReviewStatus, Oncogenicity" in msg and "unexpected column(s) Review status" in msg


def test_extra_column_is_a_warning(tmp_path: Path) -> None:
    lines = SUMMARY.read_text().rstrip("\n").split("\n")
    lines = [lines[0] + "\tNewColumn"] + [line + "\tx" for line in lines[1:]]
    path = tmp_path / "variant_summary_2026-06.txt"
    path.write_text("\n".join(lines) + "\n")
    recs, problems = _split(path)
    assert len(recs) == 14 and [p.code for p in problems] == ["extra-column"]


def test_bad_rows_and_files(tmp_path: Path) -> None:
    lines = SUMMARY.read_text().rstrip("\n").split("\n")
    lines[2] = "\t".join(lines[2].split("\t")[:20])  # a cut row
    lines[3] = lines[3].replace("Jun 29, 2010", "29/06/2010")
    path = tmp_path / "variant_summary_2026-06.txt"
    path.write_text("\n".join(lines) + "\n")
    recs, problems = _split(path)
    assert [(p.code, p.line) for p in problems] == [("field-count", 3)]
    dated = next(r for r in recs if r.line == 4)
    assert dated.last_evaluated == "" and [w.code for w in dated.warnings] == ["bad-date"]
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(FileProblem, match="empty"):
        list(parse(empty))
    xml = tmp_path / "not_a_summary.txt"
    xml.write_text("<ClinVarVariationRelease/>\n")
    with pytest.raises(FileProblem, match="header"):
        list(parse(xml))
