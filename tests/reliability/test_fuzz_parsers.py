"""Every parser, fed mutated copies of a real fixture, ends in records, Problems or a FileProblem: never another
exception (which ``clingen-graph load`` would show as a traceback).

Mutations (one to four per example, then sometimes gzip and a cut of the compressed stream): a byte set to any
value, a cut, a line deleted, duplicated or swapped, a cell (TSV/CSV) or a token (XML, JSON, OBO values) replaced
by an awkward value, random bytes inserted. ``detect`` and the module's ``read_release`` run on the same file, as
the loader runs them, and every record goes through the model (``release.build``) as well.

The examples are the same on every run (``derandomize``); ``CLINGEN_FUZZ_EXAMPLES=2000 CLINGEN_FUZZ_RANDOM=1``
explores further.
"""

from __future__ import annotations

import gzip
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clingen_graph.ingest import (
    clingen_dosage,
    clingen_erepo,
    clingen_gene_validity,
    clinvar_summary,
    clinvar_xml,
    detect,
    hgnc,
    hpo,
    mondo,
    sssom,
)
from clingen_graph.ingest.base import FileProblem, Problem, Record
from clingen_graph.model.references import References
from clingen_graph.release import build
from clingen_graph.resources import data_dir

from .conftest import FIXTURES

FUZZ = settings(
    max_examples=int(os.environ.get("CLINGEN_FUZZ_EXAMPLES", "30")),
    derandomize=not os.environ.get("CLINGEN_FUZZ_RANDOM"),
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@dataclass(frozen=True)
class Target:
    name: str  # the file name the mutated copy gets (release dates in names still apply)
    data: bytes
    parse: Callable[[Path], Iterator[Any]]
    read_release: Callable[[Path], Any]
    delimiter: bytes | None  # cells are split on it; None: tokens instead


def _head(path: Path, lines: int) -> bytes:
    return b"\n".join(path.read_bytes().split(b"\n")[:lines]) + b"\n"


def _vcv_release() -> bytes:
    """A release-style VCV file with two real (small) records: the chunked reader's path."""
    bodies = []
    for name in ("VCV000025511.xml", "VCV001264328.xml"):
        text = (FIXTURES / "clinvar" / "samples" / name).read_bytes()
        bodies.append(text[text.index(b"<VariationArchive"):text.rindex(b"</VariationArchive>") + 19])
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<ClinVarVariationRelease ReleaseDate="2024-09-17">\n'
            + b"\n".join(bodies) + b"\n</ClinVarVariationRelease>\n")


F = FIXTURES
TARGETS = [
    Target("hgnc_entries_2024-07-23.tsv", (F / "hgnc/hgnc_entries_2024-07-23.tsv").read_bytes(), hgnc.parse,
           hgnc.read_release, b"\t"),
    Target("hgnc_info_2024-07-23.jsonl", (F / "hgnc/hgnc_info_excerpt.jsonl").read_bytes(), hgnc.parse,
           hgnc.read_release, None),
    Target("clingen_gene_validity_2026-02-09.csv",
           (F / "clingen_gene_validity/clingen_gene_validity_2026-02-09.csv").read_bytes(),
           clingen_gene_validity.parse, clingen_gene_validity.read_release, b","),
    Target("Clingen-Gene-Disease-Summary-2025-01-03.csv",
           (F / "clingen_gene_validity/Clingen-Gene-Disease-Summary-2025-01-03.csv").read_bytes(),
           clingen_gene_validity.parse, clingen_gene_validity.read_release, b","),
    Target("ClinGen_gene_curation_list_GRCh38.tsv",
           (F / "clingen_dosage/ClinGen_gene_curation_list_GRCh38.tsv").read_bytes(),
           clingen_dosage.parse_genes, clingen_dosage.read_release, b"\t"),
    Target("ClinGen_region_curation_list_GRCh37.tsv",
           (F / "clingen_dosage/ClinGen_region_curation_list_GRCh37.tsv").read_bytes(),
           clingen_dosage.parse_regions, clingen_dosage.read_release, b"\t"),
    Target("clingen_erepo_2024-04.tsv", _head(F / "clingen_erepo/clingen_erepo_2024-04.tsv", 12),
           clingen_erepo.parse, clingen_erepo.read_release, b"\t"),
    Target("clingen_erepo_summary_strengths_2024-04.tsv",
           (F / "clingen_erepo/clingen_erepo_summary_strengths_2024-04.tsv").read_bytes(),
           clingen_erepo.parse, clingen_erepo.read_release, b"\t"),
    Target("variant_summary_2026-06.txt",
           (data_dir() / "clinvar/variant_summary_2026-06_excerpt.shared.tsv").read_bytes(),
           clinvar_summary.parse, clinvar_summary.read_release, b"\t"),
    Target("VCV000025511.xml", (F / "clinvar/samples/VCV000025511.xml").read_bytes(), clinvar_xml.parse,
           clinvar_xml.read_release, None),
    Target("ClinVarVCVRelease_2024-09-17.xml", _vcv_release(), clinvar_xml.parse, clinvar_xml.read_release, None),
    Target("mondo_v2026-05-05.obo", (F / "mondo/mondo_v2026-05-05.obo").read_bytes(), mondo.parse,
           mondo.read_release, None),
    Target("mondo_v2026-05-05.json", (F / "mondo/mondo_v2026-05-05.json").read_bytes(), mondo.parse,
           mondo.read_release, None),
    Target("hp_2025-01-16.obo", (F / "hpo/hp_2025-01-16.obo").read_bytes(), hpo.parse, hpo.read_release, None),
    Target("mondo_exactmatch_omim.sssom.tsv", (F / "sssom/mondo_exactmatch_omim.sssom.tsv").read_bytes(),
           sssom.parse, sssom.read_release, b"\t"),
]

