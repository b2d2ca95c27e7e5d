"""Small helpers to build pyoxigraph terms and triples without repeating ourselves."""

from __future__ import annotations

from collections.abc import Sequence

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, serialize
from pyoxigraph import Triple as OxTriple

from ..terms import XSD

Triple = tuple[NamedNode, NamedNode, NamedNode | Literal]
NTRIPLES_CHUNK = 250_000  # triples per N-Triples chunk (~50 MB): a store may write chunks side by side


def ntriples_chunks(triples: Sequence[Triple], size: int | None = None) -> list[bytes] | None:
    """The triples as N-Triples, in chunks of ``size`` triples (default :data:`NTRIPLES_CHUNK`), for a store
    and a validator to load without the GIL; ``None`` when a blank node is among them (a parser renames blank
    nodes, so the text would not stand for these very terms)."""
    if any(type(s) is BlankNode or type(o) is BlankNode for s, _, o in triples):
        return None
    size = size or NTRIPLES_CHUNK
    return [to_ntriples(triples[start:start + size]) for start in range(0, len(triples), size)]


def to_ntriples(triples: Sequence[Triple]) -> bytes:
    """The triples as one N-Triples document."""
    return serialize([OxTriple(*t) for t in triples], format=RdfFormat.N_TRIPLES)


def iri(value: str) -> NamedNode:
    return NamedNode(value)


def text(value: str) -> Literal:
    return Literal(value)


def integer(value: int) -> Literal:
    return Literal(str(int(value)), datatype=XSD.integer)


def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=XSD.boolean)


def date_or_datetime(value: str) -> Literal:
    return Literal(value, datatype=XSD.dateTime if "T" in value else XSD.date)


def decimal(value: float) -> Literal:
    return Literal(repr(float(value)), datatype=XSD.decimal)
