"""Shared helpers for the ClinVar tests: the real VCV samples in ``data/clinvar/`` and a release-style file
built from them."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from clingen_graph.ingest.base import Problem
from clingen_graph.ingest.clinvar_xml import VcvRecord, parse
from clingen_graph.resources import data_dir

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "clinvar"
CLINVAR = FIXTURES / "samples"  # the 11 real records one per file, as published; bundled as one release file
SAMPLES = sorted(CLINVAR.glob("VCV*.xml"))
SUMMARY = data_dir() / "clinvar" / "variant_summary_2026-06_excerpt.shared.tsv"
BUNDLED = data_dir() / "clinvar" / "ClinVarVCVRelease_2024-09-17.samples.xml"
EDITED = FIXTURES


def records(path: Path) -> tuple[list[VcvRecord], list[Problem]]:
    items = list(parse(path))
    return [i for i in items if isinstance(i, VcvRecord)], [i for i in items if isinstance(i, Problem)]


def one(path: Path) -> VcvRecord:
    recs, problems = records(path)
    assert len(recs) == 1, problems
    return recs[0]


def archive_text(path: Path) -> str:
    """The ``<VariationArchive>…</VariationArchive>`` element of a sample, as text."""
    text = path.read_text(encoding="utf-8")
    return text[text.index("<VariationArchive"):text.rindex("</VariationArchive>") + len("</VariationArchive>")]


def build_release(target: Path, count: int, *, gz: bool = False) -> Path:
    """A ``ClinVarVariationRelease`` file holding ``count`` records, the samples repeated in turn."""
    bodies = [archive_text(p) for p in SAMPLES]
    opener: Callable = gzip.open if gz else open  # type: ignore[assignment]
    with opener(target, "wt", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<ClinVarVariationRelease ReleaseDate="2024-09-17">\n')
        for i in range(count):
            out.write(bodies[i % len(bodies)])
            out.write("\n")
        out.write("</ClinVarVariationRelease>\n")
    return target


def edit(src: Path, dst: Path, pattern: str, replacement: str, count: int = 1) -> Path:
    """A copy of ``src`` with the first ``count`` matches of a regex replaced (must match)."""
    text, n = re.subn(pattern, replacement, src.read_text(encoding="utf-8"), count=count)
    assert n == count, f"{pattern!r} matched {n} times in {src.name}"
    dst.write_text(text, encoding="utf-8")
    return dst


@pytest.fixture(scope="session")
def samples() -> dict[str, VcvRecord]:
    """Every real sample parsed once, by VCV accession."""
    return {r.accession: r for p in SAMPLES for r in records(p)[0]}