# values that tend to break parsers: empty, quotes, ids without a number, huge numbers, bad dates, markup,
# a NUL, a BOM, non-ASCII, a lone surrogate's UTF-8-ish bytes, the delimiters themselves
AWKWARD = [b"", b" ", b"-", b"na", b'"', b'""', b'"a,b"', b"\t", b",", b";", b"|", b"0", b"-1", b"00",
           b"99999999999999999999999", b"1e400", b"NaN", b"HGNC:", b"HGNC:x", b"MONDO:", b"MONDO:0", b"HP:",
           b"OMIM:", b"CA", b"not a url", b"2024-13-45", b"2024-02-30", b"0000-00-00", b"Feb 30, 2024",
           b"31 Feb,2024", b"T", b"Z", b"chr1:5-2", b"chrQ:1-2", b"SOP", b"SOP0", b"SOP99", b"PS4_Very Strong",
           b"PVS1_", b"BA1,BA1", b"Pathogenic", b"<", b">", b"&", b"&#0;", b"<![CDATA[", b"]]>", b"<a>",
           b"{", b"}", b"[", b"]", b"null", b"true", b"[Term]", b"id:", b"is_a:", b"\x00", b"\xef\xbb\xbf",
           b"\xc3\xa9", b"\xe9", b"\xed\xa0\x80", b"\xff\xfe", b"\r", b"\n\n", b"#", b"# key: [", b"\\",
           "Ménière".encode(), "ü".encode("utf-16"), "²".encode(), "١٢".encode(), "\u00a0".encode(),
           "\u2028".encode(), b"a b", b"http://x y", b"https://", b"MONDO:0000001 x", b"HP:0000006\x0b"]
TOKEN = re.compile(rb"[A-Za-z0-9_:.\-/ ]+")


@st.composite
def mutated(draw: st.DrawFn, target: Target) -> bytes:
    data = target.data
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["byte", "cut", "delete", "duplicate", "swap", "cell", "insert"]))
        lines = data.split(b"\n")
        if op == "byte" and data:
            at = draw(st.integers(0, len(data) - 1))
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
        elif op == "cut":
            data = data[:draw(st.integers(0, len(data)))]
        elif op in ("delete", "duplicate", "swap") and lines:
            i = draw(st.integers(0, len(lines) - 1))
            if op == "delete":
                del lines[i]
            elif op == "duplicate":
                lines.insert(i, lines[i])
            else:
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif op == "cell" and lines:
            value = draw(st.sampled_from(AWKWARD) | st.text(max_size=12).map(str.encode))
            i = draw(st.integers(0, len(lines) - 1))
            if target.delimiter is not None:
                cells = lines[i].split(target.delimiter)
                cells[draw(st.integers(0, len(cells) - 1))] = value
                lines[i] = target.delimiter.join(cells)
                data = b"\n".join(lines)
            else:
                tokens = list(TOKEN.finditer(data))
                if tokens:
                    m = tokens[draw(st.integers(0, len(tokens) - 1))]
                    data = data[:m.start()] + value + data[m.end():]
        elif op == "insert":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    if draw(st.integers(0, 9)) == 0:
        data = gzip.compress(data, mtime=0)
        if draw(st.booleans()):
            data = data[:draw(st.integers(0, len(data)))]
    return data


def run_like_the_loader(path: Path, target: Target) -> list[Any]:
    """What ``load_file`` does with a file, short of writing it: detect, release, parse, build. Returns the
    parser's items; raises only what is not a record, a Problem or a FileProblem."""
    for step in (detect, target.read_release):
        try:
            step(path)
        except FileProblem as exc:
            assert exc.problem.file == str(path)
    try:
        items = list(target.parse(path))
    except FileProblem as exc:
        assert exc.problem.file == str(path) and exc.problem.line >= 0
        return []
    refs = References()
    for item in items:
        assert isinstance(item, Record | Problem), item
        if isinstance(item, Problem):
            assert item.file == str(path) and item.line >= 0, item
        else:
            assert item.file == str(path) and item.line >= 1, item
            _, problems = build(item, refs)
            assert all(p.file == str(path) and p.line == item.line for p in problems if p.level == "reject")
    return items


def _fuzz(target: Target, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / target.name
        path.write_bytes(data)
        run_like_the_loader(path, target)


@pytest.mark.parametrize("target", [t for t in TARGETS if t.parse is not clinvar_xml.parse], ids=lambda t: t.name)
def test_mutated_files_end_in_records_or_problems(target: Target) -> None:
    @FUZZ
    @given(data=mutated(target))
    def check(data: bytes) -> None:
        _fuzz(target, data)

    check()


@pytest.mark.parametrize("target", [t for t in TARGETS if t.parse is clinvar_xml.parse], ids=lambda t: t.name)
def test_mutated_clinvar_xml_ends_in_records_or_problems(target: Target) -> None:
    @FUZZ
    @given(data=mutated(target))
    def check(data: bytes) -> None:
        _fuzz(target, data)

    check()


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_the_fixture_itself_parses(target: Target, tmp_path: Path) -> None:
    path = tmp_path / target.name
    path.write_bytes(target.data)
    items = run_like_the_loader(path, target)
    assert any(isinstance(i, Record) for i in items)
