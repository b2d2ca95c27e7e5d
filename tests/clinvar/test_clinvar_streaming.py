"""A release-style file built from the real samples streams with flat memory.

tracemalloc sees the Python side (records, dataclasses); libxml2's tree is outside it, so a second check runs
the parser in a fresh process and compares its peak RSS growth with the file size.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest

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
