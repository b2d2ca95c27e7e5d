"""Streaming JSON-LD for bulk dumps: a prefix ``@context`` from :mod:`clingen_graph.ids` and one compact
node object per subject, written as the triples come (never the whole graph in memory).

The context only declares prefixes (no term coercion), so every value says what it is (``{"@id": CURIE}``,
a plain string, or ``{"@value", "@type"}``) and a dump parses back to exactly the triples written. It lives
here, not in the API: export must not import the API, and the API may use this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

import orjson
from pyoxigraph import BlankNode, Literal, NamedNode

from ..ids import PREFIXES, compress_iri

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def prefix_context() -> dict[str, Any]:
    """Every prefix of the one prefix table (and its display form, ``HGNC``, ``MONDO``) as a JSON-LD 1.1 prefix."""
    ctx: dict[str, Any] = {"@version": 1.1}
    for p in PREFIXES:
        # JSON-LD 1.1 treats a term as a CURIE prefix only if its IRI ends in a gen-delim, or if it says so
        value: Any = p.uri_prefix if p.uri_prefix[-1] in "/#:?[]@" else {"@id": p.uri_prefix, "@prefix": True}
        ctx[p.prefix] = value
        if p.display and p.display != p.prefix:
            ctx[p.display] = value
    return ctx


def curie(iri: str) -> str:
    """The CURIE of an IRI when that is safe to expand back, else the IRI."""
    short = compress_iri(iri)
    if short == iri or short.split(":", 1)[1].startswith("//"):
        return iri
    return short


def _value(term: Any) -> Any:
    if isinstance(term, NamedNode):
        return {"@id": curie(term.value)}
    if isinstance(term, BlankNode):
        return {"@id": f"_:{term.value}"}
    lit: Literal = term
    if lit.language:
        return {"@value": lit.value, "@language": lit.language}
    if lit.datatype is None or lit.datatype.value == XSD_STRING:
        return lit.value
    return {"@value": lit.value, "@type": curie(lit.datatype.value)}


def _node(subject: Any, pairs: list[tuple[Any, Any]]) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": f"_:{subject.value}" if isinstance(subject, BlankNode) else curie(subject.value)}
    for predicate, obj in pairs:
        if predicate.value == RDF_TYPE and isinstance(obj, NamedNode):
            node.setdefault("@type", []).append(curie(obj.value))
        else:
            node.setdefault(curie(predicate.value), []).append(_value(obj))
    return node


def write_jsonld(triples: Iterable[Any], out: IO[bytes], *, graph: str | None = None) -> None:
    """Write ``triples`` (anything with ``subject``, ``predicate``, ``object``) as one JSON-LD document, named
    graph ``graph`` if given. Triples of one subject that come together make one node object (a subject seen
    again later makes another, which JSON-LD merges)."""
    out.write(b'{"@context":' + orjson.dumps(prefix_context()))
    if graph is not None:
        out.write(b',"@id":' + orjson.dumps(curie(graph)))
    out.write(b',"@graph":[')
    first = True
    subject: Any = None
    pairs: list[tuple[Any, Any]] = []

    def flush() -> None:
        nonlocal first
        if subject is None:
            return
        out.write((b"\n" if first else b",\n") + orjson.dumps(_node(subject, pairs)))
        first = False

    for t in triples:
        if subject is None or t.subject != subject:
            flush()
            subject, pairs = t.subject, []
        pairs.append((t.predicate, t.object))
    flush()
    out.write(b"\n]}\n")
