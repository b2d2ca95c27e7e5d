"""A release-style file built from the real samples streams with flat memory, and reading it in chunks of whole
records (the default) gives exactly what the streaming parser gives, handing over to it on anything unusual.

tracemalloc sees the Python side (records, dataclasses); libxml2's tree is outside it, so a second check runs
the parser in a fresh process and compares its peak RSS growth with the file size.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from clingen_graph.ingest import clinvar_xml
from clingen_graph.ingest.clinvar_xml import VcvRecord, parse

from .conftest import build_release


def test_python_memory_stays_flat(tmp_path: Path) -> None:
    path = build_release(tmp_path / "release.xml", 330)  # 30 × the 11 samples, ~21 MB
    size = path.stat().st_size
    tracemalloc.start()
    try:
        n = 0
        for item in parse(path):
            n += isinstance(item, VcvRecord)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == 330
    assert peak < size / 10, f"peak {peak:,} B of Python memory for a {size:,} B file"


@pytest.mark.slow
def test_process_rss_stays_flat(tmp_path: Path) -> None:
    path = build_release(tmp_path / "release.xml", 1650)  # 150 × the samples, ~105 MB
    size = path.stat().st_size
    script = textwrap.dedent(f"""
        import resource
        from pathlib import Path
        from clingen_graph.ingest.clinvar_xml import VcvRecord, parse
        list(parse(Path({str(path)!r}).with_name("warmup.xml")))  # imports, caches
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        n = sum(isinstance(i, VcvRecord) for i in parse(Path({str(path)!r})))
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(n, (after - before) * 1024)
    """)
    build_release(tmp_path / "warmup.xml", 11)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True)
    n, grown = map(int, out.stdout.split())
    assert n == 1650
    assert grown < size / 4, f"peak RSS grew by {grown:,} B while streaming a {size:,} B file"


# --- chunked reading (the default for release files): exactly what the streaming parser gives ----------------

@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Chunks of ~30 kB (many per file); returns the ``skip`` of every hand-over to the streaming parser."""
    monkeypatch.setattr(clinvar_xml, "CHUNKED_BYTES", 30_000)
    handovers: list[int] = []
    stream = clinvar_xml._stream

    def spy(*args: Any, **kwargs: Any) -> Any:
        handovers.append(kwargs.get("skip", 0))
        return stream(*args, **kwargs)

    monkeypatch.setattr(clinvar_xml, "_stream", spy)
    return handovers


def _streaming(path: Path, monkeypatch: pytest.MonkeyPatch) -> list:
    with monkeypatch.context() as m:
        m.setattr(clinvar_xml, "CHUNKED", False)
        return list(parse(path))


@pytest.mark.parametrize("gz", [False, True])
def test_chunked_reading_gives_what_streaming_gives(tmp_path: Path, small_chunks: list[int],
                                                    monkeypatch: pytest.MonkeyPatch, gz: bool) -> None:
    path = build_release(tmp_path / ("release.xml" + (".gz" if gz else "")), 33, gz=gz)
    got = list(parse(path))
    assert small_chunks == []  # read in chunks to the end, no hand-over
    want = _streaming(path, monkeypatch)
    assert len(got) == 33
    assert got == want  # every field, lines of records, SCVs and warnings included
    lines = (gzip.decompress(path.read_bytes()) if gz else path.read_bytes()).split(b"\n")
    for rec in got:
        assert isinstance(rec, VcvRecord)
        assert lines[rec.line - 1].lstrip().startswith(b"<VariationArchive")
        for scv in rec.scvs:
            assert lines[scv.line - 1].lstrip().startswith(b"<ClinicalAssertion")


def _release_text(tmp_path: Path, count: int) -> str:
    return build_release(tmp_path / "base.xml", count).read_text(encoding="utf-8")


def test_a_break_hands_over_to_the_streaming_parser(tmp_path: Path, small_chunks: list[int],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    data = (tmp_path / "cut.xml")
    full = build_release(tmp_path / "base.xml", 33).read_bytes()
    data.write_bytes(full[: len(full) * 2 // 3])
    got = list(parse(data))
    assert len(small_chunks) == 1 and small_chunks[0] > 0  # the chunks before the break were given once
    assert got == _streaming(data, monkeypatch)  # the same records, then the same reject
    assert got[-1].code == "truncated"


def test_a_record_start_inside_a_comment_hands_over(tmp_path: Path, small_chunks: list[int],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # a chunk cut at the fake start leaves an unclosed comment: the streaming parser reads on from there
    text = _release_text(tmp_path, 33)
    at = [m.end() for m in re.finditer("</VariationArchive>", text)][20]
    comment = "\n<!-- <VariationArchive Accession=\"VCV-not-a-record\" " + "x" * 60_000 + " -->"
    path = tmp_path / "comment.xml"
    path.write_text(text[:at] + comment + text[at:], encoding="utf-8")
    got = list(parse(path))
    assert small_chunks and small_chunks[0] > 0
    assert got == _streaming(path, monkeypatch)
    assert len(got) == 33 and all(isinstance(r, VcvRecord) for r in got)


@pytest.mark.parametrize("edit", [
    ("<ClinVarVariationRelease ", '<!DOCTYPE ClinVarVariationRelease>\n<ClinVarVariationRelease '),
    ("<ClinVarVariationRelease ", '<ClinVarVariationRelease xmlns="urn:example" '),
    ('encoding="UTF-8"', 'encoding="ISO-8859-1"'),
    ("\n", "\r\n"),
], ids=["doctype", "default-namespace", "latin-1", "crlf"])
def test_an_unusual_head_is_read_by_the_streaming_parser(tmp_path: Path, small_chunks: list[int],
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         edit: tuple[str, str]) -> None:
    text = _release_text(tmp_path, 11)
    old, new = edit
    path = tmp_path / "odd.xml"
    path.write_bytes((text.replace(old, new, 1) if old != "\n" else text.replace(old, new)).encode("utf-8"))
    got = list(parse(path))
    assert small_chunks == [0]  # straight to the streaming parser
    assert got == _streaming(path, monkeypatch)


def test_a_record_inside_another_element_hands_over(tmp_path: Path, small_chunks: list[int],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    text = _release_text(tmp_path, 22)
    starts = [m.start() for m in re.finditer("<VariationArchive ", text)]
    ends = [m.end() for m in re.finditer("</VariationArchive>", text)]
    path = tmp_path / "nested.xml"  # record 12 wrapped in an element the schema does not have
    path.write_text(text[:starts[12]] + "<Extra>" + text[starts[12]:ends[12]] + "</Extra>" + text[ends[12]:],
                    encoding="utf-8")
    got = list(parse(path))
    assert small_chunks and small_chunks[0] > 0
    assert got == _streaming(path, monkeypatch)
    assert len(got) == 22
