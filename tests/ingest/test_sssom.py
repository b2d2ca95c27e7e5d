"""Mondo's SSSOM mapping set ``mondo_exactmatch_omim.sssom.tsv`` (release 2026-08-04).

Fixture lines: 1-17 the ``#`` YAML metadata block; 18 header; 19-24 six mappings (19: MONDO:0000070).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clingen_graph.ids import expand_curie
from clingen_graph.ingest import detect
from clingen_graph.ingest.base import FileProblem, Problem
from clingen_graph.ingest.sssom import SOURCE, MappingRecord, parse, read_release
from clingen_graph.model import mappings
from clingen_graph.terms import SKOS

OMIM = "sssom/mondo_exactmatch_omim.sssom.tsv"


def _split(items: list) -> tuple[list[MappingRecord], list[Problem]]:
    return [i for i in items if not isinstance(i, Problem)], [i for i in items if isinstance(i, Problem)]


def test_detected_by_content(fixtures_dir: Path) -> None:
    assert detect(fixtures_dir / OMIM) is SOURCE


def test_release_and_dataset_from_metadata(fixtures_dir: Path) -> None:
    info = read_release(fixtures_dir / OMIM)
    assert (info.release, info.issued, info.dataset) == ("2026-08-04", "2026-08-04", "omim")


def test_row_fields(fixtures_dir: Path) -> None:
    records, problems = _split(list(parse(fixtures_dir / OMIM)))
    assert problems == []  # object_label and mapping_justification are known columns, not "extra"
    assert [r.line for r in records] == list(range(19, 25))
    first = records[0]
    assert (first.subject, first.predicate, first.object) == ("MONDO:0000070", "skos:exactMatch", "OMIM:607948")
    assert first.justification == "semapv:ManualMappingCuration"
    (triple,) = mappings.to_triples(first)
    assert tuple(t.value for t in triple) == (
        expand_curie("MONDO:0000070"), SKOS.exactMatch.value, "https://omim.org/entry/607948")


BAD_ROWS = [
    (lambda b: b.replace(b"skos:exactMatch", b"skos:mappingRelation"), "unknown-predicate"),
    (lambda b: b.replace(b"MONDO:0000070", b"OMIM:0000070"), "bad-id"),
    (lambda b: b.replace(b"OMIM:607948", b"OMIM:60794x"), "bad-id"),
    (lambda b: b.replace(b"Mycobacterium", "Mycobactérium".encode("latin-1")), "encoding"),
]


@pytest.mark.parametrize(("edit", "code"), BAD_ROWS,
                         ids=["unknown-predicate", "subject-not-mondo", "bad-object-id", "not-utf8"])
def test_bad_row_is_one_reject(fixtures_dir: Path, edit_line, line_of, edit, code: str) -> None:
    src = fixtures_dir / OMIM
    path = edit_line(src, 19, edit(line_of(src, 19)))
    records, problems = _split(list(parse(path)))
    assert [(p.level, p.code, p.file, p.line) for p in problems] == [("reject", code, str(path), 19)]
    assert [r.line for r in records] == list(range(20, 25))


def test_missing_required_column(fixtures_dir: Path, edit_line, line_of) -> None:
    src = fixtures_dir / OMIM
    path = edit_line(src, 18, line_of(src, 18).replace(b"predicate_id", b"predicate"))
    with pytest.raises(FileProblem) as err:
        list(parse(path))
    assert (err.value.problem.code, err.value.problem.line) == ("header", 18)
