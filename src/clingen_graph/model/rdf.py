"""Small helpers to build pyoxigraph terms and triples without repeating ourselves."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from ..terms import XSD

Triple = tuple[NamedNode, NamedNode, NamedNode | Literal]


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
