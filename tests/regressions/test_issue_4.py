"""Regression: a truncated file (an interrupted download) was loaded as a new release holding the rows
before the cut, and became the current release of its source. A file that cannot be read to its end now
fails, and the previous release stays current (DESIGN §4).
"""

from __future__ import annotations

import gzip
from pathlib import Path

from clingen_graph.release import current_releases, load_paths
from clingen_graph.store import open_store

HEADER = "HGNC ID\tApproved symbol\tApproved name\tStatus\n"
ROWS = (
    "HGNC:1100\tBRCA1\tBRCA1 DNA repair associated\tApproved\n"
    "HGNC:20\tAARS1\talanyl-tRNA synthetase 1\tApproved\n"
    "HGNC:23\tABAT\t4-aminobutyrate aminotransferase\tApproved\n"
)


def test_truncated_newer_release_is_not_loaded(tmp_path: Path) -> None:
    store = open_store("memory:")
    old = tmp_path / "hgnc_2024-07-23.tsv"
    old.write_text(HEADER + ROWS)
    newer = tmp_path / "hgnc_2025-01-01.tsv.gz"
    data = gzip.compress((HEADER + ROWS * 40).encode())
    newer.write_bytes(data[: len(data) // 2])
    load_paths(store, [old])
    graphs = store.graphs()
    summary = next(s for s in load_paths(store, [newer]) if s.file == str(newer))
    assert summary.status == "failed"
    assert "truncated" in {p.code for p in summary.problems}
    assert store.graphs() == graphs
    assert current_releases(store)["hgnc"].label == "2024-07-23"
