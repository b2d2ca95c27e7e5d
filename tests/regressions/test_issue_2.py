"""Regression: every real SSSOM file got an "ignoring unknown column(s): object_label,
mapping_justification" warning, although ``mapping_justification`` is read. The header check now knows
optional columns.
"""

from __future__ import annotations

from pathlib import Path

from clingen_graph.ingest.base import Problem
from clingen_graph.ingest.sssom import parse

SSSOM = (
    "# mapping_set_id: http://purl.obolibrary.org/obo/mondo/mappings/mondo_exactmatch_omim.sssom.tsv\n"
    "# mapping_set_version: http://purl.obolibrary.org/obo/mondo/releases/2026-08-04/mappings/"
    "mondo_exactmatch_omim.sssom.tsv\n"
    "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\tcomment\n"
    "MONDO:0000070\tMycobacterium tuberculosis, susceptibility\tskos:exactMatch\tOMIM:607948\t"
    "mycobacterium tuberculosis, susceptibility to\tsemapv:ManualMappingCuration\t\n"
)


def test_only_really_unknown_columns_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "mondo_exactmatch_omim.sssom.tsv"
    path.write_text(SSSOM)
    items = list(parse(path))
    problems = [i for i in items if isinstance(i, Problem)]
    assert [(p.code, p.line) for p in problems] == [("extra-column", 3)]
    assert "comment" in problems[0].message
    assert "mapping_justification" not in problems[0].message
    (mapping,) = [i for i in items if not isinstance(i, Problem)]
    assert mapping.justification == "semapv:ManualMappingCuration"
