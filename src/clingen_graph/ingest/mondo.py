"""MONDO disease ontology: a user's own ``mondo.obo``/``mondo.owl`` (pronto), or the bundled JSON form.

The bundled JSON (cellxgene-ontology-guide's MONDO build) is a dict keyed by ``MONDO:nnnnnnn`` with
label, description, synonyms (exact), deprecated, replaced_by, consider and ``ancestors`` (the closure
with BFS distances; distance 1 = direct parents). It is one long line, so rows are located by term id.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from pathlib import Path

from .base import FileProblem, Problem, ReleaseInfo, SourceSpec, date_from_name, open_binary, reject
from .obo import TermRecord, obo_release, parse_with_pronto


def _is_json(head: str) -> bool:
    return head.lstrip().startswith('{"MONDO:')


def _sniff(path: Path, head: str) -> bool:
    return _is_json(head) or "ontology: mondo" in head or "obo/mondo.owl" in head


def read_release(path: Path) -> ReleaseInfo:
    from .base import head_text

    if _is_json(head_text(path, 64)):
        day = date_from_name(path)
        if day:
            return ReleaseInfo(day, day)
        return ReleaseInfo("", None, ("the MONDO JSON carries no version; named by content hash",))
    return obo_release(path, "MONDO")


def parse_json(path: Path) -> Iterator[TermRecord | Problem]:
    try:
        with open_binary(path) as fh:
            data = json.load(fh)
    except (json.JSONDecodeError, UnicodeDecodeError, EOFError, zlib.error) as exc:
        raise FileProblem(path, 1, "malformed", f"not a complete MONDO JSON document: {exc}") from exc
    if not isinstance(data, dict) or not data:
        raise FileProblem(path, 1, "empty", "no MONDO terms in this JSON document")
    for curie, term in data.items():
        if not isinstance(term, dict) or not curie.startswith("MONDO:"):
            yield reject(path, 1, "malformed", f"entry {curie!r} is not a MONDO term object", str(term)[:300])
            continue
        ancestors = term.get("ancestors") or {}
        yield TermRecord(
            str(path), 1, curie=curie, label=term.get("label"), definition=term.get("description"),
            synonyms=tuple(sorted(set(term.get("synonyms") or ()))),
            parents=tuple(sorted(a for a, d in ancestors.items() if d == 1)),
            ancestors=tuple(sorted(ancestors)), deprecated=bool(term.get("deprecated")),
            replaced_by=tuple(filter(None, [term.get("replaced_by")])) if isinstance(term.get("replaced_by"), str)
            else tuple(term.get("replaced_by") or ()),
            consider=tuple(term.get("consider") or ()) if not isinstance(term.get("consider"), str)
            else (term["consider"],),
        )


def parse(path: Path) -> Iterator[TermRecord | Problem]:
    from .base import head_text

    if _is_json(head_text(path, 64)):
        return parse_json(path)
    return parse_with_pronto(path, "MONDO")


SOURCE = SourceSpec(
    name="mondo",
    title="Mondo Disease Ontology",
    homepage="https://mondo.monarchinitiative.org/",
    license="CC BY 4.0",
    role="reference",
    sniff=_sniff,
    read_release=read_release,
    parse=parse,
)
