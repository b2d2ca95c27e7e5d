"""SSSOM mapping records → SKOS mapping triples on MONDO diseases."""

from __future__ import annotations

from ..ids import expand_curie
from ..ingest.sssom import MappingRecord
from ..terms import SKOS
from .rdf import Triple, iri


def to_triples(rec: MappingRecord) -> list[Triple]:
    predicate = SKOS[rec.predicate.split(":", 1)[1]]
    return [(iri(expand_curie(rec.subject)), predicate, iri(expand_curie(rec.object)))]
