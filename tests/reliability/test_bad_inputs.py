"""Bad files of every source kind the loader detects, loaded over a store that already holds a release of each:
a clear error (a Problem with file and line, or a FileProblem), nothing half-loaded (no new release, the previous
one current and untouched), and no traceback from ``clingen-graph load``.

The bad files are made from the real fixtures: a gzip download cut in half, a plain copy cut in the middle of a
row, an empty file, random bytes, the text saved as UTF-16, the text saved as Latin-1 with one accented
character, an HTML error page saved under the source's file name, and the header without any row.
A Latin-1 character spoils only its own line in the line-based formats: that row is rejected with its line and
the rest loads, as any other bad row would (tests/ingest/test_clingen_erepo.py); whole-document formats (JSON,
XML, OBO) fail whole.
"""

from __future__ import annotations

import gzip
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clingen_graph.cli import app
from clingen_graph.release import LoadSummary, current_releases, load_paths, releases
from clingen_graph.resources import data_dir
from clingen_graph.store import GraphStore, open_store

from .conftest import FIXTURES, graph_size

F = FIXTURES
# kind → (fixture, the name the copies get, the line that starts the rows: what "header only" keeps before it)
KINDS: dict[str, tuple[Path, str, bytes | None]] = {
    "hgnc": (F / "hgnc/hgnc_entries_2024-07-23.tsv", "hgnc_entries_2024-07-23.tsv", b"HGNC:"),
    "hgnc-json-lines": (F / "hgnc/hgnc_info_excerpt.jsonl", "hgnc_info_2020-01-01.jsonl", None),
    "mondo-obo": (F / "mondo/mondo_v2026-05-05.obo", "mondo_v2026-05-05.obo", None),
    "mondo-json": (F / "mondo/mondo_v2026-05-05.json", "mondo_v2026-05-05.json", None),
    "hpo": (F / "hpo/hp_2025-01-16.obo", "hp_2025-01-16.obo", None),
    "mondo-sssom": (F / "sssom/mondo_exactmatch_omim.sssom.tsv", "mondo_exactmatch_omim.sssom.tsv", b"MONDO:"),
    "gene-validity": (F / "clingen_gene_validity/clingen_gene_validity_2026-02-09.csv",
                      "clingen_gene_validity_2026-02-09.csv", b'"AARS1"'),
    "dosage-genes": (F / "clingen_dosage/ClinGen_gene_curation_list_GRCh38.tsv",
                     "ClinGen_gene_curation_list_GRCh38.tsv", b"A4GALT"),
    "dosage-regions": (F / "clingen_dosage/ClinGen_region_curation_list_GRCh37.tsv",
                       "ClinGen_region_curation_list_GRCh37.tsv", b"ISCA-"),
    "erepo": (F / "clingen_erepo/clingen_erepo_summary_strengths_2024-04.tsv",
              "clingen_erepo_summary_strengths_2024-04.tsv", b"NM_"),
    "clinvar-vcv-xml": (F / "clinvar/samples/VCV000025511.xml", "VCV000025511.xml", None),
    "clinvar-variant-summary": (data_dir() / "clinvar/variant_summary_2026-06_excerpt.shared.tsv",
                                "variant_summary_2026-06.txt", b"15041\t"),
}
HTML = (b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
        b"<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n")


