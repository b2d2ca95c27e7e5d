"""MONDO cross-references from Mondo's SSSOM mapping sets (``mondo_exactmatch_omim.sssom.tsv`` …).

Each mapping set is its own source (``mondo-sssom-omim``, ``mondo-sssom-orphanet``) so that the sets
are released and replaced independently. Only the predicates below are loaded; others are rejected
with their line so nothing disappears silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..ids import IdError, normalize_curie
from .base import (
    FileProblem,
    Problem,
    Record,
    ReleaseInfo,
    SourceSpec,
    check_header,
    iter_delimited,
    iter_lines,
    reject,
)

PREDICATES = {"skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch", "skos:relatedMatch"}
COLUMNS = ["subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification"]


@dataclass
class MappingRecord(Record):
    subject: str  # MONDO CURIE
    predicate: str  # skos:exactMatch …
    object: str  # normalised CURIE (OMIM:…, Orphanet:…)
    justification: str


def _metadata(path: Path) -> dict:
    text = "\n".join(t[1:] for _, t in iter_lines(path) if isinstance(t, str) and t.startswith("#"))
    try:
        meta = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise FileProblem(path, 1, "malformed", f"the '#' YAML metadata block does not parse: {exc}") from exc
    return meta if isinstance(meta, dict) else {}


def read_release(path: Path) -> ReleaseInfo:
    meta = _metadata(path)
    set_id = str(meta.get("mapping_set_id", path.name))
    name = re.sub(r"\.sssom\.tsv.*$", "", set_id.rsplit("/", 1)[-1])
    dataset = name.removeprefix("mondo_").removeprefix("exactmatch_").replace("_", "-")
    version = str(meta.get("mapping_set_version") or meta.get("mapping_date") or "")
    day = re.search(r"(\d{4}-\d{2}-\d{2})", version)
    if day:
        return ReleaseInfo(day.group(1), day.group(1), dataset=dataset)
    return ReleaseInfo("", None, ("no mapping_set_version; named by content hash",), dataset=dataset)


def parse(path: Path) -> Iterator[MappingRecord | Problem]:
    header_seen = False
    for line, fields, raw in iter_delimited(path, "\t", skip=lambda t: t.startswith("#")):
        if isinstance(fields, Problem):
            yield fields
            continue
        if not header_seen:
            yield from check_header(path, line, fields, COLUMNS[:4], optional=COLUMNS[4:])
            cols = {h: i for i, h in enumerate(fields)}
            header_seen = True
            continue
        if not raw.strip():
            continue
        try:
            subject = normalize_curie(fields[cols["subject_id"]])
            obj = normalize_curie(fields[cols["object_id"]])
            predicate = fields[cols["predicate_id"]].strip()
        except (IdError, IndexError) as exc:
            yield reject(path, line, "bad-id", f"cannot read the mapping: {exc}", raw)
            continue
        if not subject.startswith("MONDO:"):
            yield reject(path, line, "bad-id", f"subject {subject} is not a MONDO id", raw)
            continue
        if predicate not in PREDICATES:
            yield reject(path, line, "unknown-predicate", f"predicate {predicate!r} is not a SKOS mapping predicate",
                         raw)
            continue
        just = fields[cols["mapping_justification"]].strip() if "mapping_justification" in cols and len(
            fields) > cols["mapping_justification"] else ""
        yield MappingRecord(str(path), line, subject=subject, predicate=predicate, object=obj, justification=just)
    if not header_seen:
        raise FileProblem(path, 1, "header", "no SSSOM header row (subject_id, predicate_id, object_id)")


def _sniff(path: Path, head: str) -> bool:
    return ("mapping_set_id" in head or "subject_id\tsubject_label\tpredicate_id" in head) and "MONDO" in head


SOURCE = SourceSpec(
    name="mondo-sssom",
    title="Mondo mappings (SSSOM)",
    homepage="https://github.com/monarch-initiative/mondo/tree/master/src/ontology/mappings",
    license="CC0 1.0 (mapping sets) / Mondo CC BY 4.0",
    role="reference",
    sniff=_sniff,
    read_release=read_release,
    parse=parse,
)
