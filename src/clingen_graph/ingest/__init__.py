"""Source parsers, one module per source, and the registry that recognises a file by its content."""

from __future__ import annotations

from pathlib import Path

from . import (
    clingen_dosage,
    clingen_erepo,
    clingen_gene_validity,
    clinvar_summary,
    clinvar_xml,
    hgnc,
    hpo,
    mondo,
    sssom,
)
from .base import FileProblem, SourceSpec, head_text

# Load order: references first (curations are checked against them), then curations.
SOURCES: tuple[SourceSpec, ...] = (
    hgnc.SOURCE,
    mondo.SOURCE,
    sssom.SOURCE,
    hpo.SOURCE,
    clingen_gene_validity.SOURCE,
    clingen_dosage.GENES,
    clingen_dosage.REGIONS,
    clingen_erepo.SOURCE,
    clinvar_xml.SOURCE,
    clinvar_summary.SOURCE,
)
BY_NAME = {s.name: s for s in SOURCES}


def detect(path: Path) -> SourceSpec:
    """Which source a file belongs to, by its content (not its name).

    :raises FileProblem: empty, unreadable, or not a file of any known source.
    """
    if path.stat().st_size == 0:
        raise FileProblem(path, 1, "empty", "file is empty")
    head = head_text(path)
    if not head.strip():
        raise FileProblem(path, 1, "unreadable", "no text could be read (empty or not a text/gzip file)")
    for spec in SOURCES:
        if spec.sniff(path, head):
            return spec
    raise FileProblem(
        path, 1, "unknown-kind",
        "cannot tell which source this file is; known: " + ", ".join(s.name for s in SOURCES),
    )
