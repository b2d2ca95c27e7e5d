"""Regression: a truncated gzip file whose readable part is shorter than the 8 kB sniffing window was
reported as "no text could be read" by ``detect``, because the sniffer dropped everything it had read on
the EOFError. It is now recognised, and its parser reports the truncation with the line it reached.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from clingen_graph.ingest import detect
from clingen_graph.ingest.base import Problem

HGNC = (
    "HGNC ID\tApproved symbol\tApproved name\tStatus\n"
    "HGNC:1100\tBRCA1\tBRCA1 DNA repair associated\tApproved\n"
    "HGNC:20\tAARS1\talanyl-tRNA synthetase 1\tApproved\n"
    "HGNC:23\tABAT\t4-aminobutyrate aminotransferase\tApproved\n"
) * 8


def test_truncated_small_gzip_is_recognised(tmp_path: Path) -> None:
    data = gzip.compress(HGNC.encode())
    path = tmp_path / "hgnc_2024-07-23.tsv.gz"
    path.write_bytes(data[: len(data) // 2])
    spec = detect(path)
    assert spec.name == "hgnc"
    problems = [i for i in spec.parse(path) if isinstance(i, Problem)]
    assert problems[-1].code == "truncated"
    assert problems[-1].file == str(path)