def cut_gzip(data: bytes) -> bytes:
    packed = gzip.compress(data, mtime=0)
    return packed[: len(packed) // 2]


def cut_mid_row(data: bytes) -> bytes:
    """Half the file, cut inside a line (never just after a line end)."""
    at = len(data) // 2
    while data[at - 1:at] in (b"\n", b"\r") or data[at:at + 1] in (b"\n", b"\r"):
        at += 1
    return data[:at]


def latin_1(data: bytes) -> bytes:
    """The text saved as Latin-1, with an 'é' in its last line (after the line's first character)."""
    lines = data.decode("utf-8").split("\n")
    last = max(i for i, line in enumerate(lines) if line.strip())
    lines[last] = lines[last][:1] + "é" + lines[last][1:]
    return "\n".join(lines).encode("latin-1")


CASES: dict[str, Callable[[bytes], bytes]] = {
    "truncated-gzip": cut_gzip,
    "cut-mid-row": cut_mid_row,
    "empty": lambda data: b"",
    "binary": lambda data: random.Random(len(data)).randbytes(4096),
    "utf-16": lambda data: data.decode("utf-8").encode("utf-16"),
    "latin-1": latin_1,
    "html-error-page": lambda data: HTML,
}


def _summary(summaries: list[LoadSummary], path: Path) -> LoadSummary:
    return next(s for s in summaries if s.file == str(path))


def _state(store: GraphStore) -> dict[str, Any]:
    return {"releases": sorted((r.source, r.graph, r.triples) for r in releases(store)),
            "current": {s: r.graph for s, r in current_releases(store).items()},
            "graphs": store.graphs()}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[GraphStore, dict[str, LoadSummary]]:
    """A store with a release of every kind, and how each loaded."""
    store = open_store("memory:")
    paths = {kind: (src, name) for kind, (src, name, _) in KINDS.items()}
    folder = tmp_path_factory.mktemp("releases")
    copies = {}
    for kind, (src, name) in paths.items():
        (folder / kind).mkdir()
        copies[kind] = folder / kind / name
        copies[kind].write_bytes(src.read_bytes())
    summaries = load_paths(store, list(copies.values()))
    by_kind = {kind: _summary(summaries, path) for kind, path in copies.items()}
    assert {kind: s.status for kind, s in by_kind.items()} == dict.fromkeys(KINDS, "loaded")
    return store, by_kind


def _load_bad(store: GraphStore, tmp_path: Path, kind: str, data: bytes) -> tuple[LoadSummary, Path, dict, dict]:
    path = tmp_path / KINDS[kind][1]
    path.write_bytes(data)
    before = _state(store)
    sizes = {g: graph_size(store, g) for g in before["current"].values()}
    summary = _summary(load_paths(store, [path]), path)
    return summary, path, before, sizes


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("kind", list(KINDS))
def test_bad_file_is_reported_and_nothing_is_loaded(loaded, tmp_path: Path, kind: str, case: str) -> None:
    store, baseline = loaded
    src = KINDS[kind][0]
    summary, path, before, sizes = _load_bad(store, tmp_path, kind, CASES[case](src.read_bytes()))
    rejects = [p for p in summary.problems if p.level == "reject"]
    assert rejects, summary
    assert all(p.file == str(path) and p.line >= 1 for p in rejects), rejects
    if case == "latin-1" and summary.status == "loaded":  # a line-based format: only that row is lost
        last = len(path.read_bytes().rstrip(b"\n").split(b"\n"))
        assert [(p.code, p.line) for p in rejects] == [("encoding", last)]
        assert "UTF-8" in rejects[0].message
        assert (summary.rows_loaded, summary.rows_rejected) == (baseline[kind].rows_loaded - 1, 1)
        return
    assert summary.status == "failed", summary
    assert summary.message
    after = _state(store)
    assert after == before  # no new release, no graph left behind, the previous one current
    assert {g: graph_size(store, g) for g in after["current"].values()} == sizes
    if case in ("empty", "binary", "utf-16", "html-error-page"):
        assert [(p.code, p.line) for p in rejects] in ([("empty", 1)], [("unknown-kind", 1)]), rejects
    if case == "truncated-gzip" and kind not in ("hgnc-json-lines",):  # a cut gzip of 3 JSON lines: unknown kind
        assert {p.code for p in rejects} & {"truncated", "malformed"}, rejects


@pytest.mark.parametrize("kind", [k for k, (_, _, rows) in KINDS.items() if rows is not None])
def test_header_without_rows_is_reported(loaded, tmp_path: Path, kind: str) -> None:
    store, _ = loaded
    data = KINDS[kind][0].read_bytes()
    lines = data.split(b"\n")
    first_row = next(i for i, line in enumerate(lines) if line.startswith(KINDS[kind][2]))  # type: ignore[arg-type]
    summary, path, before, _ = _load_bad(store, tmp_path, kind, b"\n".join(lines[:first_row]) + b"\n")
    assert summary.status == "failed"
    assert [(p.code, p.file, p.line) for p in summary.problems if p.level == "reject"] == [("no-rows", str(path), 1)]
    assert _state(store) == before


def test_the_command_reports_every_bad_file_without_a_traceback(tmp_path: Path) -> None:
    bad: list[Path] = []
    for kind, (src, name, _) in KINDS.items():
        for case in ("truncated-gzip", "cut-mid-row", "binary", "utf-16", "html-error-page"):
            folder = tmp_path / "in" / f"{kind}-{case}"
            folder.mkdir(parents=True)
            (folder / name).write_bytes(CASES[case](src.read_bytes()))
            bad.append(folder / name)
    report = tmp_path / "rejects.tsv"
    result = CliRunner().invoke(app, ["load", "--store", f"oxigraph:{tmp_path / 'store'}", "--report", str(report),
                                      str(tmp_path / "in")])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    rows = [line.split("\t") for line in report.read_text().splitlines()[1:]]
    assert {Path(r[2]) for r in rows if r[0] == "reject"} == set(bad)
    store = open_store(f"oxigraph:{tmp_path / 'store'}", read_only=True)
    assert [r.source for r in releases(store)] == ["clingen-graph-ontology"]
    store.close()
