"""Which source a file belongs to is read from its content, never from its name."""

from __future__ import annotations

from pathlib import Path

import pytest

from clingen_graph.ingest import BY_NAME, detect
from clingen_graph.ingest.base import FileProblem

CASES = [
    ("clingen_gene_validity/clingen_gene_validity_2026-02-09.csv", "clingen-gene-validity"),
    ("clingen_gene_validity/Clingen-Gene-Disease-Summary-2025-01-03.csv", "clingen-gene-validity"),
    ("clingen_dosage/ClinGen_gene_curation_list_GRCh38.tsv", "clingen-dosage-genes"),
    ("clingen_dosage/ClinGen_region_curation_list_GRCh37.tsv", "clingen-dosage-regions"),
    ("hgnc/hgnc_entries_2024-07-23.tsv", "hgnc"),
    ("hgnc/hgnc_info_excerpt.jsonl", "hgnc"),
    ("mondo/mondo_v2026-05-05.json", "mondo"),
    ("mondo/mondo_v2026-05-05.obo", "mondo"),
    ("hpo/hp_2025-01-16.obo", "hpo"),
    ("sssom/mondo_exactmatch_omim.sssom.tsv", "mondo-sssom"),
]


@pytest.mark.parametrize(("name", "source"), CASES, ids=[c[0].split("/")[1] for c in CASES])
def test_detect_ignores_the_file_name(fixtures_dir: Path, tmp_path: Path, name: str, source: str) -> None:
    # a misleading name: every file is called as if it were HGNC's
    renamed = tmp_path / "hgnc_complete_set.txt"
    renamed.write_bytes((fixtures_dir / name).read_bytes())
    assert detect(renamed) is BY_NAME[source]


@pytest.mark.parametrize("content", [
    b"#ClinGen Variant Curation Results\n#Variation\tClinVar Variation Id\tAllele Registry Id\n",
    b"@prefix cgv: <https://w3id.org/clingen-graph/vocab#> .\ncgv:Gene a cgv:Class .\n",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
], ids=["other-clingen-file", "turtle", "binary"])
def test_wrong_kind_of_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "clingen_gene_validity_2026-02-09.csv"
    path.write_bytes(content)
    with pytest.raises(FileProblem) as err:
        detect(path)
    problem = err.value.problem
    assert (problem.code, problem.file, problem.line) == ("unknown-kind", str(path), 1)
    assert all(name in problem.message for name in BY_NAME)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "hgnc_2024-07-23.tsv"
    path.write_bytes(b"")
    with pytest.raises(FileProblem) as err:
        detect(path)
    assert (err.value.problem.code, err.value.problem.file, err.value.problem.line) == ("empty", str(path), 1)
