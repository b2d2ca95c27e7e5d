"""The two-process path for big files (forced on small files here): same records, same lines, same rejects."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from clingen_graph.ingest import clinvar_xml

from .conftest import build_release, records


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clinvar_xml, "PARALLEL", True)
    monkeypatch.setattr(clinvar_xml, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(clinvar_xml, "CHUNK_BYTES", 40_000)


def _sequential(path: Path, monkeypatch: pytest.MonkeyPatch) -> list:
    with monkeypatch.context() as m:
        m.setattr(clinvar_xml, "PARALLEL_MIN_BYTES", 1 << 62)
        return list(clinvar_xml.parse(path))


@pytest.mark.parametrize("gz", [False, True])
def test_same_records_and_lines_as_sequential(tmp_path: Path, parallel: None, monkeypatch: pytest.MonkeyPatch,
                                              gz: bool) -> None:
    path = build_release(tmp_path / ("release.xml" + (".gz" if gz else "")), 40, gz=gz)
    assert clinvar_xml._parallel_ok(path, clinvar_xml.head_text(path, 4096))
    got = list(clinvar_xml.parse(path))
    want = _sequential(path, monkeypatch)
    assert len(got) == len(want) == 40
    assert got == want  # dataclass equality: every field, SCV lines and warnings included
    # the lines are the file's own
    lines = (gzip.decompress(path.read_bytes()) if gz else path.read_bytes()).split(b"\n")
    for rec in got:
        assert lines[rec.line - 1].lstrip().startswith(b"<VariationArchive")
        assert rec.accession.encode() in lines[rec.line - 1]
        for scv in rec.scvs:
            assert lines[scv.line - 1].lstrip().startswith(b"<ClinicalAssertion")


def test_truncated_in_a_record(tmp_path: Path, parallel: None, monkeypatch: pytest.MonkeyPatch) -> None:
    data = build_release(tmp_path / "full.xml", 30).read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: len(data) * 2 // 3])
    recs, problems = records(cut)
    seq = _sequential(cut, monkeypatch)
    assert recs == [i for i in seq if isinstance(i, clinvar_xml.VcvRecord)]
    assert [p.code for p in problems] == ["truncated"]
    assert problems[0].line == seq[-1].line
    assert problems[0].message == seq[-1].message


def test_truncated_gzip(tmp_path: Path, parallel: None) -> None:
    data = build_release(tmp_path / "full.xml.gz", 60, gz=True).read_bytes()
    cut = tmp_path / "cut.xml.gz"
    cut.write_bytes(data[: len(data) // 2])
    recs, problems = records(cut)
    assert 0 < len(recs) < 60
    assert [p.code for p in problems] == ["truncated"]
    assert "compressed stream ends early" in problems[0].message
    assert f"the {len(recs):,} complete record(s)" in problems[0].message


def test_bad_bytes_in_a_later_chunk(tmp_path: Path, parallel: None, monkeypatch: pytest.MonkeyPatch) -> None:
    src = build_release(tmp_path / "ok.xml", 30).read_bytes()
    at = src.index(b"<Name>", len(src) // 2)
    bad = tmp_path / "bad.xml"
    bad.write_bytes(src[:at + 6] + b"\xe9\xff" + src[at + 6:])
    got = list(clinvar_xml.parse(bad))
    want = _sequential(bad, monkeypatch)
    assert got[:-1] == want[:-1]
    assert got[-1].code == want[-1].code == "truncated"
    assert got[-1].line == want[-1].line
    assert "UTF-8" in got[-1].message


def test_release_without_records(tmp_path: Path, parallel: None) -> None:
    path = tmp_path / "empty-release.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<ClinVarVariationRelease ReleaseDate="2024-09-17">\n'
                    "</ClinVarVariationRelease>\n")
    assert [p.code for p in clinvar_xml.parse(path)] == ["no-records"]
