"""OBO ontologies (MONDO, HPO) read with pronto from ``.obo`` / ``.owl`` (optionally gzipped).

One term is one record. The reflexive-transitive closure of is_a is computed here so that "this term
and all its subtypes" is a plain join in SPARQL (``cgv:ancestorOrSelf``) rather than a slow ``*`` path.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .base import (
    FileProblem,
    Problem,
    Record,
    ReleaseInfo,
    date_from_name,
    head_text,
    iter_lines,
    open_binary,
    reject,
)

DATA_VERSION = re.compile(r"^data-version:\s*(\S+)", re.MULTILINE)
OWL_VERSION = re.compile(r'owl:versionIRI\s+rdf:resource="[^"]*?/(\d{4}-\d{2}-\d{2})/')


@dataclass
class TermRecord(Record):
    curie: str  # MONDO:0007254
    label: str | None
    definition: str | None
    synonyms: tuple[str, ...]
    parents: tuple[str, ...]  # direct is_a parents (CURIEs)
    ancestors: tuple[str, ...]  # all ancestors, not including the term itself
    deprecated: bool
    replaced_by: tuple[str, ...]
    consider: tuple[str, ...]
    xrefs: tuple[str, ...] = ()


def closure(parents: dict[str, tuple[str, ...]]) -> dict[str, frozenset[str]]:
    """All ancestors of every term (iterative DFS with memo; cycles are cut, not looped).

    >>> sorted(closure({"a": ("b",), "b": ("c",), "c": ()})["a"])
    ['b', 'c']
    """
    memo: dict[str, frozenset[str]] = {}
    for start in parents:
        if start in memo:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        on_path: set[str] = set()
        while stack:
            term, state = stack.pop()
            if state == 0:
                if term in memo:
                    continue
                on_path.add(term)
                stack.append((term, 1))
                for p in parents.get(term, ()):
                    if p not in memo and p not in on_path:
                        stack.append((p, 0))
            else:
                on_path.discard(term)
                acc: set[str] = set()
                for p in parents.get(term, ()):
                    acc.add(p)
                    acc |= memo.get(p, frozenset())
                acc.discard(term)
                memo[term] = frozenset(acc)
    return memo


def obo_release(path: Path, prefix: str) -> ReleaseInfo:
    head = head_text(path, 16384)
    m = DATA_VERSION.search(head) or OWL_VERSION.search(head)
    if m:
        version = m.group(1)
        day = re.search(r"(\d{4}-\d{2}-\d{2})", version)
        return ReleaseInfo(day.group(1) if day else version.rsplit("/", 1)[-1], day.group(1) if day else None)
    named = date_from_name(path)
    if named:
        return ReleaseInfo(named, named, ("release taken from the file name",))
    return ReleaseInfo("", None, (f"the {prefix} file has no data-version; named by content hash",))


def _term_lines(path: Path) -> dict[str, int]:
    lines: dict[str, int] = {}
    for n, text in iter_lines(path):
        if isinstance(text, str) and text.startswith("id: "):
            lines.setdefault(text[4:].strip(), n)
    return lines


def parse_with_pronto(path: Path, prefix: str) -> Iterator[TermRecord | Problem]:
    """Terms of ``prefix`` (``MONDO``/``HP``) from an OBO or OWL file; imported terms are skipped."""
    import pronto  # heavy import, only when a file needs it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with open_binary(path) as fh:
                onto = pronto.Ontology(fh)
            terms = [t for t in onto.terms() if t.id.startswith(prefix + ":")]
            parents = {
                t.id: tuple(sorted(p.id for p in t.superclasses(distance=1, with_self=False)
                                   if p.id.startswith(prefix + ":")))
                for t in terms
            }
    except Exception as exc:  # pronto raises many kinds on malformed input
        raise FileProblem(path, 1, "malformed", f"pronto cannot read this ontology: {exc}") from exc
    except BaseException as exc:  # fastobo's Rust panics come as pyo3's PanicException, a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        raise FileProblem(path, 1, "malformed", f"pronto cannot read this ontology: {exc}") from exc
    if not terms:
        raise FileProblem(path, 1, "empty", f"no {prefix} terms in this ontology file")
    lines = _term_lines(path) if path.suffix != ".owl" else {}
    ancestors = closure(parents)
    for t in terms:
        try:
            record = TermRecord(
                str(path), lines.get(t.id, 1), curie=t.id, label=t.name,
                definition=str(t.definition) if t.definition else None,
                synonyms=tuple(sorted({s.description for s in t.synonyms if s.scope == "EXACT"})),
                parents=parents[t.id], ancestors=tuple(sorted(ancestors[t.id])), deprecated=bool(t.obsolete),
                replaced_by=_raw_ids(t, "replaced_by"), consider=_raw_ids(t, "consider"),
                xrefs=_xrefs(x.id for x in t.xrefs),
            )
        except Exception as exc:  # pronto reads some values only when asked (an undeclared synonym type …)
            yield reject(path, lines.get(t.id, 1), "malformed", f"cannot read term {t.id}: {exc}")
            continue
        yield record


def _raw_ids(term: object, attr: str) -> tuple[str, ...]:
    """The ids of ``replaced_by``/``consider`` as written. pronto's ``term.replaced_by`` resolves each id to a
    term of the same file and raises KeyError when it is not there (MONDO terms replaced by HP terms,
    ``consider: obo.MONDO_…`` in converted files), so the raw ids are read instead."""
    return tuple(sorted(getattr(term._data(), attr)))  # type: ignore[attr-defined]


def _xrefs(ids: Iterable[str]) -> tuple[str, ...]:
    keep = ("OMIM:", "Orphanet:", "ORPHA:", "MEDGEN:", "MedGen:")
    return tuple(sorted(i for i in ids if i.startswith(keep)))
